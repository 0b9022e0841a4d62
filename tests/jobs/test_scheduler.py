"""The scheduler is only a clock: its set-up, where it starts, and the heartbeat it leaves."""

from __future__ import annotations

import time as walltime
from datetime import UTC, datetime

import click
import pytest
from flask import Flask
from sqlalchemy import select

from kvkk_tracker.extensions import db
from kvkk_tracker.jobs import should_embed
from kvkk_tracker.jobs.scheduler import JobRunner, build_scheduler, latest_heartbeat
from kvkk_tracker.models import OutboxMessage, SchedulerHeartbeat

from .conftest import ist


def jobs_of(scheduler) -> dict:
    return {job.id: job for job in scheduler.get_jobs()}


def started(app) -> dict:
    """Add the jobs for real (APScheduler applies the job defaults then) without running any."""
    scheduler = build_scheduler(app, blocking=False)
    scheduler.start(paused=True)
    try:
        return jobs_of(scheduler)
    finally:
        scheduler.shutdown(wait=False)


def test_the_jobs_and_their_defaults(app):
    jobs = started(app)
    assert set(jobs) == {"sweep", "outbox", "digest", "retention", "heartbeat"}
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time == app.config["SCHEDULER_MISFIRE_GRACE_SECONDS"]
    assert jobs["sweep"].trigger.interval.total_seconds() == 300
    assert jobs["outbox"].trigger.interval.total_seconds() == 60
    assert str(jobs["digest"].trigger.timezone) == "Europe/Istanbul"


# now -> the digest's next run: 08:30 Istanbul, Monday to Friday
DIGEST = [
    (ist(2026, 4, 3, 9, 0), ist(2026, 4, 6, 8, 30)),  # Friday after it → Monday
    (ist(2026, 4, 6, 8, 0), ist(2026, 4, 6, 8, 30)),
    (ist(2026, 4, 4, 12, 0), ist(2026, 4, 6, 8, 30)),  # Saturday
]


@pytest.mark.parametrize(("now", "expected"), DIGEST)
def test_digest_fires_at_half_past_eight_istanbul_on_weekdays(app, now, expected):
    trigger = jobs_of(build_scheduler(app, blocking=True))["digest"].trigger
    assert trigger.get_next_fire_time(None, now) == expected


def test_settings_shape_the_schedule(make_app):
    app = make_app(SCHEDULER_SWEEP_SECONDS=60, SCHEDULER_MISFIRE_GRACE_SECONDS=30,
                   SCHEDULER_RETENTION_TIME="02:15")
    jobs = started(app)
    assert jobs["sweep"].trigger.interval.total_seconds() == 60
    assert jobs["sweep"].misfire_grace_time == 30
    assert jobs["retention"].trigger.get_next_fire_time(None, ist(2026, 4, 1, 3, 0)) == \
        ist(2026, 4, 2, 2, 15)


def test_a_job_runs_with_session_and_now_and_leaves_a_heartbeat(app):
    seen = []
    runner = JobRunner(app, "dedicated")
    runner.run("probe", lambda session, now: seen.append((session, now)))
    [(session, now)] = seen
    assert now.tzinfo is UTC and abs((datetime.now(UTC) - now).total_seconds()) < 60

    def broken(session, now):
        raise RuntimeError("SMTP on fire")

    runner.run("broken", broken)
    with app.app_context():
        beat = latest_heartbeat(db.session)
        assert beat.name == runner.name and beat.mode == "dedicated"
        assert beat.jobs["probe"]["last_error"] is None and beat.jobs["probe"]["last_ok_at"]
        assert beat.jobs["broken"]["last_error"] == "RuntimeError: SMTP on fire"


def fake_cli(name: str, **params) -> click.Context:
    ctx = click.Context(click.Command(name), info_name=name)
    ctx.params.update(params)
    return ctx


def plain_app(**config) -> Flask:
    app = Flask("probe")
    app.config.update({"SCHEDULER_ENABLED": True, **config})
    return app


# (click command, its params, WERKZEUG_RUN_MAIN, SCHEDULER_ENABLED) -> embedded?
EMBED = [
    ("run", {"reload": False}, None, True, True),
    ("run", {"reload": None}, None, True, True),  # no --debug: no reloader
    ("run", {"reload": True}, None, True, False),  # the reloader's watching parent
    ("run", {"reload": True}, "true", True, True),  # its child serves and runs the jobs
    ("run", {"reload": False}, None, False, False),  # SCHEDULER_ENABLED=false
    ("upgrade", {}, None, True, False),  # db upgrade
    ("deadline", {}, None, True, False),
    ("create", {}, None, True, False),  # users create
    ("sweep", {}, None, True, False),
    ("scheduler", {}, None, True, False),  # runs its own, blocking
]


