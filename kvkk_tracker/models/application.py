"""An Art. 11 application (başvuru), its requested rights and its attachments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.deadlines import Reason
from ..domain.decisions import OUTCOMES
from ..domain.identity import mask_tckn
from ..domain.rights import CHANNELS_BY_CODE, RIGHT_CODES
from ..domain.workflow import OPEN_STATUSES
from ..extensions import db
from .case import RightAction
from .types import UTCDateTime
from .user import User

STATUSES = ("received", "in_review", "awaiting_applicant", "decided", "replied", "closed",
            "withdrawn")


def _in(column: str, values) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


# The predicate of the partial queue index, spelled exactly as the queue query spells it:
# SQLite uses a partial index only for a query whose WHERE repeats the index's own term.
OPEN_STATUS_SQL = _in("status", sorted(s.value for s in OPEN_STATUSES))


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status_known"),
        CheckConstraint(_in("channel", CHANNELS_BY_CODE), name="channel_known"),
        CheckConstraint("outer_due >= statutory_due", name="outer_after_statutory"),
        CheckConstraint("(nationality = 'TR' AND tckn IS NOT NULL) OR "
                        "(nationality <> 'TR' AND passport_no IS NOT NULL)",
                        name="identity_number_present"),
        CheckConstraint(_in("identity_status", ("pending", "verified", "failed")),
                        name="identity_status_known"),
        Index("ix_applications_open_due", "status", "statutory_due"),
        Index("ix_applications_queue", "statutory_due", "id"),
        # The officers' queue: open cases only, in queue order, with the assignee so that the
        # officer's view is filtered inside the index. A page reads ~50 entries instead of
        # sorting every open case (bench/office_queue.py, docs/benchmarks.md "Queue").
        Index("ix_applications_open_queue", "statutory_due", "id", "assignee_id",
              sqlite_where=text(OPEN_STATUS_SQL), postgresql_where=text(OPEN_STATUS_SQL)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_no: Mapped[str] = mapped_column(String(20), unique=True)
    access_code_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(24), default="received")
    channel: Mapped[str] = mapped_column(String(24))
    language: Mapped[str] = mapped_column(String(5), default="tr")

    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    statutory_due: Mapped[date]
    outer_due: Mapped[date]
    cutoff: Mapped[str] = mapped_column(String(5))  # HH:MM, Istanbul
    # The policy and the reasons that produced the dates, as computed at receipt.
    deadline_basis: Mapped[dict] = mapped_column(db.JSON)

    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    name_folded: Mapped[str] = mapped_column(String(201), index=True)
    nationality: Mapped[str] = mapped_column(String(2))
    tckn: Mapped[str | None] = mapped_column(String(11))
    passport_no: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    relationship_to_controller: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(Text)
    reply_channel: Mapped[str] = mapped_column(String(20))
    representative_name: Mapped[str | None] = mapped_column(String(200))

    # How it reached us, for applications logged by an officer (post, KEP, ...).
    receipt_evidence: Mapped[str | None] = mapped_column(String(200))
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    identity_status: Mapped[str] = mapped_column(String(10), default="pending")
    identity_method: Mapped[str | None] = mapped_column(String(30))
    identity_note: Mapped[str | None] = mapped_column(Text)
    identity_checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    identity_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)
    # When the deadline sweep next needs to look at this case (issue 4); NULL once it is
    # closed. Indexed: the sweep reads due work with `next_reminder_at <= now`.
    next_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    rights: Mapped[list[ApplicationRight]] = relationship(
        back_populates="application", cascade="all, delete-orphan",
        order_by="ApplicationRight.id")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Attachment.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def right_codes(self) -> list[str]:
        order = {code: i for i, code in enumerate(RIGHT_CODES)}
        return sorted((r.right_code for r in self.rights), key=order.__getitem__)

    def deadline_reasons(self, lang: str = "tr") -> list[str]:
        """Return the stored explanation of the deadline; the dates themselves never change."""
        return [Reason(r["code"], r["params"]).text(lang)
                for r in self.deadline_basis.get("reasons", [])]

    @property
    def masked_tckn(self) -> str | None:
        return mask_tckn(self.tckn)


class ApplicationRight(db.Model):
    __tablename__ = "application_rights"
    __table_args__ = (
        UniqueConstraint("application_id", "right_code", name="uq_application_rights_pair"),
        CheckConstraint(_in("right_code", RIGHT_CODES), name="right_known"),
        CheckConstraint("outcome IS NULL OR " + _in("outcome", OUTCOMES), name="outcome_known"),
        CheckConstraint("outcome IS NULL OR outcome = 'accepted' OR "
                        "(reason_code IS NOT NULL AND justification IS NOT NULL)",
                        name="rejection_has_reasons"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    right_code: Mapped[str] = mapped_column(String(8))
    outcome: Mapped[str | None] = mapped_column(String(20))
    reason_code: Mapped[str | None] = mapped_column(String(30))
    justification: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    application: Mapped[Application] = relationship(back_populates="rights")
    actions: Mapped[list[RightAction]] = relationship(
        cascade="all, delete-orphan", order_by="RightAction.id")


ATTACHMENT_KINDS = ("evidence", "power_of_attorney", "receipt_scan", "applicant_answer")


class Attachment(db.Model):
    __tablename__ = "attachments"
    __table_args__ = (CheckConstraint(_in("kind", ATTACHMENT_KINDS), name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    application: Mapped[Application] = relationship(back_populates="attachments")
