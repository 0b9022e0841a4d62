"""The pure figures: periods, median, percentile and the tally, with plain tables."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from kvkk_tracker.domain.reporting import (
    CaseFacts,
    Period,
    Tally,
    binned,
    chart_window,
    median,
    percentile,
)


@pytest.mark.parametrize(("period", "start", "end"), [
    (Period.month(2024, 2), date(2024, 2, 1), date(2024, 2, 29)),  # leap year
    (Period.month(2025, 12), date(2025, 12, 1), date(2025, 12, 31)),
    (Period.quarter(2025, 1), date(2025, 1, 1), date(2025, 3, 31)),
    (Period.quarter(2025, 4), date(2025, 10, 1), date(2025, 12, 31)),
    (Period.year(2026), date(2026, 1, 1), date(2026, 12, 31)),
])
def test_periods_cover_whole_calendar_units(period, start, end):
    assert (period.start, period.end) == (start, end)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(date(2025, 2, 1), date(2025, 1, 31))


def test_the_charts_show_at_least_the_twelve_months_up_to_the_period_end():
    window = chart_window(Period.month(2026, 1))
    assert window.months()[0] == date(2025, 2, 1) and window.months()[-1] == date(2026, 1, 1)
    long = chart_window(Period(date(2023, 5, 10), date(2025, 1, 3)))
    assert long.months()[0] == date(2023, 5, 1) and len(long.months()) == 21


@pytest.mark.parametrize(("values", "expected_median", "expected_p90"), [
    ([], None, None),
    ([7], 7, 7),
    ([1, 2], 1.5, 2),  # p90: rank ceil(1.8) = 2
    ([3, 1, 2], 2, 3),  # p90: rank ceil(2.7) = 3
    ([0, 10, 21, 30, 32, 35], 25.5, 35),  # rank ceil(5.4) = 6
    (list(range(1, 11)), 5.5, 9),  # rank ceil(9.0) = 9
    (list(range(1, 21)), 10.5, 18),  # rank 18
])
def test_median_and_nearest_rank_percentile(values, expected_median, expected_p90):
    histogram = Counter(values)
    assert median(histogram) == expected_median
    assert percentile(histogram, 90) == expected_p90


def test_the_tally_counts_a_withdrawn_case_but_never_in_the_rate():
    tally = Tally()
    today = date(2025, 6, 1)
    cases = [
        CaseFacts(date(2025, 1, 1), date(2025, 1, 31), date(2025, 2, 2), "withdrawn"),
        # late, within the outer limit
        CaseFacts(date(2025, 1, 1), date(2025, 1, 31), date(2025, 2, 2), "replied",
                  replied_on=date(2025, 2, 1)),
        CaseFacts(date(2025, 5, 1), date(2025, 5, 31), date(2025, 6, 2), "in_review"),
    ]
    for case in cases:
        tally.add(case.outcome(today))
    assert (tally.received, tally.withdrawn, tally.replied, tally.open) == (3, 1, 1, 1)
    assert tally.on_time_rate == 0 and tally.on_time_rate_outer == 1
    assert tally.overdue == 1  # the open case was due 31.05; today is 01.06
    assert dict(tally.days_late) == {1: 1}


def test_a_group_of_cases_counts_as_that_many_cases():
    one_by_one, grouped = Tally(), Tally()
    outcome = CaseFacts(date(2025, 1, 1), date(2025, 1, 31), date(2025, 2, 3), "closed",
                        replied_on=date(2025, 2, 3)).outcome(date(2025, 6, 1))
    for _ in range(3):
        one_by_one.add(outcome)
    grouped.add(outcome, 3)
    assert one_by_one == grouped
    assert (grouped.replied, grouped.late, grouped.on_time_outer) == (3, 3, 3)


def test_days_to_reply_fall_into_five_day_bins_up_to_thirty():
    histogram = Counter({0: 1, 5: 1, 6: 2, 30: 1, 31: 1, 45: 3})
    counts = dict(binned(histogram))
    assert counts[(0, 5)] == 2 and counts[(6, 10)] == 2 and counts[(26, 30)] == 1
    assert counts[(31, 40)] == 1 and counts[(41, None)] == 3


def test_the_late_list_keeps_the_hundred_latest_replies_most_late_first():
    from datetime import timedelta

    from kvkk_tracker.domain.reporting import LATE_LISTED, build_report

    due = date(2025, 1, 31)
    cases = [CaseFacts(date(2025, 1, 1), due, due, "replied",
                       replied_on=due + timedelta(days=late), ref=f"K{late:03d}")
             for late in range(0, 151)]  # 0 (on time) to 150 days late, in rising order
    listed = build_report(cases, Period.year(2025), date(2026, 1, 1)).late_replies()
    assert len(listed) == LATE_LISTED == 100
    assert [c.days_late for c in listed] == list(range(150, 50, -1))
