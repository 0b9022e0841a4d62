"""The officers' queue: open applications by time left, filtered, keyset-paginated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, exists, false, func, or_, select, text, true
from sqlalchemy.orm import Session, selectinload

from ..domain.deadlines import to_istanbul
from ..domain.identifiers import normalize_tracking_no
from ..domain.text import tr_fold
from ..domain.workflow import OPEN_STATUSES
from ..models import Application, ApplicationRight, User
from ..models.application import OPEN_STATUS_SQL


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
            cursor = cls(date.fromisoformat(due), int(ident))
        except ValueError:
            return None
        # An id no INTEGER column holds would fail in the driver (a 500), not find nothing.
        return cursor if 0 <= cursor.id < 2**31 else None


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


def _open(dialect: str):
    """Open statuses, spelled exactly as the partial index ix_applications_open_queue.

    SQLite considers a partial index only when the query repeats the index's own term. And
    without table statistics (no ANALYZE) it guesses that the term is selective, reads the
    open cases through ix_applications_open_due and sorts them all, for every page: declared
    likely to be true, the term stops attracting that index, and the planner walks the partial
    index in queue order instead. likelihood() is SQLite's; other databases get the bare term.
    """
    term = f"applications.{OPEN_STATUS_SQL}"
    return text(f"likelihood({term}, 0.9)" if dialect == "sqlite" else term)


def _assignee():
    # coalesce() keeps the planner off ix_applications_assignee_id, which would fetch every
    # case the officer ever had, closed ones included, and sort them. Ids start at 1, so 0
    # stands for "unassigned"; the value is read from the queue index itself.
    return func.coalesce(Application.assignee_id, 0)


def visible_to(user: User):
    """The SQL condition for the applications a user may see in the queue."""
    if user.role in ("supervisor", "auditor"):
        return true()
    if user.role == "officer":
        return _assignee().in_([0, user.id])
    return false()


def _conditions(user: User, filters: QueueFilters, today: date, dialect: str) -> list:
    conditions = [visible_to(user)]
    if filters.status in {s.value for s in OPEN_STATUSES}:
        # One status: ix_applications_open_due (status, statutory_due, id) is in queue order.
        conditions.append(Application.status == filters.status)
    else:
        conditions.append(_open(dialect))
    if filters.right:
        conditions.append(exists().where(ApplicationRight.application_id == Application.id,
                                         ApplicationRight.right_code == filters.right))
    if filters.channel:
        conditions.append(Application.channel == filters.channel)
    if filters.assignee == "none":
        conditions.append(_assignee() == 0)
    elif filters.assignee == "me":
        conditions.append(_assignee() == user.id)
    elif filters.assignee and filters.assignee.isdigit():
        conditions.append(_assignee() == int(filters.assignee))
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


def queue_statement(dialect: str, user: User, filters: QueueFilters, today: date,
                    after: Cursor | None = None, limit: int = 50) -> Select:
    """Return the query for one page (limit + 1 rows, to tell whether another page follows)."""
    conditions = _conditions(user, filters, today, dialect)
    if after is not None:
        # The leading `due >= cursor` is implied by the OR, but spelled out it gives SQLite an
        # index range to start from: with bound parameters and the OR alone, it scanned the
        # queue index from the very first entry, so page n cost O(n).
        conditions.append(and_(Application.statutory_due >= after.due,
                               or_(Application.statutory_due > after.due,
                                   Application.id > after.id)))
    return (select(Application).where(*conditions)
            .order_by(Application.statutory_due, Application.id)
            .options(selectinload(Application.rights), selectinload(Application.assignee))
            .limit(limit + 1))


def queue_page(session: Session, user: User, now: datetime, filters: QueueFilters,
               after: Cursor | None = None, limit: int = 50) -> QueuePage:
    """Return one page of the queue, earliest statutory due date first (overdue on top)."""
    statement = queue_statement(session.get_bind().dialect.name, user, filters,
                                to_istanbul(now).date(), after, limit)
    rows = list(session.scalars(statement))
    page = QueuePage(rows[:limit])
    if len(rows) > limit:
        last = rows[limit - 1]
        page.next_cursor = Cursor(last.statutory_due, last.id)
    return page
