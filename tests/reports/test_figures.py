"""The report figures against numbers worked out by hand from the dataset in conftest.py.

Nothing here calls the code under test to get an expected value: each number is counted from
the SPECS table, and the comment beside it says how.
"""

from __future__ import annotations

from datetime import date

import pytest

from kvkk_tracker.domain.reporting import Period
from kvkk_tracker.extensions import db
from kvkk_tracker.services.reports import period_report

from .conftest import NOW


@pytest.fixture(scope="module")
def year_2025(dataset):
    with dataset.app.app_context():
        figures = period_report(db.session, Period.year(2025), NOW)
        db.session.expunge_all()
        return figures


def test_key_figures_of_2025(year_2025):
    total = year_2025.report.total
    # Received in 2025 (Istanbul day 0): A B C D H I F E G; J is 2024.
    assert total.received == 9
    # Open: F (in review) and G (received).
    assert total.open == 2
    # Closed: A B C H I E replied, D withdrawn.
    assert total.concluded == 7
    assert total.withdrawn == 1
    # Overdue on 20.01.2026: F (due 03.12.2025); G is due 28.01.2026.
    assert total.overdue == 1
    # Replied: A B C H I E (D withdrawn is not a reply).
    assert total.replied == 6


def test_on_time_rates_of_2025(year_2025):
    total = year_2025.report.total
    # By the statutory date: A (13.03 <= 02.04), H (same day), I (31.10 <= 31.10),
    # E (05.01 <= 14.01) = 4 of 6; B and C are late.
    assert (total.on_time_statutory, total.replied) == (4, 6)
    assert total.on_time_rate == pytest.approx(4 / 6)
    # By the outer limit, C (02.06 <= outer 02.06) is on time too: 5 of 6.
    assert total.on_time_outer == 5
    assert total.on_time_rate_outer == pytest.approx(5 / 6)


def test_days_to_reply_of_2025(year_2025):
    total = year_2025.report.total
    # A 10, B 35 (10.03 -> 14.04), C 32 (01.05 -> 02.06), H 0, I 30 (01.10 -> 31.10),
    # E 21 (15.12 -> 05.01): sorted 0 10 21 30 32 35.
    assert sorted(total.days_to_reply.elements()) == [0, 10, 21, 30, 32, 35]
    # Median of six values: the mean of the 3rd and 4th, (21 + 30) / 2.
    assert total.median_days == 25.5
    # 90th percentile, nearest rank: ceil(0.9 * 6) = 6th value = 35.
    assert total.p90_days == 35


def test_late_replies_of_2025(year_2025):
    total = year_2025.report.total
    # B: 14.04 - 09.04 = 5 days late; C: 02.06 - 31.05 = 2 days late.
    assert total.late == 2
    assert sorted(total.days_late.elements()) == [2, 5]
    assert total.median_days_late == 3.5  # (2 + 5) / 2
    assert total.max_days_late == 5
    # Only B is also after its outer limit (09.04, a Wednesday).
    assert total.late_beyond_outer == 1


def test_breakdown_by_channel_and_officer(year_2025):
    report = year_2025.report
    web, kep = report.by_channel["web"], report.by_channel["kep"]
    # web: A C D E G H received; replied A C E H; on time A E H.
    assert (web.received, web.replied, web.on_time_statutory) == (6, 4, 3)
    # kep: B F I received; replied B I; on time I.
    assert (kep.received, kep.replied, kep.on_time_statutory) == (3, 2, 1)
    officers = {year_2025.officers.get(ident): tally for ident, tally in report.by_officer.items()}
    # Ayşe (o1): A B F I; replied A B I; on time A I.
    ayse = officers["Ayşe Officer"]
    assert (ayse.received, ayse.replied, ayse.on_time_statutory, ayse.open) == (4, 3, 2, 1)
    # Burak (o2): C D E H; replied C E H; on time E H.
    burak = officers["Burak Officer"]
    assert (burak.received, burak.replied, burak.on_time_statutory) == (4, 3, 2)
    # G stays in the pool.
    assert officers[None].received == 1


def test_breakdown_by_right_outcome_and_reason(year_2025):
    rights = year_2025.rights
    # (a): A accepted, E accepted, I partially accepted, D F G undecided.
    assert dict(rights.by_right["a"]) == {"accepted": 2, "partially_accepted": 1, "undecided": 3}
    assert dict(rights.by_right["b"]) == {"accepted": 1}  # C
    assert dict(rights.by_right["cc"]) == {"rejected": 1}  # E
    assert dict(rights.by_right["d"]) == {"accepted": 1}  # H
    assert dict(rights.by_right["e"]) == {"rejected": 1}  # B
    # Ten requested rights: accepted A.a C.b E.a H.d; partial I.a; rejected B.e E.cc.
    assert dict(rights.by_outcome) == {"accepted": 4, "partially_accepted": 1, "rejected": 2,
                                       "undecided": 3}
    assert dict(rights.by_reason) == {"no_data_held": 1, "art28_2_a": 1, "art28_2_b": 1}


def test_monthly_series_of_2025(year_2025):
    months = {month: tally for month, tally in year_2025.report.monthly()}
    assert list(months) == [date(2025, m, 1) for m in range(1, 13)]
    # Received per month: Mar A B, May C, Jun D, Jul H, Oct I, Nov F, Dec E G.
    assert [t.received for t in months.values()] == [0, 0, 2, 0, 1, 1, 1, 0, 0, 1, 1, 2]
    # On time: March 1 of 2 (A yes, B no); May 0 of 1 (C); June no reply (D withdrawn).
    assert months[date(2025, 3, 1)].on_time_rate == 0.5
    assert months[date(2025, 5, 1)].on_time_rate == 0
    assert months[date(2025, 6, 1)].on_time_rate is None
    assert months[date(2025, 12, 1)].on_time_rate == 1  # E


def test_a_quarter_counts_by_istanbul_day_zero(dataset):
    with dataset.app.app_context():
        total = period_report(db.session, Period.quarter(2025, 4), NOW).report.total
    # Q4 2025: I (01.10 in Istanbul, 30.09 in UTC), F, E, G.
    assert total.received == 4
    # Replied I (30 days) and E (21 days): median (21 + 30) / 2, p90 rank ceil(1.8) = 2nd.
    assert (total.replied, total.median_days, total.p90_days) == (2, 25.5, 30)
    assert total.on_time_rate == 1


def test_september_is_empty_because_i_arrived_on_1_october_in_istanbul(dataset):
    with dataset.app.app_context():
        total = period_report(db.session, Period.month(2025, 9), NOW).report.total
    assert total.received == 0
    assert total.on_time_rate is None and total.median_days is None


def test_a_reply_in_january_counts_for_the_december_cohort(dataset):
    with dataset.app.app_context():
        december = period_report(db.session, Period.month(2025, 12), NOW).report.total
        january = period_report(db.session, Period.month(2026, 1), NOW).report.total
    # December: E (replied 05.01.2026 after 21 days) and G (open).
    assert (december.received, december.replied, december.open) == (2, 1, 1)
    assert december.median_days == 21
    assert january.received == 0
