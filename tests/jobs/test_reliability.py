"""Reliability with a real SMTP server and real processes: outages, SIGKILL, two schedulers.

No mocks and no sleeping for time to pass: `--now` travels in time; the only waits are for
other processes to get somewhere.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time as walltime
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from kvkk_tracker import create_app
from kvkk_tracker.domain.calendar import HolidayCalendar
from kvkk_tracker.domain.deadlines import DeadlinePolicy
from kvkk_tracker.extensions import db
from kvkk_tracker.jobs.outbox import dispatch
from kvkk_tracker.jobs.sweep import settings_from_app, sweep
from kvkk_tracker.mail import SmtpSettings, message_id
from kvkk_tracker.models import (
    AuditEvent,
    Notification,
    OutboxMessage,
    Reminder,
    SchedulerHeartbeat,
)
from kvkk_tracker.services.actors import public_actor
from kvkk_tracker.services.attachments import FileStash
from kvkk_tracker.services.audit import verify_chain
from kvkk_tracker.services.intake import ApplicationInput, submit_application
from kvkk_tracker.services.outbox import OutboxSettings
from tests import databases
from tests.builders import VALID_TCKN

from .conftest import free_port, ist
from .smtp import SmtpSink

CLI = str(Path(sys.executable).with_name("kvkk-tracker"))
ESCALATION = "dpo@kurum.example"


def smtp_settings(port: int) -> SmtpSettings:
    return SmtpSettings(server="127.0.0.1", port=port, use_tls=False, username=None,
                        password=None, sender="kvkk@kurum.example", timeout=5)


def seed_cases(session, received: list[datetime], staff: dict[str, int],
               uploads: Path) -> None:
    """Store applications through the intake service; every other one assigned."""
    for index, moment in enumerate(received):
        data = ApplicationInput(
            first_name="Işıl", last_name="Çağlayan", nationality="TR", tckn=VALID_TCKN,
            passport_no=None, address="Çankaya/Ankara", email=f"basvuru{index}@example.com.tr",
            phone=None, relationship="customer", rights=("a",), subject="Verilerim",
            reply_channel="email")
        submission = submit_application(session, public_actor("127.0.0.1"), moment, data,
                                         channel="web", calendar=HolidayCalendar(),
                                         policy=DeadlinePolicy(), stash=FileStash(uploads))
        if index % 2 == 0:
            submission.application.assignee_id = staff["officer"]
    session.commit()


def seed_staff(session) -> dict[str, int]:
    from kvkk_tracker.models import User

    made = {}
    for key, role, email in (("officer", "officer", "memur@kurum.example"),
                             ("supervisor", "supervisor", "sef@kurum.example"),
                             ("supervisor2", "supervisor", "sef2@kurum.example")):
        user = User(email=email, name=key, role=role, password_hash="x", active=True,
                    session_token=uuid.uuid4().hex, created_at=datetime(2026, 1, 1, tzinfo=UTC))
        session.add(user)
        session.flush()
        made[key] = user.id
    session.commit()
    return made


def outcome(app) -> dict[str, object]:
    """Everything the sweeps wrote, in comparable form."""
    with app.app_context():
        s = db.session
        reminders = Counter(tuple(r) for r in s.execute(
            select(Reminder.application_id, Reminder.rung, Reminder.state)))
        events = Counter((e.application_id, e.data["rung"]) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.action == "application.reminder_sent")))
        notes = Counter((n.user_id, n.application_id, n.data["rung"]) for n in s.scalars(
            select(Notification).where(Notification.kind == "reminder")))
        mails = Counter(tuple(r) for r in s.execute(
            select(OutboxMessage.dedupe_key, OutboxMessage.recipient, OutboxMessage.subject)))
        return {"reminders": reminders, "events": events, "notifications": notes,
                "mails": mails}


def assert_no_duplicates(result: dict[str, object]) -> None:
    for name, counter in result.items():
        repeated = {k: n for k, n in counter.items() if n > 1}
        assert not repeated, f"duplicate {name}: {repeated}"


def assert_delivered_exactly_once(app, sink: SmtpSink, domain: str = "kurum.example") -> int:
    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.id, OutboxMessage.created_at,
                                         OutboxMessage.state)).all()
    assert {state for _id, _at, state in rows} == {"sent"}
    expected = Counter(message_id(i, at, domain) for i, at, _state in rows)
    assert Counter(sink.message_ids) == expected  # every message, and each one once
    return len(rows)


def test_smtp_down_for_a_whole_sweep_then_back(app, make_staff, new_case):
    """The server is down while the sweep queues and the dispatcher tries; then it returns."""
    make_staff("officer", "memur@kurum.example")
    make_staff("supervisor", "sef@kurum.example")
    for day in range(12):
        new_case(ist(2026, 3, 2 + day, 10, 0))
    port = free_port()
    settings = OutboxSettings(batch_size=5)
    smtp = smtp_settings(port)
    now = ist(2026, 3, 30, 10, 0)
    with app.app_context():
        report = sweep(db.session, now, settings_from_app())
        assert len(report.queued) == 12
        for _minute in range(90):  # an hour and a half of dispatcher runs, all refused
            result = dispatch(db.session, now, settings, smtp)
            assert result.sent == 0
            now += timedelta(minutes=1)
        tried = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                  .where(OutboxMessage.attempts > 0))
        assert tried == db.session.scalar(select(func.count()).select_from(OutboxMessage))
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.state == "dead")) == 0
    sink = SmtpSink(port)
    sink.start()
    try:
        with app.app_context():
            sent = 0
            for _minute in range(24 * 60):  # the dispatcher keeps its minute rhythm
                sent += dispatch(db.session, now, settings, smtp).sent
                if not db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                         .where(OutboxMessage.state != "sent")):
                    break
                now += timedelta(minutes=1)
            for _ in range(3):  # and later runs find nothing more to send
                now += timedelta(hours=1)
                assert dispatch(db.session, now, settings, smtp).sent == 0
        total = assert_delivered_exactly_once(app, sink)
        assert sent == total == 12 + 12  # acknowledgements + a reminder each (supervisor)
    finally:
        sink.stop()


def _cli_env(url: str, tmp: Path, smtp_port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SCHEDULER_", "KVKK_", "OUTBOX_", "MAIL_", "FLASK_"))}
    env.update({"KVKK_ENV": "testing", "DATABASE_URL": url,
                "KVKK_INSTANCE_PATH": str(tmp / "instance"),
                "KVKK_UPLOAD_DIR": str(tmp / "uploads"), "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": str(smtp_port), "MAIL_DEFAULT_SENDER": "kvkk@kurum.example",
                "KVKK_ESCALATION_EMAIL": ESCALATION, "PYTHONUNBUFFERED": "1", **extra})
    return env


class SweepProcess:
    """One `kvkk-tracker sweep` process, the console script itself, to be killed mid-sweep."""

    def __init__(self, now: datetime, env: dict[str, str]):
        args = ["sweep", "--now", now.isoformat(), "--batch-size", "1"]
        self.process = subprocess.Popen([CLI, *args], env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        self.finished = False  # the sweep printed its summary: it was complete

    def wait_for_first_batch(self) -> bool:
        """Read until the first committed batch; False if the process ended first."""
        while True:
            line = self.process.stdout.readline()
            if not line:
                return False
            if line.startswith("batch:"):
                return True

    def kill(self) -> bool:
        """SIGKILL it; return True if that interrupted an unfinished sweep."""
        try:
            os.kill(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        rest = self.process.stdout.read()
        self.process.wait(timeout=30)
        self.process.stdout.close()
        self.finished = "sweep at " in rest
        return self.process.returncode == -signal.SIGKILL and not self.finished


def sqlite_app(path: Path, instance: Path, *, migrate: bool):
    """An app on a SQLite file of its own, whatever backend the rest of the suite uses."""
    app = create_app({"KVKK_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "INSTANCE_PATH": str(instance), "KVKK_UPLOAD_DIR": str(instance / "up"),
                      "KVKK_ESCALATION_EMAIL": ESCALATION})
    if migrate:
        with app.app_context():
            upgrade()
            db.engine.dispose()
    return app


@pytest.mark.slow
def test_sweep_killed_with_sigkill_twenty_times(tmp_path, smtp_sink):
    """Kill the sweeping process at random points mid-sweep, restart it, and compare the result
    with a run that was never interrupted: the same reminders, none twice, every mail once.
    Both the killed and the restarted sweep are `kvkk-tracker sweep` processes.

    SQLite file, one sweeper at a time: the supported single-process set-up. Every round starts
    the console script twice (~1 s each), so the PostgreSQL pass, which would run the very same
    SQLite test again, leaves it to the SQLite pass."""
    if os.environ.get("KVKK_TEST_DATABASE") == "postgresql":
        pytest.skip("runs on a SQLite file of its own; the SQLite pass of the suite runs it")
    app = sqlite_app(tmp_path / "killed.db", tmp_path / "instance", migrate=True)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    env = _cli_env(url, tmp_path, smtp_sink.port)
    received = [ist(2026, 3, 2, 9, 0) + timedelta(hours=11 * i) for i in range(40)]
    with app.app_context():
        staff = seed_staff(db.session)
        seed_cases(db.session, received, staff, tmp_path / "uploads")
        db.session.remove()
        db.engine.dispose()
    reference_file = tmp_path / "reference.db"
    shutil.copyfile(make_url(url).database, reference_file)
    reference = sqlite_app(reference_file, tmp_path / "instance-ref", migrate=False)

    rng = random.Random(6698)  # noqa: S311 (reproducible kill points)
    times = [ist(2026, 3, 20, 10, 0) + timedelta(days=2 * k, hours=k % 3)
             for k in range(20)]
    killed_mid_sweep = 0
    for now in times:
        sweeper = SweepProcess(now, env)
        if sweeper.wait_for_first_batch():
            walltime.sleep(rng.uniform(0, 0.03))
        killed_mid_sweep += sweeper.kill()
        # Restarted: a fresh console-script process finishes the job the killed one began.
        subprocess.run([CLI, "sweep", "--now", now.isoformat()], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        with reference.app_context():  # the same sweeps, never interrupted
            sweep(db.session, now, settings_from_app())
            db.session.remove()

    assert killed_mid_sweep >= 15, f"only {killed_mid_sweep} of 20 kills landed mid-sweep"
    with app.app_context():
        dispatch(db.session, times[-1], OutboxSettings(), smtp_settings(smtp_sink.port))
        db.session.remove()
    killed, clean = outcome(app), outcome(reference)
    assert_no_duplicates(killed)
    assert killed == clean  # nothing lost, nothing extra
    assert sum(1 for (_a, _r, state) in killed["reminders"] if state == "sent") > 150
    assert assert_delivered_exactly_once(app, smtp_sink) == sum(killed["mails"].values())
    with app.app_context():
        assert verify_chain(db.session).ok
    for made in (app, reference):
        with made.app_context():
            db.session.remove()
            db.engine.dispose()


def _pg_database() -> tuple[str, str]:
    if not databases.postgres_available():
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but no PostgreSQL at 127.0.0.1:5432")
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432 "
                    "(REQUIRE_POSTGRES=1 makes this a failure)")
    name = f"kvkk_reliability_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(databases.PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, databases._pg_url(name)


def _drop_pg_database(name: str) -> None:
    with psycopg.connect(databases.PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_two_scheduler_processes_on_postgresql_send_nothing_twice(tmp_path, smtp_sink):
    name, url = _pg_database()
    processes: list[subprocess.Popen] = []
    app = create_app({"KVKK_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url,
                      "INSTANCE_PATH": str(tmp_path / "instance"),
                      "KVKK_UPLOAD_DIR": str(tmp_path / "uploads")})
    try:
        now = datetime.now(UTC)
        with app.app_context():
            upgrade()
            staff = seed_staff(db.session)
            # Overdue cases: their alerts go out at any hour, so the test never waits for 08:30.
            received = [now - timedelta(days=40, hours=3 * i) for i in range(60)]
            seed_cases(db.session, received, staff, tmp_path / "uploads")
            db.session.remove()
        env = _cli_env(url, tmp_path, smtp_sink.port, SCHEDULER_SWEEP_SECONDS="1",
                       SCHEDULER_OUTBOX_SECONDS="1", SCHEDULER_HEARTBEAT_SECONDS="1",
                       KVKK_SWEEP_BATCH_SIZE="3", OUTBOX_BATCH_SIZE="5")
        for _ in range(2):
            processes.append(subprocess.Popen([CLI, "scheduler"], env=env,
                                              stdout=subprocess.DEVNULL,
                                              stderr=subprocess.PIPE, text=True))
        deadline = walltime.monotonic() + 90
        with app.app_context():
            while walltime.monotonic() < deadline:  # wait for the processes, not a clock
                reminded = db.session.scalar(select(func.count(func.distinct(
                    Reminder.application_id))).where(Reminder.state == "sent"))
                unsent = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                           .where(OutboxMessage.state != "sent"))
                beats = db.session.scalars(select(SchedulerHeartbeat.jobs)).all()
                swept = sum(1 for jobs in beats if (jobs.get("sweep") or {}).get("last_ok_at"))
                db.session.remove()
                if reminded == 60 and unsent == 0 and swept == 2:
                    break
                assert all(p.poll() is None for p in processes), processes[0].stderr.read()
                walltime.sleep(0.2)
            else:
                pytest.fail(f"schedulers did not finish: {reminded} cases reminded, "
                            f"{unsent} unsent, {swept} sweepers")
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            assert process.wait(timeout=30) == 0, process.stderr.read()
        result = outcome(app)
        assert_no_duplicates(result)
        sent = [key for key in result["reminders"] if key[2] == "sent"]
        assert len({application_id for application_id, _r, _s in sent}) == 60
        assert_delivered_exactly_once(app, smtp_sink)
        with app.app_context():
            assert verify_chain(db.session).ok
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
            if process.stderr:
                process.stderr.close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        _drop_pg_database(name)


def test_on_postgresql_a_second_sweeper_stands_aside(tmp_path):
    """While one sweeper holds the batch lock, another sweep does nothing and says so."""
    from sqlalchemy import text

    from kvkk_tracker.jobs.sweep import SWEEP_LOCK_KEY

    name, url = _pg_database()
    app = create_app({"KVKK_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url,
                      "INSTANCE_PATH": str(tmp_path / "instance")})
    try:
        with app.app_context():
            upgrade()
            with db.engine.connect() as other:  # the other sweeper, mid-batch
                other.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SWEEP_LOCK_KEY})
                assert sweep(db.session, datetime.now(UTC), settings_from_app()).skipped
                other.rollback()
            assert not sweep(db.session, datetime.now(UTC), settings_from_app()).skipped
            db.session.remove()
            db.engine.dispose()
    finally:
        _drop_pg_database(name)
