"""APScheduler 3.x set-up: the scheduler is only a clock that calls `job(session, now)`.

Correctness never depends on APScheduler's (in-memory) job store: every job reads its work
from the database, so a missed or doubled run loses nothing and repeats nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..extensions import db
from ..models import SchedulerHeartbeat
from .digest import digest
from .outbox import dispatch
from .retention import retention
from .sweep import sweep

log = logging.getLogger(__name__)
HEARTBEAT_KEEP = timedelta(days=7)
Job = Callable[[Session, datetime], object]


class JobRunner:
    """Run a job in its own app context and session; remember how it went for the heartbeat."""

    def __init__(self, app: Flask, mode: str):
        self.app, self.mode = app, mode
        self.name = f"{socket.gethostname()}:{os.getpid()}"[:200]
        self.started_at = utcnow()
        self.jobs: dict[str, dict] = {}
        self._lock = threading.Lock()  # jobs run in the executor's threads

    def _note(self, name: str, **values) -> None:
        with self._lock:
            self.jobs.setdefault(name, {"last_ok_at": None, "last_error": None}).update(values)

    def run(self, name: str, job: Job) -> None:
        with self.app.app_context():
            now = utcnow()
            self._note(name, last_run_at=now.isoformat())
            try:
                job(db.session, now)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 (logged and kept for /healthz)
                db.session.rollback()
                self._note(name, last_error=f"{type(error).__name__}: {error}"[:500])
                log.exception("job %s failed", name)
            else:
                self._note(name, last_ok_at=utcnow().isoformat(), last_error=None)
            finally:
                db.session.remove()
        self.beat()

    def beat(self) -> None:
        """Upsert this process's heartbeat row; prune rows of processes long gone."""
        with self.app.app_context():
            now = utcnow()
            try:
                row = db.session.scalar(select(SchedulerHeartbeat)
                                        .where(SchedulerHeartbeat.name == self.name))
                if row is None:
                    row = SchedulerHeartbeat(name=self.name, mode=self.mode,
                                             started_at=self.started_at)
                    db.session.add(row)
                row.beat_at = now
                with self._lock:
                    row.jobs = {k: dict(v) for k, v in self.jobs.items()}
                db.session.execute(delete(SchedulerHeartbeat).where(
                    SchedulerHeartbeat.beat_at < now - HEARTBEAT_KEEP))
                db.session.commit()
            except Exception:  # noqa: BLE001 (a missing beat is what /healthz reports)
                db.session.rollback()
                log.exception("scheduler heartbeat failed")
            finally:
                db.session.remove()


def _at(text: str) -> time:
    return time.fromisoformat(text)


def build_scheduler(app: Flask, *, blocking: bool, runner: JobRunner | None = None,
                    jobs: dict[str, Job] | None = None) -> BaseScheduler:
    """Return a configured, unstarted scheduler for the app."""
    config = app.config
    zone = ZoneInfo(config["SCHEDULER_TIMEZONE"])
    runner = runner or JobRunner(app, "dedicated" if blocking else "embedded")
    jobs = {"sweep": sweep, "outbox": dispatch, "digest": digest, "retention": retention,
            **(jobs or {})}
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(timezone=zone, job_defaults={
        "coalesce": True, "max_instances": 1,
        "misfire_grace_time": int(config["SCHEDULER_MISFIRE_GRACE_SECONDS"])})
    start = datetime.now(zone)
    digest_at = _at(config["SCHEDULER_DIGEST_TIME"])
    retention_at = _at(config["SCHEDULER_RETENTION_TIME"])
    triggers = {
        # The sweep and the dispatcher run at start-up too: catching up after downtime
        # should not wait for the first interval.
        "sweep": (IntervalTrigger(seconds=int(config["SCHEDULER_SWEEP_SECONDS"]),
                                  timezone=zone), start),
        "outbox": (IntervalTrigger(seconds=int(config["SCHEDULER_OUTBOX_SECONDS"]),
                                   timezone=zone), start),
        # Weekdays here; the job itself skips official holidays.
        "digest": (CronTrigger(day_of_week="mon-fri", hour=digest_at.hour,
                               minute=digest_at.minute, timezone=zone), None),
        "retention": (CronTrigger(hour=retention_at.hour, minute=retention_at.minute,
                                  timezone=zone), None),
    }
    for name, (trigger, first) in triggers.items():
        options = {"next_run_time": first} if first is not None else {}
        scheduler.add_job(runner.run, trigger, args=(name, jobs[name]), id=name, name=name,
                          **options)
    scheduler.add_job(runner.beat, IntervalTrigger(
        seconds=int(config["SCHEDULER_HEARTBEAT_SECONDS"]), timezone=zone),
        id="heartbeat", name="heartbeat", next_run_time=start)
    return scheduler


def latest_heartbeat(session: Session) -> SchedulerHeartbeat | None:
    """Return the freshest heartbeat of any scheduler process (for /healthz)."""
    return session.scalar(select(SchedulerHeartbeat)
                          .order_by(SchedulerHeartbeat.beat_at.desc()).limit(1))
