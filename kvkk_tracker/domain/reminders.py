"""The reminder ladder (issue: deadline engine): which reminder is due for a case, and when.

Pure: the sweep passes in the case's clock, the rungs already handled and `now`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .calendar import HolidayCalendar
from .deadlines import ISTANBUL, to_istanbul

HALF_DAY_END = time(13, 0)


@dataclass(frozen=True)
class LadderSettings:
    """The defaults from the issue; every value is a setting."""

    assignee_days_before: tuple[int, ...] = (10, 5, 2)
    supervisor_days_before: tuple[int, ...] = (2,)
    due_day_time: time = time(9, 0)
    working_start: time = time(8, 30)
    working_end: time = time(18, 0)
    unassigned_after_working_days: int = 2


@dataclass(frozen=True)
class CaseClock:
    """What the ladder needs to know about one open case."""

    received_at: datetime  # UTC
    statutory_due: date
    cutoff_at: datetime  # UTC: the internal cut-off on the due day
    assigned: bool


@dataclass(frozen=True)
class Rung:
    code: str  # unique per case: d10, d5, d2, due_day, overdue, overdue:YYYY-MM-DD, unassigned
    severity: int
    audience: frozenset[str]  # assignee | supervisors | escalation
    routine: bool  # routine rungs wait for working hours; alerts go out at once
    due_at: datetime  # UTC, when it may be sent

    @property
    def is_overdue(self) -> bool:
        return self.code.startswith("overdue")


class WorkingHours:
    def __init__(self, calendar: HolidayCalendar, settings: LadderSettings):
        self.calendar, self.settings = calendar, settings

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        if not self.calendar.is_working_day(day):
            return None
        end = self.settings.working_end
        if self.calendar.is_half_day(day):
            end = min(end, HALF_DAY_END)
        start = datetime.combine(day, self.settings.working_start, tzinfo=ISTANBUL)
        return start, datetime.combine(day, end, tzinfo=ISTANBUL)

    def next_open(self, moment: datetime) -> datetime:
        """Return the first moment at or after `moment` inside working hours (UTC)."""
        local = to_istanbul(moment)
        day = local.date()
        for _ in range(60):  # the longest run of non-working days is far shorter
            window = self.window(day)
            if window is not None:
                start, end = window
                if local < end:
                    return max(local, start).astimezone(moment.tzinfo or ISTANBUL)
            day += timedelta(days=1)
            local = datetime.combine(day, time(0, 0), tzinfo=ISTANBUL)
        raise ValueError("no working day within 60 days")

    def working_days_after(self, moment: datetime, count: int) -> datetime:
        """Return the start of the day `count` working days after the moment's day."""
        day = to_istanbul(moment).date()
        while count > 0:
            day += timedelta(days=1)
            if self.calendar.is_working_day(day):
                count -= 1
        return datetime.combine(day, time(0, 0), tzinfo=ISTANBUL)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ISTANBUL)


def deadline_rungs(case: CaseClock, calendar: HolidayCalendar, settings: LadderSettings,
                   until: datetime) -> list[Rung]:
    """Return every rung of the case's ladder that falls due up to `until`, in time order."""
    hours = WorkingHours(calendar, settings)
    utc = case.cutoff_at.tzinfo
    # The due-day alert goes out at its hour even on a weekend or holiday: waiting for the
    # next working day would put it after the deadline.
    due_day = datetime.combine(case.statutory_due, settings.due_day_time, tzinfo=ISTANBUL)
    due_day = min(due_day.astimezone(utc), case.cutoff_at)
    rungs: list[Rung] = []
    supervisor_days = set(settings.supervisor_days_before)
    for days in sorted(set(settings.assignee_days_before) | supervisor_days, reverse=True):
        audience = {"assignee"} | ({"supervisors"} if days in supervisor_days else set())
        nominal = _local_midnight(case.statutory_due - timedelta(days=days))
        when = min(hours.next_open(nominal).astimezone(utc), due_day)
        rungs.append(Rung(f"d{days}", 100 - days, frozenset(audience), True, when))
    rungs.append(Rung("due_day", 100, frozenset({"assignee", "supervisors"}), False, due_day))
    escalate = frozenset({"assignee", "supervisors", "escalation"})
    rungs.append(Rung("overdue", 200, escalate, False, case.cutoff_at))
    day = to_istanbul(case.cutoff_at).date() + timedelta(days=1)
    index = 0
    while True:
        window = hours.window(day)
        if window is not None:
            index += 1
            start = window[0].astimezone(utc)
            if start > until:
                break
            rungs.append(Rung(f"overdue:{day.isoformat()}", 200 + index, escalate, False, start))
        day += timedelta(days=1)
    if not case.assigned:
        nominal = hours.working_days_after(case.received_at, settings.unassigned_after_working_days)
        rungs.append(Rung("unassigned", 50, frozenset({"supervisors"}), True,
                          hours.next_open(nominal).astimezone(utc)))
    return sorted(rungs, key=lambda r: (r.due_at, r.severity))


@dataclass(frozen=True)
class SweepDecision:
    send: Rung | None  # the most severe rung due now
    superseded: tuple[Rung, ...]  # stale rungs that are due but will never be sent
    next_at: datetime | None  # when this case next needs the sweep


def decide(case: CaseClock, handled: frozenset[str], now: datetime,
           calendar: HolidayCalendar, settings: LadderSettings) -> SweepDecision:
    """Pick what to send for one case now.

    After a missed sweep several rungs may be due at once: only the most severe goes out, and
    the others are recorded as superseded so that no burst of stale reminders follows. The
    'unassigned' rung is about assignment, not the deadline, so it is never superseded.
    """
    horizon = max(now, case.cutoff_at) + timedelta(days=2)
    rungs = [r for r in deadline_rungs(case, calendar, settings, horizon)
             if r.code not in handled]
    due = [r for r in rungs if r.due_at <= now]
    deadline_due = [r for r in due if r.code != "unassigned"]
    send = max(deadline_due, key=lambda r: (r.severity, r.due_at)) if deadline_due else None
    superseded = tuple(r for r in deadline_due if r is not send)
    unassigned = next((r for r in due if r.code == "unassigned"), None)
    if send is None and unassigned is not None:
        send = unassigned
    pending = [r for r in rungs if r.due_at > now]
    if unassigned is not None and send is not unassigned:
        pending.append(unassigned)  # due too, goes out on the next pass
    next_at = min((r.due_at for r in pending), default=None)
    return SweepDecision(send, superseded, next_at)
