"""The daily digest job: 08:30 Istanbul on working days, one e-mail per person, once a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..calendar_source import holiday_calendar
from ..domain.calendar import HolidayCalendar
from ..domain.deadlines import to_istanbul
from ..mail import render
from ..models import Application, OutboxMessage, User
from ..services import outbox
from ..services.reminders import OPEN

LIST_LIMIT = 50


def _listing(session: Session, where, limit: int) -> list[dict]:
    rows = session.execute(
        select(Application.tracking_no, Application.statutory_due, User.name)
        .outerjoin(User, User.id == Application.assignee_id)
        .where(Application.status.in_(OPEN), *where)
        .order_by(Application.statutory_due, Application.id).limit(limit)).all()
    return [{"tracking_no": r.tracking_no, "statutory_due": r.statutory_due,
             "assignee": r.name} for r in rows]


def _count(session: Session, *where) -> int:
    return session.scalar(select(func.count()).select_from(Application)
                          .where(Application.status.in_(OPEN), *where)) or 0


def digest(session: Session, now: datetime, *, calendar: HolidayCalendar | None = None,
           due_soon_days: int | None = None) -> int:
    """Queue today's digest for supervisors (everything) and officers (their own cases).

    Skips weekends and holidays; a second run on the same day queues nothing (dedupe key).
    """
    calendar = calendar or holiday_calendar()
    if due_soon_days is None:
        due_soon_days = int(current_app.config["KVKK_DUE_SOON_DAYS"])
    now = now.astimezone(UTC)
    today: date = to_istanbul(now).date()
    if not calendar.is_working_day(today):
        return 0
    prefix = f"digest:{today.isoformat()}:"
    done = set(session.scalars(select(OutboxMessage.dedupe_key)
                               .where(OutboxMessage.dedupe_key.like(f"{prefix}%"))))
    soon = today + timedelta(days=due_soon_days)
    overdue = Application.statutory_due < today
    due_soon = Application.statutory_due.between(today, soon)
    people = session.execute(select(User.id, User.email, User.name, User.role)
                             .where(User.active.is_(True),
                                    User.role.in_(("supervisor", "officer")))
                             .order_by(User.id)).all()
    unassigned = _count(session, Application.assignee_id.is_(None))
    queued = 0
    for person in people:
        key = f"{prefix}{person.id}"
        if key in done:
            continue
        mine = () if person.role == "supervisor" else (Application.assignee_id == person.id,)
        open_count = _count(session, *mine)
        if person.role == "officer" and open_count == 0:
            continue
        late = _listing(session, (*mine, overdue), LIST_LIMIT + 1)
        coming = _listing(session, (*mine, due_soon), LIST_LIMIT + 1)
        mail = render("digest", name=person.name, day=today,
                      scope="all" if person.role == "supervisor" else "mine",
                      open_count=open_count, overdue=late[:LIST_LIMIT],
                      due_soon=coming[:LIST_LIMIT], due_soon_days=due_soon_days,
                      unassigned_count=unassigned,
                      truncated=len(late) > LIST_LIMIT or len(coming) > LIST_LIMIT,
                      limit=LIST_LIMIT)
        outbox.queue(session, now, kind="digest", dedupe_key=key, recipient=person.email,
                     subject=mail.subject, body=mail.body)
        queued += 1
    return queued
