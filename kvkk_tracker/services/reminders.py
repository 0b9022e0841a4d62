"""The deadline sweep, one batch at a time: decide, record, notify, queue mail; never commit.

The job (jobs/sweep.py) calls `sweep_batch` in its own transaction per batch. Everything a
reminder causes — the (case, rung) row, the timeline event, the in-app notifications and the
outbox e-mails — is written in that one transaction, so a crash leaves all of it or none.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.calendar import HolidayCalendar
from ..domain.deadlines import ISTANBUL, to_istanbul
from ..domain.reminders import CaseClock, Ladder, LadderSettings, Rung
from ..domain.text import format_date
from ..domain.workflow import OPEN_STATUSES
from ..mail import render_filled
from ..models import Application, Notification, Reminder, User
from . import audit, outbox
from .actors import system_actor
from .bulk import insert_many, update_column

SWEEP_ACTOR = system_actor("sweep")
OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))
STATUS_TR = {"received": "Alındı", "in_review": "İncelemede",
             "awaiting_applicant": "Başvuru sahibinden bilgi bekleniyor",
             "decided": "Karar verildi", "replied": "Cevaplandı", "closed": "Kapatıldı",
             "withdrawn": "Geri çekildi"}


def _times(text: str) -> tuple[time, time]:
    start, _, end = text.partition("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def _days(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


@dataclass(frozen=True)
class SweepSettings:
    ladder: LadderSettings = field(default_factory=LadderSettings)
    calendar: HolidayCalendar = field(default_factory=HolidayCalendar)
    escalation_email: str | None = None
    batch_size: int = 500

    @classmethod
    def from_config(cls, config, calendar: HolidayCalendar | None) -> SweepSettings:
        """Build from the app's settings; raise ValueError for one the ladder cannot use."""
        start, end = _times(config["KVKK_WORKING_HOURS"])
        if not start < end:
            raise ValueError(f"KVKK_WORKING_HOURS must start before it ends, not "
                             f"{config['KVKK_WORKING_HOURS']!r}")
        ladder = LadderSettings(
            assignee_days_before=_days(config["KVKK_REMINDER_ASSIGNEE_DAYS"]),
            supervisor_days_before=_days(config["KVKK_REMINDER_SUPERVISOR_DAYS"]),
            due_day_time=time.fromisoformat(config["KVKK_REMINDER_DUE_DAY_TIME"]),
            working_start=start, working_end=end,
            unassigned_after_working_days=int(config["KVKK_UNASSIGNED_AFTER_WORKING_DAYS"]))
        if not ladder.assignee_days_before or min(
                ladder.assignee_days_before + ladder.supervisor_days_before) < 1:
            raise ValueError("the reminder days must be whole days before the deadline, >= 1")
        batch_size = int(config["KVKK_SWEEP_BATCH_SIZE"])
        if batch_size < 1:
            raise ValueError("KVKK_SWEEP_BATCH_SIZE must be positive")
        return cls(ladder, calendar or HolidayCalendar(),
                   config.get("KVKK_ESCALATION_EMAIL") or None, batch_size)


@dataclass(frozen=True)
class Queued:
    """One reminder the sweep sent, for the operator's printout."""

    application_id: int
    tracking_no: str
    rung: str
    recipients: tuple[str, ...]
    superseded: tuple[str, ...]


@dataclass
class BatchResult:
    examined: int = 0
    queued: list[Queued] = field(default_factory=list)
    superseded: int = 0
    closed_cleared: int = 0


@dataclass(frozen=True)
class Staff:
    id: int
    email: str
    name: str


def cutoff_at(statutory_due: date, cutoff: str) -> datetime:
    return datetime.combine(statutory_due, time.fromisoformat(cutoff), tzinfo=ISTANBUL) \
        .astimezone(UTC)


def due_cases_query(now: datetime, limit: int):
    """Return the sweep's read: the earliest due cases, straight off the index."""
    a = Application
    return (select(a.id, a.tracking_no, a.status, a.received_at, a.statutory_due,
                   a.outer_due, a.cutoff, a.assignee_id, a.next_reminder_at)
            .where(a.next_reminder_at <= now)
            .order_by(a.next_reminder_at, a.id).limit(limit))


def _due_cases(session: Session, now: datetime, limit: int):
    query = due_cases_query(now, limit)
    a = Application
    if session.get_bind().dialect.name == "postgresql":
        # An officer's open transaction on a case is skipped, not waited for; it comes back
        # on the next sweep.
        query = query.with_for_update(skip_locked=True, of=a)
    return session.execute(query).all()


def _staff(session: Session, ids: set[int]) -> dict[int, Staff]:
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.email, User.name)
                           .where(User.id.in_(ids), User.active.is_(True)))
    return {r.id: Staff(r.id, r.email, r.name) for r in rows}


def _supervisors(session: Session) -> list[Staff]:
    rows = session.execute(select(User.id, User.email, User.name)
                           .where(User.role == "supervisor", User.active.is_(True))
                           .order_by(User.id))
    found = [Staff(r.id, r.email, r.name) for r in rows]
    if found:
        return found
    # Nobody to supervise: the admins hear about it rather than nobody.
    rows = session.execute(select(User.id, User.email, User.name)
                           .where(User.role == "admin", User.active.is_(True))
                           .order_by(User.id))
    return [Staff(r.id, r.email, r.name) for r in rows]


