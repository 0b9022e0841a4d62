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
    """Istanbul working hours on working days; each day's window is worked out once."""

    def __init__(self, calendar: HolidayCalendar, settings: LadderSettings):
        self.calendar, self.settings = calendar, settings
        self._windows: dict[date, tuple[datetime, datetime] | None] = {}

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        try:
            return self._windows[day]
        except KeyError:
            pass
        found = None
        if self.calendar.is_working_day(day):
            end = self.settings.working_end
            if self.calendar.is_half_day(day):
                end = min(end, HALF_DAY_END)
            start = datetime.combine(day, self.settings.working_start, tzinfo=ISTANBUL)
            found = (start, datetime.combine(day, end, tzinfo=ISTANBUL))
        self._windows[day] = found
        return found

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

    def is_open(self, moment: datetime) -> bool:
        """Return True when `moment` falls inside working hours."""
        local = to_istanbul(moment)
        window = self.window(local.date())
        return window is not None and window[0] <= local < window[1]

    def working_days_after(self, moment: datetime, count: int) -> datetime:
        """Return the moment `count` whole working days after `moment`, in working time.

        The clock starts at the first working moment at or after `moment` and keeps its time
        of day: received Monday 10:00, two working days later is Wednesday 10:00 (Istanbul),
        not Wednesday's opening, when less than two working days have passed.
        """
        start = to_istanbul(self.next_open(moment))
        day = start.date()
        while count > 0:
            day += timedelta(days=1)
            if self.window(day) is not None:
                count -= 1
        return self.next_open(datetime.combine(day, start.timetz()))


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ISTANBUL)


@dataclass(frozen=True)
class SweepDecision:
    send: Rung | None  # the most severe rung due now
    superseded: tuple[Rung, ...]  # stale rungs that are due but will never be sent
    next_at: datetime | None  # when this case next needs the sweep


def _order(rung: Rung) -> tuple[datetime, int]:
    return rung.due_at, rung.severity


class Ladder:
    """The ladder for many cases: one calendar, one settings, cached by deadline.

    A sweep asks about hundreds of cases that share a few dozen deadlines; the rungs depend
    only on (statutory_due, cut-off, until), so each list is built once and shared (rungs are
    immutable). Use one Ladder per sweep or batch, not forever: overdue lists key on `now`.
    """

    def __init__(self, calendar: HolidayCalendar, settings: LadderSettings):
        self.calendar, self.settings = calendar, settings
        self.hours = WorkingHours(calendar, settings)
        self._deadline: dict[tuple, tuple[Rung, ...]] = {}

    def _deadline_rungs(self, statutory_due: date, cutoff_at: datetime,
                        until: datetime) -> tuple[Rung, ...]:
        key = (statutory_due, cutoff_at, until)
        found = self._deadline.get(key)
        if found is not None:
            return found
        settings, hours = self.settings, self.hours
        utc = cutoff_at.tzinfo
        # The due-day alert goes out at its hour even on a weekend or holiday: waiting for the
        # next working day would put it after the deadline.
        due_day = datetime.combine(statutory_due, settings.due_day_time, tzinfo=ISTANBUL)
        due_day = min(due_day.astimezone(utc), cutoff_at)
        rungs: list[Rung] = []
        supervisor_days = set(settings.supervisor_days_before)
        for days in sorted(set(settings.assignee_days_before) | supervisor_days, reverse=True):
            audience = {"assignee"} | ({"supervisors"} if days in supervisor_days else set())
            nominal = _local_midnight(statutory_due - timedelta(days=days))
            when = min(hours.next_open(nominal).astimezone(utc), due_day)
            rungs.append(Rung(f"d{days}", 100 - days, frozenset(audience), True, when))
        rungs.append(Rung("due_day", 100, frozenset({"assignee", "supervisors"}), False,
                          due_day))
        escalate = frozenset({"assignee", "supervisors", "escalation"})
        rungs.append(Rung("overdue", 200, escalate, False, cutoff_at))
        day = to_istanbul(cutoff_at).date() + timedelta(days=1)
        index = 0
        while True:
            window = hours.window(day)
            if window is not None:
                index += 1
                start = window[0].astimezone(utc)
                rungs.append(Rung(f"overdue:{day.isoformat()}", 200 + index, escalate, False,
                                  start))
                # The first daily rung after `until` is kept too: the sweep needs to know
                # when to come back, even across a weekend or a four-day bayram.
                if start > until:
                    break
            day += timedelta(days=1)
        found = self._deadline[key] = tuple(sorted(rungs, key=_order))
        return found

    def rungs(self, case: CaseClock, until: datetime) -> list[Rung]:
        """Return the case's ladder up to `until`, and the first daily rung after it."""
        rungs = list(self._deadline_rungs(case.statutory_due, case.cutoff_at, until))
        if not case.assigned:
            when = self.hours.working_days_after(case.received_at,
                                                 self.settings.unassigned_after_working_days)
            rungs.append(Rung("unassigned", 50, frozenset({"supervisors"}), True,
                              when.astimezone(case.cutoff_at.tzinfo)))
            rungs.sort(key=_order)
        return rungs

    def decide(self, case: CaseClock, handled: frozenset[str], now: datetime) -> SweepDecision:
        """Pick what to send for one case now (see `decide`)."""
        hours = self.hours
        rungs = [r for r in self.rungs(case, max(now, case.cutoff_at)) if r.code not in handled]
        in_hours = hours.is_open(now)
        due = [r for r in rungs if r.due_at <= now]
        deadline_due = [r for r in due if r.code != "unassigned"]
        send = max(deadline_due, key=lambda r: (r.severity, r.due_at)) if deadline_due else None
        waiting = False
        if send is not None and send.routine and not in_hours:
            send, waiting = None, True  # every due rung is routine: all of them wait
        superseded = tuple(r for r in deadline_due if r is not send) if send is not None else ()
        unassigned = next((r for r in due if r.code == "unassigned"), None)
        later = [r.due_at for r in rungs if r.due_at > now]
        if unassigned is not None:
            if not in_hours:
                waiting = True
            elif send is None:
                send = unassigned
            else:
                later.append(unassigned.due_at)  # due too: goes out on the next pass
        if waiting:
            later.append(hours.next_open(now))
        return SweepDecision(send, superseded, min(later, default=None))


def deadline_rungs(case: CaseClock, calendar: HolidayCalendar, settings: LadderSettings,
                   until: datetime) -> list[Rung]:
    """Return the case's ladder up to `until`, and the first daily rung after it, in time order.

    The ladder is finite until the cut-off; after it one 'overdue:<day>' rung follows on every
    working day for as long as the case stays open.
    """
    return Ladder(calendar, settings).rungs(case, until)


def decide(case: CaseClock, handled: frozenset[str], now: datetime,
           calendar: HolidayCalendar, settings: LadderSettings) -> SweepDecision:
    """Pick what to send for one case now.

    After a missed sweep several rungs may be due at once: only the most severe goes out, and
    the others are recorded as superseded so that no burst of stale reminders follows. The
    'unassigned' rung is about assignment, not the deadline, so it is never superseded.
    Routine rungs found due outside working hours (a sweep that catches up at night) wait for
    the next working moment; alerts (the due day and overdue) go out at once.
    """
    return Ladder(calendar, settings).decide(case, handled, now)
