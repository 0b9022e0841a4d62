"""The officers' queue: open applications by time left, filtered, keyset-paginated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..domain.deadlines import to_istanbul
from ..domain.identifiers import normalize_tracking_no
from ..domain.text import tr_fold
from ..domain.workflow import OPEN_STATUSES
from ..models import Application, ApplicationRight, User


@dataclass(frozen=True)
class QueueFilters:
    status: str | None = None
    right: str | None = None
    channel: str | None = None
    assignee: str | None = None  # a user id, "me" or "none"
    overdue: bool = False
    due_within: int | None = None
    q: str | None = None


@dataclass(frozen=True)
class Cursor:
    due: date
    id: int

    def encode(self) -> str:
        return f"{self.due.isoformat()}.{self.id}"

    @classmethod
    def decode(cls, raw: str | None) -> Cursor | None:
        if not raw:
            return None
        try:
            due, ident = raw.split(".", 1)
            return cls(date.fromisoformat(due), int(ident))
        except ValueError:
            return None


@dataclass
class QueuePage:
    rows: list[Application] = field(default_factory=list)
    next_cursor: Cursor | None = None


def _i_blind(folded: str) -> str:
    """Merge dotless ı into i for searching only.

    A name stored as "IŞIK" may come from a system that upper-cased "işık" the non-Turkish way,
    so a search for either spelling must find it; the stored fold keeps the letters apart.
    """
    return folded.replace("ı", "i")


def visible_to(user: User):
    """The SQL condition for the applications a user may see in the queue."""
    if user.role in ("supervisor", "auditor"):
        return True
    if user.role == "officer":
        return or_(Application.assignee_id.is_(None), Application.assignee_id == user.id)
    return False


def _conditions(user: User, filters: QueueFilters, today: date) -> list:
    conditions = [visible_to(user)]
    statuses = [s.value for s in OPEN_STATUSES]
    if filters.status in statuses:
        statuses = [filters.status]
    conditions.append(Application.status.in_(statuses))
    if filters.right:
        conditions.append(exists().where(ApplicationRight.application_id == Application.id,
                                         ApplicationRight.right_code == filters.right))
    if filters.channel:
        conditions.append(Application.channel == filters.channel)
    if filters.assignee == "none":
        conditions.append(Application.assignee_id.is_(None))
    elif filters.assignee == "me":
        conditions.append(Application.assignee_id == user.id)
    elif filters.assignee and filters.assignee.isdigit():
        conditions.append(Application.assignee_id == int(filters.assignee))
    if filters.overdue:
        conditions.append(Application.statutory_due < today)
    if filters.due_within is not None:
        conditions.append(Application.statutory_due <= today + timedelta(days=filters.due_within))
    if filters.q:
        tracking_no = normalize_tracking_no(filters.q)
        if tracking_no:
            conditions.append(Application.tracking_no == tracking_no)
        else:
            pattern = _i_blind(tr_fold(filters.q)).replace("\\", "\\\\").replace("%", "\\%")
            pattern = pattern.replace("_", "\\_")
            conditions.append(func.replace(Application.name_folded, "ı", "i").like(
                f"%{pattern}%", escape="\\"))
    return conditions


def queue_page(session: Session, user: User, now: datetime, filters: QueueFilters,
               after: Cursor | None = None, limit: int = 50) -> QueuePage:
    """Return one page of the queue, earliest statutory due date first (overdue on top)."""
    today = to_istanbul(now).date()
    conditions = _conditions(user, filters, today)
    if after is not None:
        conditions.append(or_(Application.statutory_due > after.due,
                              and_(Application.statutory_due == after.due,
                                   Application.id > after.id)))
    rows = list(session.scalars(
        select(Application).where(*conditions)
        .order_by(Application.statutory_due, Application.id)
        .options(selectinload(Application.rights), selectinload(Application.assignee))
        .limit(limit + 1)))
    page = QueuePage(rows[:limit])
    if len(rows) > limit:
        last = rows[limit - 1]
        page.next_cursor = Cursor(last.statutory_due, last.id)
    return page