def _recipients(rung: Rung, assignee: Staff | None,
                supervisors: list[Staff]) -> list[Staff]:
    """Resolve the rung's audience; without an (active) assignee the supervisors stand in."""
    people: dict[int, Staff] = {}
    if "assignee" in rung.audience:
        if assignee is not None:
            people[assignee.id] = assignee
        else:
            people.update((s.id, s) for s in supervisors)
    if "supervisors" in rung.audience:
        people.update((s.id, s) for s in supervisors)
    return list(people.values())


def _mail_kind(rung: Rung) -> str:
    if rung.code.startswith("overdue:"):
        return "overdue_daily"
    if rung.code in ("overdue", "due_day", "unassigned"):
        return rung.code
    return "before"


def _render(row, rung: Rung, assignee: Staff | None, settings: SweepSettings):
    kind = _mail_kind(rung)
    return render_filled(
        "reminder", {"kind": kind,
                     "unassigned_days": str(settings.ladder.unassigned_after_working_days)},
        {"rung": rung.code, "tracking_no": row.tracking_no,
         "received_at": format_date(to_istanbul(row.received_at)),
         "statutory_due": format_date(row.statutory_due),
         "outer_due": format_date(row.outer_due), "cutoff": row.cutoff,
         "status": STATUS_TR.get(row.status, row.status),
         "assignee": assignee.name if assignee else "atanmamış",
         "days_before": rung.code[1:] if kind == "before" else "",
         "working_days_late": str(rung.severity - 200) if kind == "overdue_daily" else ""})


def sweep_batch(session: Session, now: datetime, settings: SweepSettings) -> BatchResult:
    """Handle up to one batch of cases whose next_reminder_at has come; the caller commits.

    Every case read either gets a reminder or moves its next_reminder_at past `now`, so
    repeating batches until one comes back short always ends. A case may come round twice in
    one sweep: a deadline rung and the 'unassigned' rung due together go out one after the
    other.
    """
    now = now.astimezone(UTC)
    result = BatchResult()
    rows = _due_cases(session, now, settings.batch_size)
    if not rows:
        return result
    result.examined = len(rows)
    ids = [r.id for r in rows]
    handled: dict[int, set[str]] = defaultdict(set)
    for application_id, rung in session.execute(
            select(Reminder.application_id, Reminder.rung)
            .where(Reminder.application_id.in_(ids))):
        handled[application_id].add(rung)
    assignees = _staff(session, {r.assignee_id for r in rows if r.assignee_id is not None})
    supervisors: list[Staff] | None = None
    ladder = Ladder(settings.calendar, settings.ladder)

    reminders, notifications, mails, events, moves = [], [], [], [], []
    for row in rows:
        if row.status not in OPEN:
            moves.append((row.id, None))  # closed meanwhile: drop it
            result.closed_cleared += 1
            continue
        clock = CaseClock(row.received_at, row.statutory_due,
                          cutoff_at(row.statutory_due, row.cutoff), row.assignee_id is not None)
        decision = ladder.decide(clock, frozenset(handled[row.id]), now)
        for rung in decision.superseded:
            reminders.append({"application_id": row.id, "rung": rung.code,
                              "state": "superseded", "due_at": rung.due_at,
                              "recorded_at": now})
        result.superseded += len(decision.superseded)
        rung = decision.send
        upcoming = decision.next_at
        # An open case always has a next rung, and one that is still due only follows a sent
        # reminder; the guard keeps the sweep finite even with a broken ladder.
        if upcoming is None or (rung is None and upcoming <= now):
            upcoming = now + timedelta(minutes=5)
        moves.append((row.id, upcoming))
        if rung is None:
            continue
        if supervisors is None:
            supervisors = _supervisors(session)
        assignee = assignees.get(row.assignee_id) if row.assignee_id is not None else None
        people = _recipients(rung, assignee, supervisors)
        addresses = list(dict.fromkeys(p.email for p in people))
        if "escalation" in rung.audience and settings.escalation_email:
            addresses = list(dict.fromkeys([*addresses, settings.escalation_email]))
        reminders.append({"application_id": row.id, "rung": rung.code, "state": "sent",
                          "due_at": rung.due_at, "recorded_at": now})
        data = {"rung": rung.code, "statutory_due": row.statutory_due.isoformat(),
                "tracking_no": row.tracking_no}
        notifications.extend({"user_id": p.id, "application_id": row.id, "kind": "reminder",
                              "data": data, "created_at": now} for p in people)
        if addresses:
            mail = _render(row, rung, assignee, settings)
            mails.extend(outbox.message_row(
                now, kind="reminder", dedupe_key=f"reminder:{row.id}:{rung.code}:{address}",
                recipient=address, subject=mail.subject, body=mail.body,
                application_id=row.id) for address in addresses)
        superseded = [r.code for r in decision.superseded]
        events.append(("application.reminder_sent", row.id, {
            "rung": rung.code, "audience": sorted(rung.audience),
            "users": [p.id for p in people], "emails": len(addresses),
            "escalated": "escalation" in rung.audience and bool(settings.escalation_email),
            "superseded": superseded}))
        result.queued.append(Queued(row.id, row.tracking_no, rung.code, tuple(addresses),
                                    tuple(superseded)))

    # The reminder rows go first: their unique (case, rung) pair stops a duplicate before
    # anything else is written.
    # executemany inserts: the ORM's bulk path costs more than the sweep's own work.
    connection = session.connection()
    insert_many(connection, Reminder.__table__, reminders)
    insert_many(connection, Notification.__table__, notifications)
    outbox.queue_many(session, mails)
    audit.record_many(session, SWEEP_ACTOR, now, events)
    update_column(connection, Application.__table__, "next_reminder_at", moves)
    return result
