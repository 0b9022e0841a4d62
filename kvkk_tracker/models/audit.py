"""The append-only audit trail, chained by SHA-256."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50), index=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id"), index=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    data: Mapped[dict] = mapped_column(db.JSON, default=dict)
    public: Mapped[bool] = mapped_column(default=False)
    # Unique, so that two writers can never fork the chain from the same event.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
