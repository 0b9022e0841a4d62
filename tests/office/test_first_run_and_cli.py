"""The first admin, the `users` commands, and commands that must work on an empty database."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from sqlalchemy import func, select

from kvkk_tracker import create_app
from kvkk_tracker.extensions import db
from kvkk_tracker.first_run import FIRST_ADMIN_FILE
from kvkk_tracker.models import User

from .conftest import PASSWORD, Staff, audit_actions, login, make_user


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_the_first_request_creates_admin_with_a_private_password_file(make_app):
    app = make_app(KVKK_FIRST_RUN_ADMIN=True)
    assert user_count(app) == 0
    client = app.test_client()
    assert client.get("/").status_code == 200
    path = Path(app.instance_path) / FIRST_ADMIN_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    password = path.read_text().strip()
    assert len(password) >= 20
    with app.app_context():
        admin = db.session.scalars(select(User)).one()
        assert (admin.email, admin.role) == ("admin", "admin")
    response = client.post("/login", data={"email": "admin", "password": password})
    assert response.status_code == 302
    # The default policy wants two factors for admins: enrolment comes first.
    assert client.get("/office/admin/users").headers["Location"] == "/office/account/totp"
    client.get("/status")
    assert user_count(app) == 1


def test_no_admin_is_made_when_users_exist_or_the_setting_is_off(make_app):
    existing = make_app(KVKK_FIRST_RUN_ADMIN=True)
    make_user(existing, "officer")
    existing.test_client().get("/")
    assert user_count(existing) == 1
    assert not (Path(existing.instance_path) / FIRST_ADMIN_FILE).exists()

    off = make_app(KVKK_FIRST_RUN_ADMIN=False)
    off.test_client().get("/")
    assert user_count(off) == 0


def test_users_create_list_and_disable(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "Ayse@Example.com.tr", "--role", "officer",
                                 "--name", "Ayşe Yılmaz", "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "created ayse@example.com.tr (officer)" in result.output

    again = runner.invoke(args=["users", "create", "ayse@example.com.tr", "--role", "officer",
                                "--name", "Ayşe", "--password-stdin"], input=PASSWORD + "\n")
    assert again.exit_code == 1 and "already exists" in again.output
    short = runner.invoke(args=["users", "create", "b@example.com.tr", "--role", "auditor",
                                "--name", "B", "--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    bad_role = runner.invoke(args=["users", "create", "c@example.com.tr", "--role", "root",
                                   "--name", "C", "--password-stdin"], input=PASSWORD + "\n")
    assert bad_role.exit_code == 2

    listing = runner.invoke(args=["users", "list"])
    assert listing.exit_code == 0
    assert listing.output.splitlines() == [
        "ayse@example.com.tr\tofficer\tactive\tno-2fa\tAyşe Yılmaz"]

    client = app.test_client()
    assert client.post("/login", data={"email": "ayse@example.com.tr",
                                       "password": PASSWORD}).status_code == 302
    assert client.get("/office/").status_code == 200
    disabled = runner.invoke(args=["users", "disable", "AYSE@example.com.tr"])
    assert disabled.exit_code == 0 and "disabled ayse@example.com.tr" in disabled.output
    assert client.get("/office/").status_code == 302  # the open session ended
    assert "disabled" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "disable", "nobody@example.com"]).exit_code == 1
    assert {"user.created", "user.disabled"} <= set(audit_actions(app))


def test_users_list_on_an_empty_table(app):
    result = app.test_cli_runner().invoke(args=["users", "list"])
    assert result.exit_code == 0 and result.output.strip() == "no users yet"


def _empty_app(tmp_path: Path):
    database = tmp_path / "empty.db"
    app = create_app({"KVKK_ENV": "testing", "INSTANCE_PATH": str(tmp_path / "instance"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                      "KVKK_FIRST_RUN_ADMIN": True})
    return app, database


def _tables(database: Path) -> set[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        names = {row[0] for row in rows}
    connection.close()
    return names


def test_deadline_and_db_upgrade_work_on_an_empty_database(tmp_path):
    app, database = _empty_app(tmp_path)
    runner = app.test_cli_runner()
    try:
        result = runner.invoke(args=["deadline", "2026-04-01", "--lang", "en"])
        assert result.exit_code == 0, result.output
        assert "Statutory due: 01.05.2026" in result.output
        assert not database.exists() or _tables(database) == set()

        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert {"users", "applications", "audit_events"} <= _tables(database)
        # No request has run, so the first-run admin has not been made, nor any other row.
        with sqlite3.connect(database) as connection:
            counts = [connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                      for table in ("users", "applications", "audit_events")]
        connection.close()
        assert counts == [0, 0, 0]
    finally:
        with app.app_context():
            db.engine.dispose()


def test_signing_in_works_right_after_the_cli_creates_a_user(app):
    app.test_cli_runner().invoke(args=["users", "create", "s@example.com.tr", "--role",
                                       "supervisor", "--name", "Selin", "--password-stdin"],
                                 input=PASSWORD + "\n")
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        staff = Staff(user.id, user.email, user.name, user.role)
    assert login(app.test_client(), staff).get("/office/").status_code == 200
