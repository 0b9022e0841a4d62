"""Finalised letters: the exact PDF bytes that went out, with how they were made."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime

LETTER_KINDS = ("receipt", "reply", "info_request", "identity_rejection")


class Letter(db.Model):
    """One frozen version of one kind of letter for one application.

    The PDF lives in the row, beside its SHA-256: it commits and rolls back with the audit event
    that records it, it is backed up with the database, and no file can go missing or be swapped
    on disk. A letter is a few tens of kilobytes, and the bytes are loaded only when served.
    Rows are never updated except to point at the version that replaced them, or to note when
    they were delivered.
    """

    __tablename__ = "letters"
    __table_args__ = (
        CheckConstraint("kind IN ('receipt', 'reply', 'info_request', 'identity_rejection')",
                        name="kind_known"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
        CheckConstraint("superseded_by_id IS NULL OR superseded_by_id <> id",
                        name="not_superseded_by_itself"),
        UniqueConstraint("application_id", "kind", "version", name="uq_letters_version"),
        Index("ix_letters_application_kind", "application_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    version: Mapped[int]
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    page_count: Mapped[int]
    template_version: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict] = mapped_column(db.JSON, default=dict)
    correction_reason: Mapped[str | None] = mapped_column(Text)
    # None when the system made it (the receipt a citizen downloads first).
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("letters.id", ondelete="SET NULL"))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivery_channel: Mapped[str | None] = mapped_column(String(20))

    @property
    def current(self) -> bool:
        return self.superseded_by_id is None
