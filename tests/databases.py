"""Test databases: a migrated template, copied afresh for every test.

SQLite copies a template file; PostgreSQL clones a template database. Either way each test
starts from exactly the schema the migrations produce, and nothing is left behind.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

PG_ADMIN_DSN = os.environ.get("KVKK_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
# Every database a test run creates starts with this; `make test` sets one per run so that it
# can check afterwards that its own run left nothing behind (others may be testing meanwhile).
DB_PREFIX = os.environ.get("KVKK_TEST_DB_PREFIX", "kvkk")


def backend() -> str:
    return os.environ.get("KVKK_TEST_DATABASE", "sqlite")


def postgres_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN_DSN, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def new_database_name(kind: str) -> str:
    return f"{DB_PREFIX}_{kind}_{uuid.uuid4().hex[:12]}"


def databases_left(prefix: str) -> list[str]:
    """Names of the PostgreSQL databases that start with `prefix`."""
    pattern = prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%"
    with psycopg.connect(PG_ADMIN_DSN, connect_timeout=3) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY 1",
                            (pattern,)).fetchall()
    return [name for (name,) in rows]


def _pg_url(name: str) -> str:
    url = make_url(PG_ADMIN_DSN.replace("postgresql://", "postgresql+psycopg://", 1))
    return url.set(database=name).render_as_string(hide_password=False)


def _pg_admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql)


class SQLiteTemplate:
    def __init__(self, directory: Path):
        self.path = directory / "template.db"

    @property
    def template_url(self) -> str:
        return f"sqlite:///{self.path}"

    def clone(self, directory: Path) -> str:
        target = directory / "test.db"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"

    def drop_clone(self, url: str) -> None:
        """The file lives in the test's tmp_path, which pytest removes."""

    def drop_template(self) -> None:
        self.path.unlink(missing_ok=True)


class PostgresTemplate:
    def __init__(self, _directory: Path):
        self.name = new_database_name("tmpl")
        _pg_admin(f'CREATE DATABASE "{self.name}"')

    @property
    def template_url(self) -> str:
        return _pg_url(self.name)

    def clone(self, _directory: Path) -> str:
        name = new_database_name("test")
        _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        return _pg_url(name)

    def drop_clone(self, url: str) -> None:
        name = make_url(url).database
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_template(self) -> None:
        _pg_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def make_template(directory: Path):
    return PostgresTemplate(directory) if backend() == "postgresql" else SQLiteTemplate(directory)


if __name__ == "__main__":
    # `python -m tests.databases available|left PREFIX`: used by scripts/test-postgres.sh.
    import sys

    if sys.argv[1:] == ["available"]:
        sys.exit(0 if postgres_available() else 1)
    if len(sys.argv) == 3 and sys.argv[1] == "left":
        print("\n".join(databases_left(sys.argv[2])))
        sys.exit(0)
    sys.exit("usage: python -m tests.databases available | left PREFIX")
