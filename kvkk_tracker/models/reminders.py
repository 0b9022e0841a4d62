"""The reminders the sweep has handled: one row per (case, rung), sent or superseded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime

REMINDER_STATES = ("sent", "superseded")


class Reminder(db.Model):
    """A rung of the ladder that will never be sent (again) for this case.

    The unique (application, rung) pair is what makes the sweep idempotent: a second sweeper,
    or a sweep re-run after a crash, cannot insert the same reminder twice.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("application_id", "rung", name="uq_reminders_application_rung"),
        CheckConstraint("state IN ('sent', 'superseded')", name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    rung: Mapped[str] = mapped_column(String(40))  # d10, due_day, overdue:2026-05-04, ...
    state: Mapped[str] = mapped_column(String(12))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
