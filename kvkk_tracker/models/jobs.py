"""What the scheduler leaves behind: a heartbeat row per scheduler process."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class SchedulerHeartbeat(db.Model):
    """A scheduler process says it is alive, and how its jobs last went (for /healthz)."""

    __tablename__ = "scheduler_heartbeats"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  # host:pid
    mode: Mapped[str] = mapped_column(String(20))  # embedded | dedicated
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # {job: {"last_run_at", "last_ok_at", "last_error"}}
    jobs: Mapped[dict] = mapped_column(db.JSON, default=dict)
