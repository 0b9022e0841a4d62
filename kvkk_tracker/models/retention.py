"""The destruction log (Erasure Regulation Art. 7(3)): kept at least three years, never pruned."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class DestructionRun(db.Model):
    """One periodic (or manual) destruction run: when, by whom, under which settings."""

    __tablename__ = "destruction_runs"
    __table_args__ = (CheckConstraint("state IN ('running', 'finished')", name="state_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(10), default="running")
    performed_by: Mapped[str] = mapped_column(String(100))  # system:retention, user:5, ...
    method: Mapped[str] = mapped_column(String(30))
    retention_years: Mapped[int]
    closed_before: Mapped[datetime] = mapped_column(UTCDateTime())
    applications: Mapped[int] = mapped_column(default=0)
    files: Mapped[int] = mapped_column(default=0)


class DestructionRecord(db.Model):
    """What was destroyed for one application, how, when and by whom."""

    __tablename__ = "destruction_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("destruction_runs.id"), index=True)
    # Unique: an application is anonymised once; this is also the retention job's marker.
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    tracking_no: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(30))  # anonymisation
    what: Mapped[dict] = mapped_column(db.JSON)  # fields, attachments, files, notes, ...
    basis: Mapped[str] = mapped_column(String(200))  # closed 01.03.2023, kept 3 years
    performed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    performed_by: Mapped[str] = mapped_column(String(100))
