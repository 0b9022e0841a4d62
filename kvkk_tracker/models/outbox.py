"""The transactional outbox: e-mails written in the same transaction as their cause."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime

OUTBOX_STATES = ("queued", "sending", "sent", "dead")
OUTBOX_KINDS = ("acknowledgement", "reply_sent", "reminder", "digest")


class OutboxMessage(db.Model):
    """One e-mail to one recipient.

    queued -> sending (claimed with a token, before SMTP) -> sent | queued (backoff) | dead.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'sending', 'sent', 'dead')", name="state_known"),
        CheckConstraint("kind IN ('acknowledgement', 'reply_sent', 'reminder', 'digest')",
                        name="kind_known"),
        CheckConstraint("state <> 'sending' OR claim_token IS NOT NULL",
                        name="sending_is_claimed"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_outbox_messages_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: the same cause can never queue the same e-mail twice.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    # A finalised letter sent as a PDF attachment: a reference to the stored bytes, not a copy.
    letter_id: Mapped[int | None] = mapped_column(
        ForeignKey("letters.id", ondelete="SET NULL"))
