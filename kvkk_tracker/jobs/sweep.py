"""The deadline sweep job: `sweep(session, now)`, one transaction per batch of cases.

One sweeper at a time. On PostgreSQL each batch first takes a transaction-level advisory lock
and a sweeper that cannot get it stops (another one is at work); the unique (case, rung) row
is the backstop. On SQLite BEGIN IMMEDIATE (database.py) serialises the batches, and one
scheduler process is the supported set-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..calendar_source import holiday_calendar
from ..services.reminders import BatchResult, Queued, SweepSettings, sweep_batch

SWEEP_LOCK_KEY = 6698_0004


@dataclass
class SweepReport:
    now: datetime
    batches: int = 0
    examined: int = 0
    superseded: int = 0
    closed_cleared: int = 0
    skipped: bool = False  # another sweeper holds the lock
    queued: list[Queued] = field(default_factory=list)

    @property
    def emails(self) -> int:
        return sum(len(q.recipients) for q in self.queued)

    def add(self, batch: BatchResult) -> None:
        self.batches += 1
        self.examined += batch.examined
        self.superseded += batch.superseded
        self.closed_cleared += batch.closed_cleared
        self.queued.extend(batch.queued)


def settings_from_app() -> SweepSettings:
    return SweepSettings.from_config(current_app.config, holiday_calendar())


def _try_lock(session: Session) -> bool:
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"),
                               {"k": SWEEP_LOCK_KEY}))


def sweep(session: Session, now: datetime, settings: SweepSettings | None = None, *,
          on_batch: Callable[[BatchResult], None] | None = None) -> SweepReport:
    """Send every reminder that is due at `now`; commit after each batch."""
    settings = settings or settings_from_app()
    now = now.astimezone(UTC)
    report = SweepReport(now)
    conflicts = 0
    while True:
        if not _try_lock(session):
            session.rollback()
            report.skipped = True
            break
        try:
            batch = sweep_batch(session, now, settings)
            session.commit()
        except IntegrityError:
            # Only possible if another sweeper ran without the lock: read the batch again.
            session.rollback()
            conflicts += 1
            if conflicts > 3:
                raise
            continue
        report.add(batch)
        if on_batch is not None:
            on_batch(batch)
        if batch.examined < settings.batch_size:
            break
    return report
