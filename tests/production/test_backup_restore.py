"""The documented backup: pg_dump, restored into a scratch database, audit chain verified
(scripts/backup-restore-check.sh, as docs/deployment.md tells operators to run it)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import update

from kvkk_tracker.extensions import db
from kvkk_tracker.models import AuditEvent

from .. import databases

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "backup-restore-check.sh"

pytestmark = pytest.mark.skipif(
    databases.backend() != "postgresql",
    reason="pg_dump backups are PostgreSQL's; the PostgreSQL pass of `make test` runs this")


def check(url: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KVKK_", "DATABASE_URL"))}
    env["PG_ADMIN_URL"] = databases.PG_ADMIN_DSN
    return subprocess.run(["bash", str(SCRIPT), url], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_backup_restores_with_its_audit_chain_intact(app, create_application):
    for _ in range(3):
        create_application()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    result = check(url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "applications 3 " in result.stdout
    assert "audit chain intact" in result.stdout and "restore check OK" in result.stdout
    scratch = result.stdout.split("restored into scratch database ", 1)[1].split()[0]
    assert databases.databases_left(scratch) == []  # dropped again


def test_a_tampered_audit_trail_fails_the_check(app, create_application):
    create_application()
    create_application()
    with app.app_context():
        db.session.execute(update(AuditEvent).where(AuditEvent.id == 1)
                           .values(actor="someone-else"))
        db.session.commit()
    result = check(app.config["SQLALCHEMY_DATABASE_URI"])
    assert result.returncode != 0
    assert "restore check OK" not in result.stdout
