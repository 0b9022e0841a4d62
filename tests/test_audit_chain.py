"""The audit trail's hash chain, and `kvkk-tracker audit verify` against each kind of tampering.

What the chain can and cannot show, honestly:

- An event changed, deleted from the middle, or inserted in the middle is caught: verify exits 1
  and names the first event that no longer fits (for a deletion, the event after the gap).
- Deleting the *last* event (or the last few) is NOT caught by the chain alone: what is left is
  a valid chain, one event shorter. Only a count or head hash kept outside the database shows
  it; `audit verify` prints the count so that an operator can keep it.
- The chain has no secret. Someone with write access who recomputes every hash after the
  point they changed leaves a valid chain; again only a head hash kept elsewhere shows it.
  The tests below demonstrate both limits rather than pretend otherwise.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from kvkk_tracker.domain.deadlines import ISTANBUL
from kvkk_tracker.extensions import db
from kvkk_tracker.models import AuditEvent
from kvkk_tracker.services import audit
from kvkk_tracker.services.actors import Actor
from tests.builders import FIXED_NOW

ROOT = Path(__file__).resolve().parent.parent
EVENTS = 6
INTACT = re.compile(r"audit chain intact: (\d+) events")
BROKEN = re.compile(r"audit chain BROKEN at event (\d+): (.+) \((\d+) events verified")


@pytest.fixture
def chain(app):
    """Six events from different actors; returns their ids in order."""
    with app.app_context():
        for n in range(EVENTS):
            actor = Actor("user", str(n), f"10.0.0.{n}") if n % 2 else Actor("system", "test")
            audit.record(db.session, actor, FIXED_NOW + timedelta(minutes=n),
                         f"test.event_{n}", data={"n": n, "şehir": "İzmir"})
        db.session.commit()
        return list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def sql(app, statement: str, **params) -> None:
    """Tamper with raw SQL, committed, as someone with database access would."""
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text(statement), params)


def json_param(app) -> str:
    return ":data" if db_dialect(app) == "sqlite" else "CAST(:data AS json)"


def db_dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def verify(app):
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result


def assert_broken_at(result, event_id: int, problem: str) -> None:
    assert result.exit_code == 1, result.output
    found = BROKEN.search(result.stderr)
    assert found, result.output
    assert int(found.group(1)) == event_id
    assert problem in found.group(2)


def test_an_intact_chain_verifies_and_prints_the_count(app, chain):
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert INTACT.search(result.stdout).group(1) == str(EVENTS)


def test_an_empty_trail_verifies(app):
    result = verify(app)
    assert (result.exit_code, INTACT.search(result.stdout).group(1)) == (0, "0")


def test_the_console_script_verifies_a_migrated_database(app, chain, tmp_path):
    """The installed `kvkk-tracker` entry point, configured only through the environment."""
    script = shutil.which("kvkk-tracker", path=str(Path(sys.executable).parent))
    assert script, "the console script is not installed in this environment"
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "KVKK_INSTANCE_PATH": str(tmp_path / "instance"), "KVKK_ENV": "development",
           "SCHEDULER_ENABLED": "0"}
    env.pop("FLASK_APP", None)
    done = subprocess.run([script, "audit", "verify"], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert INTACT.search(done.stdout).group(1) == str(EVENTS)


def test_changing_any_field_of_an_event_is_caught_at_that_event(app, chain):
    target = chain[3]
    changes = {
        "data": ('{"n": 99, "şehir": "İzmir"}', json_param(app)),
        "actor": ("user:999", ":data"),
        "action": ("test.innocent", ":data"),
        "ip": ("192.0.2.1", ":data"),
        "public": (True, ":data"),
        "hash": ("f" * 64, ":data"),
    }
    for column, (value, placeholder) in changes.items():
        with app.app_context():
            original = db.session.execute(text(f"SELECT {column} FROM audit_events "  # noqa: S608
                                               f"WHERE id = {target}")).scalar()
            db.session.remove()
        sql(app, f"UPDATE audit_events SET {column} = {placeholder} WHERE id = :id",  # noqa: S608
            data=value, id=target)
        assert_broken_at(verify(app), target, "event content changed")
        restore = ":data" if column != "data" else json_param(app)
        if column == "data" and not isinstance(original, str):
            original = json.dumps(original)  # PostgreSQL hands back the parsed value
        sql(app, f"UPDATE audit_events SET {column} = {restore} WHERE id = :id",  # noqa: S608
            data=original, id=target)
        assert verify(app).exit_code == 0, column


def test_a_changed_time_is_caught(app, chain):
    with app.app_context():
        event = db.session.get(AuditEvent, chain[1])
        event.occurred_at = event.occurred_at + timedelta(seconds=1)  # bypassing the service
        db.session.commit()
    assert_broken_at(verify(app), chain[1], "event content changed")


def test_a_deleted_event_is_caught_at_the_event_after_the_gap(app, chain):
    sql(app, "DELETE FROM audit_events WHERE id = :id", id=chain[2])
    result = verify(app)
    assert_broken_at(result, chain[3], "an event was deleted or inserted")
    assert BROKEN.search(result.stderr).group(3) == "2"


def _open_gap_after(app, event_id: int) -> None:
    """Shift the later ids up by one (two steps, so no id collides on the way)."""
    sql(app, "UPDATE audit_events SET id = id + 1000000 WHERE id > :id", id=event_id)
    sql(app, "UPDATE audit_events SET id = id - 999999 WHERE id > 1000000")


def _forge_after(app, event_id: int, prev_hash: str, hash_: str) -> None:
    sql(app, "INSERT INTO audit_events (id, occurred_at, actor, action, application_id, ip, "
             "data, public, prev_hash, hash) SELECT id + 1, occurred_at, 'user:666', "
             "'test.forged', application_id, ip, data, public, :prev, :hash "
             "FROM audit_events WHERE id = :id", id=event_id, prev=prev_hash, hash=hash_)


def test_an_event_inserted_in_the_middle_with_a_forged_hash_is_named(app, chain):
    _open_gap_after(app, chain[2])
    _forge_after(app, chain[2], "a" * 64, "b" * 64)
    assert_broken_at(verify(app), chain[2] + 1, "an event was deleted or inserted")


def test_a_correctly_linked_insert_is_refused_by_the_database(app, chain):
    """prev_hash is unique: a second event cannot follow the same event, so the chain cannot
    fork. A forger who links correctly is stopped before verify even runs."""
    _open_gap_after(app, chain[2])
    with app.app_context():
        prev = db.session.get(AuditEvent, chain[2]).hash
        db.session.remove()
    with pytest.raises(IntegrityError):
        _forge_after(app, chain[2], prev, "c" * 64)


def test_an_inserted_event_with_a_valid_hash_breaks_the_link_after_it(app, chain):
    """Even a correctly hashed forgery (here after moving the next event's prev_hash aside,
    which is itself tampering) leaves the following event pointing at the wrong hash."""
    with app.app_context():
        prev = db.session.get(AuditEvent, chain[2]).hash
        db.session.remove()
    next_id = chain[3]
    sql(app, "UPDATE audit_events SET prev_hash = :moved WHERE id = :id", moved="d" * 64,
        id=next_id)
    _open_gap_after(app, chain[2])
    _forge_after(app, chain[2], prev, "e" * 64)
    with app.app_context():
        forged = db.session.get(AuditEvent, chain[2] + 1)
        forged.hash = audit.chain_hash(prev, forged)
        db.session.commit()
    # The forgery itself fits; the event after it (the old next one, moved up) does not.
    assert_broken_at(verify(app), next_id + 1, "an event was deleted or inserted")


def test_deleting_the_last_event_is_not_detectable_by_the_chain_alone(app, chain):
    """A shorter valid chain is still a valid chain: verify passes with one event fewer.

    Only an anchor kept outside the database (the count or head hash from an earlier verify)
    reveals it, which is why verify prints the count.
    """
    anchor = INTACT.search(verify(app).stdout).group(1)
    sql(app, "DELETE FROM audit_events WHERE id = :id", id=chain[-1])
    result = verify(app)
    assert result.exit_code == 0
    assert int(INTACT.search(result.stdout).group(1)) == int(anchor) - 1


def test_recomputing_every_later_hash_hides_a_change_without_an_anchor(app, chain):
    """The chain carries no secret, so a full rewrite from the changed event on verifies.

    The head hash differs from one recorded earlier: that outside anchor is the defence.
    """
    with app.app_context():
        head_before = db.session.scalar(select(AuditEvent.hash).order_by(
            AuditEvent.id.desc()).limit(1))
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        events[2].data = {"n": 2, "şehir": "Ankara"}
        prev = events[1].hash
        for event in events[2:]:
            event.prev_hash = "x" * 63 + str(event.id)  # step aside of the unique index
        db.session.flush()
        for event in events[2:]:
            event.prev_hash = prev
            event.hash = audit.chain_hash(prev, event)
            prev = event.hash
        db.session.commit()
        assert prev != head_before
    assert verify(app).exit_code == 0


def test_an_istanbul_time_now_still_verifies(app):
    """Services take `now` from the caller; an aware non-UTC value must hash as stored (UTC)."""
    with app.app_context():
        audit.record(db.session, Actor("system", "test"), FIXED_NOW.astimezone(ISTANBUL),
                     "test.event")
        db.session.commit()
    assert verify(app).exit_code == 0


# Writes that would change or remove audit events, in ORM, Core or SQL spelling.
FORBIDDEN_WRITES = [
    re.compile(r"\b(update|delete)\(\s*AuditEvent\b"),
    re.compile(r"AuditEvent\.__table__\s*\.\s*(update|delete)\("),
    re.compile(r"query\(\s*AuditEvent\s*\)[^\n]*\.(update|delete)\("),
    re.compile(r"\b(UPDATE|DELETE\s+FROM)\s+[\"'`]?audit_events\b", re.IGNORECASE),
    re.compile(r"session\.delete\(\s*\w*event\w*\s*\)", re.IGNORECASE),
    re.compile(r"\bdrop_table\(\s*['\"]audit_events['\"]"),
]


def _offending_lines(source: str) -> list[str]:
    return [line.strip() for line in source.splitlines()
            if any(pattern.search(line) for pattern in FORBIDDEN_WRITES)]


def test_the_checker_recognises_writes_to_events():
    for bad in ("db.session.execute(update(AuditEvent).values(data={}))",
                "session.execute(delete(AuditEvent).where(AuditEvent.id == 1))",
                "session.query(AuditEvent).filter_by(id=1).delete()",
                "AuditEvent.__table__.update()",
                'conn.execute(text("DELETE FROM audit_events WHERE id = 3"))',
                "text('update audit_events set data = 1')",
                "db.session.delete(event)"):
        assert _offending_lines(bad), bad


def test_nothing_in_the_code_updates_or_deletes_audit_events():
    package = ROOT / "kvkk_tracker"
    files = [p for p in package.rglob("*.py") if "migrations" not in p.relative_to(package).parts]
    assert len(files) > 30
    offending = {str(p.relative_to(ROOT)): lines for p in files
                 if (lines := _offending_lines(p.read_text(encoding="utf-8")))}
    assert offending == {}


def test_migrations_only_create_and_drop_the_events_table():
    """A data migration that rewrote events would break every hash after it."""
    offending = {}
    for path in (ROOT / "migrations" / "versions").glob("*.py"):
        lines = [line for line in _offending_lines(path.read_text(encoding="utf-8"))
                 if "drop_table" not in line]  # the first revision's downgrade removes it all
        if lines:
            offending[path.name] = lines
    assert offending == {}
