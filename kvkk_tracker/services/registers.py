"""The registers auditors read: applications (başvuru kayıt defteri), destruction log, audit chain.

Pages are keyset-paginated (the next page starts after the last row shown), so a deep page
costs the same as the first one whatever the register's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..domain.reporting import Period
from ..models import Application, ApplicationRight, AuditEvent, DestructionRecord
from . import audit
from .actors import Actor
from .reports import received_in, reply_date

PAGE_SIZE = 50
VERIFIED = "audit.chain_verified"


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the last row's timestamp and id."""

    at: datetime
    id: int

    def encode(self) -> str:
        return f"{self.at.isoformat()}~{self.id}"

    @classmethod
    def decode(cls, raw: str | None) -> Cursor | None:
        if not raw:
            return None
        try:
            at, ident = raw.rsplit("~", 1)
            moment = datetime.fromisoformat(at)
            return cls(moment, int(ident)) if moment.tzinfo else None
        except ValueError:
            return None


@dataclass
class Page:
    rows: list = field(default_factory=list)
    next_cursor: Cursor | None = None
    reply_dates: dict[int, date] = field(default_factory=dict)  # application id -> sent on


@dataclass(frozen=True)
class RegisterFilters:
    start: date | None = None
    end: date | None = None
    status: str | None = None
    channel: str | None = None
    right: str | None = None


def _page(session: Session, query, key, limit: int) -> Page:
    rows = list(session.scalars(query.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = Cursor(getattr(rows[-1], key), rows[-1].id) if more else None
    return Page(rows, cursor)


def applications_page(session: Session, filters: RegisterFilters, *, after: Cursor | None = None,
                      limit: int = PAGE_SIZE) -> Page:
    """Return a page of the register in order of receipt, oldest first."""
    query = select(Application).options(selectinload(Application.rights),
                                        selectinload(Application.assignee))
    if filters.start or filters.end:
        period = Period(filters.start or date(1900, 1, 1), filters.end or date(9999, 12, 30))
        query = query.where(*received_in(period))
    if filters.status:
        query = query.where(Application.status == filters.status)
    if filters.channel:
        query = query.where(Application.channel == filters.channel)
    if filters.right:
        query = query.where(exists().where(ApplicationRight.application_id == Application.id,
                                           ApplicationRight.right_code == filters.right))
    if after is not None:
        query = query.where(or_(Application.received_at > after.at,
                                and_(Application.received_at == after.at,
                                     Application.id > after.id)))
    query = query.order_by(Application.received_at, Application.id)
    page = _page(session, query, "received_at", limit)
    page.reply_dates = reply_dates(session, [a for a in page.rows if a.replied_at])
    return page


def reply_dates(session: Session, applications: list[Application]) -> dict[int, date]:
    """Return the reply date of each replied application, as the reports count it."""
    if not applications:
        return {}
    sent = dict(session.execute(
        select(AuditEvent.application_id, AuditEvent.data["sent_on"].as_string())
        .where(AuditEvent.action == "application.replied",
               AuditEvent.application_id.in_([a.id for a in applications]))
        .order_by(AuditEvent.id)).all())
    return {a.id: reply_date(sent.get(a.id), a.replied_at) for a in applications}


def destruction_page(session: Session, *, after: Cursor | None = None,
                     limit: int = PAGE_SIZE) -> Page:
    """Return a page of the destruction log, newest first (the order retention.py keeps)."""
    query = select(DestructionRecord)
    if after is not None:
        query = query.where(or_(DestructionRecord.performed_at < after.at,
                                and_(DestructionRecord.performed_at == after.at,
                                     DestructionRecord.id < after.id)))
    query = query.order_by(DestructionRecord.performed_at.desc(), DestructionRecord.id.desc())
    return _page(session, query, "performed_at", limit)


@dataclass(frozen=True)
class ChainStatus:
    events: int
    last_verification: AuditEvent | None


def chain_status(session: Session) -> ChainStatus:
    last = session.scalar(select(AuditEvent).where(AuditEvent.action == VERIFIED)
                          .order_by(AuditEvent.id.desc()).limit(1))
    return ChainStatus(session.scalar(select(func.count()).select_from(AuditEvent)) or 0, last)


def verify_and_record(session: Session, actor: Actor, now: datetime) -> audit.ChainReport:
    """Verify the whole audit chain and append the result to it.

    Verifying changes nothing; the event says who looked and what they saw, so that a later
    reader knows when the chain was last known to be intact.
    """
    report = audit.verify_chain(session)
    audit.record(session, actor, now, VERIFIED,
                 data={"ok": report.ok, "count": report.count,
                       "bad_event_id": report.bad_event_id, "problem": report.problem})
    return report
