"""Art. 14 complaint windows (KVKK.md §3 table; Board decision 2019/9)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from kvkk_tracker.domain.calendar import HolidayCalendar
from kvkk_tracker.domain.deadlines import (
    ISTANBUL,
    ComplaintWindow,
    complaint_window,
    compute_deadline,
)

APPLIED = date(2026, 4, 1)
DUE = date(2026, 5, 1)  # statutory_due; outer_due is 04.05.2026


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (date(2026, 4, 1), ComplaintWindow("reply_in_time", date(2026, 4, 1), date(2026, 5, 1))),
        (date(2026, 4, 10), ComplaintWindow("reply_in_time", date(2026, 4, 10), date(2026, 5, 10))),
        (date(2026, 4, 30), ComplaintWindow("reply_in_time", date(2026, 4, 30), date(2026, 5, 30))),
        # Boundary: a reply on statutory_due is in time.
        (date(2026, 5, 1), ComplaintWindow("reply_in_time", date(2026, 5, 1), date(2026, 5, 31))),
        # One day late: 60 days from the application date.
        (date(2026, 5, 2), ComplaintWindow("late_reply", APPLIED, date(2026, 5, 31))),
        # The rolled-over outer limit does not make a reply in time: the rule counts 30 days.
        (date(2026, 5, 4), ComplaintWindow("late_reply", APPLIED, date(2026, 5, 31))),
        (date(2026, 7, 1), ComplaintWindow("late_reply", APPLIED, date(2026, 5, 31))),
        (None, ComplaintWindow("no_reply", APPLIED, date(2026, 5, 31))),
    ],
)
def test_complaint_window(reply, expected):
    assert complaint_window(APPLIED, DUE, reply) == expected


def test_no_reply_is_the_default():
    assert complaint_window(APPLIED, DUE).rule == "no_reply"


@pytest.mark.parametrize(
    ("applied", "reply_day", "rule", "ends"),
    [
        (date(2026, 12, 2), 30, "reply_in_time", date(2027, 1, 31)),
        (date(2026, 12, 2), 31, "late_reply", date(2027, 1, 31)),
        (date(2028, 1, 30), 30, "reply_in_time", date(2028, 3, 30)),  # leap year
        (date(2028, 1, 30), 31, "late_reply", date(2028, 3, 30)),
    ],
)
def test_complaint_window_from_a_computed_deadline(applied, reply_day, rule, ends):
    deadline = compute_deadline(datetime.combine(applied, datetime.min.time(), tzinfo=ISTANBUL),
                                HolidayCalendar())
    reply = applied + timedelta(days=reply_day)
    window = complaint_window(deadline.received_local_date, deadline.statutory_due, reply)
    assert window.rule == rule
    assert window.ends == ends
    # Whatever the rule, a window never runs past 60 days from the application date.
    assert (window.ends - applied).days <= 60