@pytest.mark.parametrize(("command", "params", "run_main", "enabled", "expected"), EMBED)
def test_embedded_only_under_run(monkeypatch, command, params, run_main, enabled, expected):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    if run_main is None:
        monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    else:
        monkeypatch.setenv("WERKZEUG_RUN_MAIN", run_main)
    with fake_cli(command, **params):
        assert should_embed(plain_app(SCHEDULER_ENABLED=enabled)) is expected


def test_outside_the_cli_only_an_explicit_setting_embeds(monkeypatch):
    monkeypatch.delenv("SCHEDULER_ENABLED", raising=False)
    assert should_embed(plain_app()) is False  # e.g. a test or a script building the app
    monkeypatch.setenv("SCHEDULER_ENABLED", "true")
    assert should_embed(plain_app()) is True  # a WSGI server told to run it
    assert should_embed(plain_app(TESTING=True)) is False


def test_create_app_under_run_starts_the_embedded_scheduler(make_app, create_application):
    with fake_cli("run", reload=False):
        app = make_app(TESTING=False, SCHEDULER_ENABLED=True, SCHEDULER_HEARTBEAT_SECONDS=3600)
    scheduler = app.extensions["kvkk_scheduler"]
    try:
        assert scheduler.running
        # The start-up sweep and the first heartbeat run in the background thread.
        with app.app_context():
            for _ in range(200):  # polls a background thread; it waits for no clock
                jobs = db.session.scalar(select(SchedulerHeartbeat.jobs)) or {}
                if (jobs.get("sweep") or {}).get("last_ok_at"):
                    break
                db.session.remove()
                walltime.sleep(0.05)
            beat = latest_heartbeat(db.session)
            assert beat is not None and beat.mode == "embedded"
            assert beat.jobs["sweep"]["last_error"] is None
    finally:
        scheduler.shutdown(wait=True)


def test_the_test_config_never_embeds(app):
    assert "kvkk_scheduler" not in app.extensions


@pytest.mark.parametrize(("setting", "value"), [
    ("KVKK_DESTRUCTION_INTERVAL_DAYS", 181), ("KVKK_DESTRUCTION_INTERVAL_DAYS", 0),
    ("KVKK_RETENTION_YEARS", 0), ("KVKK_WORKING_HOURS", "18:00-08:30"),
    ("KVKK_REMINDER_ASSIGNEE_DAYS", "10,0"), ("KVKK_SWEEP_BATCH_SIZE", 0),
])
def test_the_app_refuses_settings_the_engine_cannot_honour(make_app, setting, value):
    with pytest.raises(RuntimeError, match="invalid deadline-engine setting"):
        make_app(**{setting: value})


def test_six_months_is_the_longest_destruction_interval(make_app):
    assert make_app(KVKK_DESTRUCTION_INTERVAL_DAYS=180).config[
        "KVKK_DESTRUCTION_INTERVAL_DAYS"] == 180


def test_digest_on_working_days_once(app, make_staff, new_case, runner):
    officer = make_staff("officer", "memur@kurum.example")
    make_staff("supervisor", "sef@kurum.example")
    make_staff("officer", "bos@kurum.example")  # no cases: no digest
    new_case(ist(2026, 3, 1), assignee_id=officer)  # overdue by April
    new_case(ist(2026, 4, 1))  # unassigned, due 1 May
    result = runner.invoke(args=["digest", "--now", "2026-04-28T08:30"])
    assert result.output == "queued 2 digest e-mails\n", result.output
    with app.app_context():
        mails = {m.recipient: m for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "digest"))}
    assert set(mails) == {"memur@kurum.example", "sef@kurum.example"}
    assert "Atanmamış: 1" in mails["sef@kurum.example"].body
    assert "1 süresi geçmiş, 0 yaklaşan" in mails["memur@kurum.example"].subject
    assert "1 süresi geçmiş, 1 yaklaşan" in mails["sef@kurum.example"].subject
    assert runner.invoke(args=["digest", "--now", "2026-04-28T09:00"]).output == \
        "queued 0 digest e-mails\n"
    for holiday in ("2026-04-25T08:30", "2026-05-01T08:30"):  # Saturday; Labour Day
        assert runner.invoke(args=["digest", "--now", holiday]).output == \
            "queued 0 digest e-mails\n"
