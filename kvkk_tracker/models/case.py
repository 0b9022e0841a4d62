"""What officers add to an application: actions, notes and the applicant's answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class RightAction(db.Model):
    """Something done to carry out a right: rectified, erased, or a recipient notified (f)."""

    __tablename__ = "right_actions"
    __table_args__ = (CheckConstraint(
        "action IN ('rectified', 'erased', 'anonymised', 'recipient_notified')",
        name="action_known"),
        CheckConstraint("action <> 'recipient_notified' OR recipient IS NOT NULL",
                        name="recipient_named"))

    id: Mapped[int] = mapped_column(primary_key=True)
    application_right_id: Mapped[int] = mapped_column(
        ForeignKey("application_rights.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    recipient: Mapped[str | None] = mapped_column(String(300))
    done_on: Mapped[date]
    proof: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CaseNote(db.Model):
    """An internal note: never shown to the applicant."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApplicantMessage(db.Model):
    """The applicant's answer to a request for more information, from the status page."""

    __tablename__ = "applicant_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Notification(db.Model):
    """An in-app notification for one staff member."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(db.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
