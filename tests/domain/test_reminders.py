"""The reminder ladder (issue 4): rungs, working hours, and catch-up after a missed sweep.

Plain tables in Istanbul local time; no app, no database, no frozen clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from kvkk_tracker.domain.calendar import HolidayCalendar, HolidayOverride
from kvkk_tracker.domain.deadlines import ISTANBUL, compute_deadline
from kvkk_tracker.domain.reminders import (
    CaseClock,
    LadderSettings,
    WorkingHours,
    deadline_rungs,
    decide,
)

CALENDAR = HolidayCalendar()
SETTINGS = LadderSettings()


def ist(y: int, m: int, d: int, hh: int = 10, mm: int = 0, ss: int = 0) -> datetime:
    """Return an Istanbul wall-clock moment as aware UTC, as the sweep passes it."""
    return datetime(y, m, d, hh, mm, ss, tzinfo=ISTANBUL).astimezone(UTC)


def clock(received: datetime, assigned: bool = True,
          calendar: HolidayCalendar = CALENDAR) -> CaseClock:
    deadline = compute_deadline(received, calendar)
    return CaseClock(deadline.received_at, deadline.statutory_due, deadline.cutoff_at, assigned)


# Received Wednesday 1 April 2026, 10:00: statutory_due is Friday 1 May, Labour Day.
BASE = clock(ist(2026, 4, 1))
BASE_UNASSIGNED = clock(ist(2026, 4, 1), assigned=False)
# Received 26 April: due Tuesday 26 May, the Kurban arife (cut-off 12:00), then a four-day
# bayram and a Sunday before the next working day, Monday 1 June.
ARIFE = clock(ist(2026, 4, 26))
EVERY_EARLY_RUNG = frozenset({"d10", "d5", "d2", "due_day", "overdue"})


def test_the_base_case_is_what_the_tables_assume():
    assert BASE.statutory_due.isoformat() == "2026-05-01"
    assert BASE.cutoff_at == ist(2026, 5, 1, 23, 59)
    assert ARIFE.statutory_due.isoformat() == "2026-05-26"
    assert ARIFE.cutoff_at == ist(2026, 5, 26, 12, 0)


# case, until -> (code, due_at) in order
LADDERS = [
    pytest.param(BASE, ist(2026, 5, 1, 23, 59), [
        ("d10", ist(2026, 4, 21, 8, 30)),  # a Tuesday
        ("d5", ist(2026, 4, 27, 8, 30)),  # Sunday 26 April waits for Monday's opening
        ("d2", ist(2026, 4, 29, 8, 30)),
        ("due_day", ist(2026, 5, 1, 9, 0)),  # a holiday: alerts do not wait
        ("overdue", ist(2026, 5, 1, 23, 59)),
        ("overdue:2026-05-04", ist(2026, 5, 4, 8, 30)),  # the next rung is always known
    ], id="labour-day-due"),
    pytest.param(BASE, ist(2026, 5, 5, 12, 0), [
        ("d10", ist(2026, 4, 21, 8, 30)),
        ("d5", ist(2026, 4, 27, 8, 30)),
        ("d2", ist(2026, 4, 29, 8, 30)),
        ("due_day", ist(2026, 5, 1, 9, 0)),
        ("overdue", ist(2026, 5, 1, 23, 59)),
        ("overdue:2026-05-04", ist(2026, 5, 4, 8, 30)),
        ("overdue:2026-05-05", ist(2026, 5, 5, 8, 30)),
        ("overdue:2026-05-06", ist(2026, 5, 6, 8, 30)),
    ], id="daily-overdue"),
    pytest.param(ARIFE, ist(2026, 5, 26, 12, 0), [
        ("d10", ist(2026, 5, 18, 8, 30)),  # Saturday 16 May → Monday
        ("d5", ist(2026, 5, 21, 8, 30)),
        ("d2", ist(2026, 5, 25, 8, 30)),  # Sunday 24 May → Monday
        ("due_day", ist(2026, 5, 26, 9, 0)),
        ("overdue", ist(2026, 5, 26, 12, 0)),  # the half-day cut-off
        ("overdue:2026-06-01", ist(2026, 6, 1, 8, 30)),  # after the bayram and a Sunday
    ], id="arife-due"),
]


@pytest.mark.parametrize(("case", "until", "expected"), LADDERS)
def test_deadline_rungs(case, until, expected):
    rungs = deadline_rungs(case, CALENDAR, SETTINGS, until)
    assert [(r.code, r.due_at) for r in rungs] == expected
    assert all(r.due_at.tzinfo is not None for r in rungs)


def test_rung_audiences_and_kinds():
    rungs = {r.code: r for r in deadline_rungs(BASE_UNASSIGNED, CALENDAR, SETTINGS,
                                               ist(2026, 5, 4))}
    table = {code: (sorted(r.audience), r.routine, r.is_overdue) for code, r in rungs.items()}
    assert table == {
        "d10": (["assignee"], True, False),
        "d5": (["assignee"], True, False),
        "d2": (["assignee", "supervisors"], True, False),
        "due_day": (["assignee", "supervisors"], False, False),
        "overdue": (["assignee", "escalation", "supervisors"], False, True),
        "overdue:2026-05-04": (["assignee", "escalation", "supervisors"], False, True),
        "overdue:2026-05-05": (["assignee", "escalation", "supervisors"], False, True),
        "unassigned": (["supervisors"], True, False),
    }
    severities = [rungs[c].severity for c in ("unassigned", "d10", "d5", "d2", "due_day",
                                              "overdue", "overdue:2026-05-04",
                                              "overdue:2026-05-05")]
    assert severities == sorted(severities) and len(set(severities)) == len(severities)


def test_settings_change_the_ladder():
    settings = LadderSettings(assignee_days_before=(7, 3), supervisor_days_before=(3, 1),
                              due_day_time=time(10, 0), working_start=time(9, 0))
    rungs = deadline_rungs(BASE, CALENDAR, settings, ist(2026, 5, 1, 23, 59))
    assert [(r.code, sorted(r.audience), r.due_at) for r in rungs] == [
        ("d7", ["assignee"], ist(2026, 4, 24, 9, 0)),
        ("d3", ["assignee", "supervisors"], ist(2026, 4, 28, 9, 0)),
        ("d1", ["assignee", "supervisors"], ist(2026, 4, 30, 9, 0)),
        ("due_day", ["assignee", "supervisors"], ist(2026, 5, 1, 10, 0)),
        ("overdue", ["assignee", "escalation", "supervisors"], ist(2026, 5, 1, 23, 59)),
        ("overdue:2026-05-04", ["assignee", "escalation", "supervisors"],
         ist(2026, 5, 4, 9, 0)),
    ]


# received (Istanbul) -> when the 'unassigned' rung falls due: two whole working days later
UNASSIGNED = [
    (ist(2026, 4, 1, 10, 0), ist(2026, 4, 3, 10, 0)),  # Wednesday → Friday, same hour
    (ist(2026, 4, 3, 17, 0), ist(2026, 4, 7, 17, 0)),  # Friday → Tuesday over the weekend
    (ist(2026, 4, 4, 12, 0), ist(2026, 4, 8, 8, 30)),  # Saturday: the clock starts Monday
    (ist(2026, 4, 6, 19, 0), ist(2026, 4, 9, 8, 30)),  # after hours: starts Tuesday morning
    (ist(2026, 4, 21, 11, 0), ist(2026, 4, 24, 11, 0)),  # 23 April is a holiday
    (ist(2026, 3, 18, 11, 0), ist(2026, 3, 23, 11, 0)),  # arife counts, the bayram does not
    (ist(2026, 3, 17, 16, 0), ist(2026, 3, 23, 8, 30)),  # lands on the arife after 13:00
]


@pytest.mark.parametrize(("received", "expected"), UNASSIGNED)
def test_unassigned_rung_after_two_working_days(received, expected):
    rungs = deadline_rungs(clock(received, assigned=False), CALENDAR, SETTINGS, received)
    assert [r.due_at for r in rungs if r.code == "unassigned"] == [expected]


def test_assigned_cases_have_no_unassigned_rung():
    assert "unassigned" not in {r.code for r in deadline_rungs(BASE, CALENDAR, SETTINGS,
                                                               ist(2026, 4, 1))}


# moment -> inside working hours?
OPEN = [
    (ist(2026, 4, 1, 8, 29, 59), False),
    (ist(2026, 4, 1, 8, 30), True),
    (ist(2026, 4, 1, 17, 59, 59), True),
    (ist(2026, 4, 1, 18, 0), False),
    (ist(2026, 4, 4, 10, 0), False),  # Saturday
    (ist(2026, 4, 23, 10, 0), False),  # a full-day holiday
    (ist(2026, 3, 19, 12, 59), True),  # the arife works until 13:00
    (ist(2026, 3, 19, 13, 0), False),
]


@pytest.mark.parametrize(("moment", "expected"), OPEN)
def test_working_hours(moment, expected):
    assert WorkingHours(CALENDAR, SETTINGS).is_open(moment) is expected


# moment -> the first working moment at or after it
NEXT_OPEN = [
    (ist(2026, 4, 1, 7, 0), ist(2026, 4, 1, 8, 30)),
    (ist(2026, 4, 1, 12, 0), ist(2026, 4, 1, 12, 0)),
    (ist(2026, 4, 1, 18, 0), ist(2026, 4, 2, 8, 30)),
    (ist(2026, 4, 3, 19, 0), ist(2026, 4, 6, 8, 30)),  # Friday evening → Monday
    (ist(2026, 3, 19, 14, 0), ist(2026, 3, 23, 8, 30)),  # arife afternoon, then the bayram
    (ist(2026, 5, 26, 13, 30), ist(2026, 6, 1, 8, 30)),  # Kurban arife: six days closed
]


@pytest.mark.parametrize(("moment", "expected"), NEXT_OPEN)
def test_next_open(moment, expected):
    assert WorkingHours(CALENDAR, SETTINGS).next_open(moment) == expected


def test_an_admin_override_opens_a_day():
    calendar = HolidayCalendar([HolidayOverride(ist(2026, 4, 23).date(), "none", "", "",
                                                "test")])
    assert WorkingHours(calendar, SETTINGS).is_open(ist(2026, 4, 23, 10, 0))


def codes(rungs) -> list[str]:
    return [r.code for r in rungs]


# case, handled, now -> (sent, superseded, next_at)
DECISIONS = [
    pytest.param(BASE, set(), ist(2026, 4, 10), None, [], ist(2026, 4, 21, 8, 30),
                 id="nothing-due"),
    pytest.param(BASE, set(), ist(2026, 4, 21, 9, 0), "d10", [], ist(2026, 4, 27, 8, 30),
                 id="first-rung"),
    pytest.param(BASE, {"d10"}, ist(2026, 4, 21, 9, 5), None, [], ist(2026, 4, 27, 8, 30),
                 id="already-sent"),
    pytest.param(BASE, set(), ist(2026, 4, 29, 10, 0), "d2", ["d10", "d5"],
                 ist(2026, 5, 1, 9, 0), id="catch-up-sends-only-the-most-severe"),
    pytest.param(BASE, {"d10"}, ist(2026, 4, 27, 21, 0), None, [], ist(2026, 4, 28, 8, 30),
                 id="routine-rung-at-night-waits-for-the-morning"),
    pytest.param(BASE, set(), ist(2026, 4, 25, 10, 0), None, [], ist(2026, 4, 27, 8, 30),
                 id="routine-rung-on-saturday-waits-for-monday"),
    pytest.param(BASE, {"d10", "d5"}, ist(2026, 5, 1, 9, 0), "due_day", ["d2"],
                 ist(2026, 5, 1, 23, 59), id="due-day-alert-on-a-holiday"),
    pytest.param(BASE, EVERY_EARLY_RUNG - {"overdue"}, ist(2026, 5, 1, 23, 59, 30), "overdue",
                 [], ist(2026, 5, 4, 8, 30), id="overdue-at-the-cut-off"),
    pytest.param(BASE, EVERY_EARLY_RUNG | {f"overdue:2026-05-0{d}" for d in range(4, 9)},
                 ist(2026, 5, 8, 18, 30), None, [], ist(2026, 5, 11, 8, 30),
                 id="friday-evening-still-knows-monday"),
    pytest.param(BASE, {"d10"}, ist(2026, 5, 13, 10, 0), "overdue:2026-05-13",
                 ["d5", "d2", "due_day", "overdue", "overdue:2026-05-04",
                  "overdue:2026-05-05", "overdue:2026-05-06", "overdue:2026-05-07",
                  "overdue:2026-05-08", "overdue:2026-05-11", "overdue:2026-05-12"],
                 ist(2026, 5, 14, 8, 30), id="down-for-two-weeks-one-alert"),
    pytest.param(BASE, {"d10"}, ist(2026, 5, 9, 3, 0), "overdue:2026-05-08",
                 ["d5", "d2", "due_day", "overdue", "overdue:2026-05-04",
                  "overdue:2026-05-05", "overdue:2026-05-06", "overdue:2026-05-07"],
                 ist(2026, 5, 11, 8, 30), id="overdue-alerts-go-out-at-night"),
    pytest.param(ARIFE, {"d10", "d5", "d2", "due_day"}, ist(2026, 5, 26, 12, 0, 1), "overdue",
                 [], ist(2026, 6, 1, 8, 30), id="arife-cut-off-then-the-bayram"),
    pytest.param(BASE_UNASSIGNED, set(), ist(2026, 4, 3, 10, 0), "unassigned", [],
                 ist(2026, 4, 21, 8, 30), id="unassigned"),
    pytest.param(BASE_UNASSIGNED, set(), ist(2026, 4, 3, 20, 0), None, [],
                 ist(2026, 4, 6, 8, 30), id="unassigned-at-night-waits"),
    pytest.param(BASE_UNASSIGNED, set(), ist(2026, 4, 21, 9, 0), "d10", [],
                 ist(2026, 4, 3, 10, 0), id="deadline-first-unassigned-on-the-next-pass"),
    pytest.param(BASE_UNASSIGNED, {"d10"}, ist(2026, 4, 21, 9, 5), "unassigned", [],
                 ist(2026, 4, 27, 8, 30), id="unassigned-is-never-superseded"),
    pytest.param(BASE_UNASSIGNED, {"d10", "d5", "d2", "due_day"}, ist(2026, 5, 2, 1, 0),
                 "overdue", [], ist(2026, 5, 4, 8, 30), id="unassigned-waits-behind-an-alert"),
    pytest.param(BASE, EVERY_EARLY_RUNG, ist(2026, 5, 4, 8, 29), None, [],
                 ist(2026, 5, 4, 8, 30), id="just-before-the-daily-rung"),
]


@pytest.mark.parametrize(("case", "handled", "now", "sent", "superseded", "next_at"), DECISIONS)
def test_decide(case, handled, now, sent, superseded, next_at):
    decision = decide(case, frozenset(handled), now, CALENDAR, SETTINGS)
    assert (decision.send.code if decision.send else None) == sent
    assert codes(decision.superseded) == superseded
    assert decision.next_at == next_at


def simulate(case: CaseClock, start: datetime, end: datetime, step: timedelta,
             down: tuple[datetime, datetime] | None = None):
    """Run the sweep every `step` as the job would, skipping a down-time window."""
    handled: set[str] = set()
    sent: list[tuple[str, datetime]] = []
    next_at = start
    now = start
    while now <= end:
        if down is None or not down[0] <= now < down[1]:
            if next_at is not None and next_at <= now:
                decision = decide(case, frozenset(handled), now, CALENDAR, SETTINGS)
                if decision.send is not None:
                    sent.append((decision.send.code, now))
                    handled.add(decision.send.code)
                handled.update(codes(decision.superseded))
                next_at = decision.next_at
                assert next_at is not None, "an open case must always have a next sweep"
        now += step
    return sent


def test_a_month_of_sweeps_sends_each_rung_once_and_on_time():
    sent = simulate(BASE_UNASSIGNED, ist(2026, 4, 1, 10, 0), ist(2026, 5, 6, 12, 0),
                    timedelta(minutes=5))
    assert sent == [
        ("unassigned", ist(2026, 4, 3, 10, 0)),
        ("d10", ist(2026, 4, 21, 8, 30)),
        ("d5", ist(2026, 4, 27, 8, 30)),
        ("d2", ist(2026, 4, 29, 8, 30)),
        ("due_day", ist(2026, 5, 1, 9, 0)),
        ("overdue", ist(2026, 5, 2, 0, 0)),  # the first sweep after 23:59
        ("overdue:2026-05-04", ist(2026, 5, 4, 8, 30)),
        ("overdue:2026-05-05", ist(2026, 5, 5, 8, 30)),
        ("overdue:2026-05-06", ist(2026, 5, 6, 8, 30)),
    ]
    hours = WorkingHours(CALENDAR, SETTINGS)
    routine = {"unassigned", "d10", "d5", "d2"}
    assert all(hours.is_open(at) for code, at in sent if code in routine)


def test_a_sweep_down_for_a_week_catches_up_with_one_reminder():
    sent = simulate(BASE, ist(2026, 4, 20, 10, 0), ist(2026, 5, 5, 12, 0),
                    timedelta(minutes=5), down=(ist(2026, 4, 26), ist(2026, 5, 2, 10, 0)))
    assert sent == [
        ("d10", ist(2026, 4, 21, 8, 30)),
        ("overdue", ist(2026, 5, 2, 10, 0)),  # not d5, d2 and due_day in a burst
        ("overdue:2026-05-04", ist(2026, 5, 4, 8, 30)),
        ("overdue:2026-05-05", ist(2026, 5, 5, 8, 30)),
    ]


def test_a_long_overdue_case_still_has_a_next_rung():
    case = clock(ist(2024, 1, 10))
    decision = decide(case, frozenset(), ist(2026, 4, 1, 10, 0), CALENDAR, SETTINGS)
    assert decision.send.code == "overdue:2026-04-01"
    assert decision.next_at == ist(2026, 4, 2, 8, 30)
