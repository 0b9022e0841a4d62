"""Whole-year tables: every 2026 and 2027 holiday as a due date, and every receipt day.

The expectations come from two places that do not share code with the calendar under test: the
`holidays` package read directly, and a 2026 table written by hand from KVKK.md §3.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import holidays
import pytest

from kvkk_tracker.domain.calendar import HolidayCalendar
from kvkk_tracker.domain.deadlines import ISTANBUL, compute_deadline
from kvkk_tracker.domain.text import format_date

CALENDAR = HolidayCalendar()
YEARS = (2026, 2027)
_SPAN = range(YEARS[0] - 1, YEARS[-1] + 2)  # rollover can cross into the next year
PUBLIC = holidays.Turkey(years=_SPAN, categories=("public",))
HALF = holidays.Turkey(years=_SPAN, categories=("half_day",))
NAMES_TR = holidays.Turkey(years=_SPAN, categories=("public", "half_day"), language="tr")
NAMES_EN = holidays.Turkey(years=_SPAN, categories=("public", "half_day"), language="en_US")
NOON, END_OF_DAY = time(12, 0), time(23, 59)


def _first_working_day(day: date) -> date:
    while day.weekday() >= 5 or day in PUBLIC:
        day += timedelta(days=1)
    return day


def _received_for(due: date) -> datetime:
    return datetime.combine(due - timedelta(days=30), time(9, 30), tzinfo=ISTANBUL)


PACKAGE_TABLE = [
    pytest.param(day, id=day.isoformat())
    for year in YEARS
    for day in sorted(holidays.Turkey(years=year, categories=("public", "half_day")))
]


def test_the_package_table_is_not_empty():
    assert len(PACKAGE_TABLE) == 17 + 16


@pytest.mark.parametrize("due", PACKAGE_TABLE)
def test_every_holiday_from_the_package_as_a_due_date(due):
    result = compute_deadline(_received_for(due), CALENDAR)
    assert result.statutory_due == due
    half_only = due in HALF and due not in PUBLIC
    assert result.outer_due == _first_working_day(due)
    assert result.cutoff == (NOON if half_only else END_OF_DAY)
    tr_texts, en_texts = result.reason_texts("tr"), result.reason_texts("en")
    name_tr, name_en = NAMES_TR[due], NAMES_EN[due]
    assert any(name_tr in t for t in tr_texts), tr_texts
    assert any(name_en in t for t in en_texts), en_texts
    if result.outer_due != due:
        target = f"→ {format_date(result.outer_due)}"
        assert any(t.startswith(format_date(due)) and target in t for t in tr_texts), tr_texts
        skipped = [r for r in result.reasons if r.code == "skipped"]
        assert len(skipped) == (result.outer_due - due).days
    if half_only:
        assert any(name_tr in t and "12:00" in t for t in tr_texts)
        assert any(name_en in t and "12:00" in t for t in en_texts)


# Written by hand from KVKK.md §3 and a 2026 wall calendar, not from the package:
# statutory_due (the holiday), outer_due, cut-off, a word of its Turkish name.
HAND_2026 = [
    (date(2026, 1, 1), date(2026, 1, 2), END_OF_DAY, "Yılbaşı"),  # Thu → Fri
    (date(2026, 3, 19), date(2026, 3, 19), NOON, "Ramazan Bayramı"),  # arife, Thu
    (date(2026, 3, 20), date(2026, 3, 23), END_OF_DAY, "Ramazan Bayramı"),  # Fri-Sun → Mon
    (date(2026, 3, 21), date(2026, 3, 23), END_OF_DAY, "Ramazan Bayramı"),
    (date(2026, 3, 22), date(2026, 3, 23), END_OF_DAY, "Ramazan Bayramı"),
    (date(2026, 4, 23), date(2026, 4, 24), END_OF_DAY, "Ulusal Egemenlik ve Çocuk Bayramı"),
    (date(2026, 5, 1), date(2026, 5, 4), END_OF_DAY, "Emek ve Dayanışma Günü"),  # Fri → Mon
    (date(2026, 5, 19), date(2026, 5, 20), END_OF_DAY, "Gençlik ve Spor Bayramı"),
    (date(2026, 5, 26), date(2026, 5, 26), NOON, "Kurban Bayramı"),  # arife, Tue
    (date(2026, 5, 27), date(2026, 6, 1), END_OF_DAY, "Kurban Bayramı"),  # Wed-Sat, Sun → Mon
    (date(2026, 5, 28), date(2026, 6, 1), END_OF_DAY, "Kurban Bayramı"),
    (date(2026, 5, 29), date(2026, 6, 1), END_OF_DAY, "Kurban Bayramı"),
    (date(2026, 5, 30), date(2026, 6, 1), END_OF_DAY, "Kurban Bayramı"),
    (date(2026, 7, 15), date(2026, 7, 16), END_OF_DAY, "Demokrasi ve Millî Birlik Günü"),
    (date(2026, 8, 30), date(2026, 8, 31), END_OF_DAY, "Zafer Bayramı"),  # a Sunday
    (date(2026, 10, 28), date(2026, 10, 28), NOON, "Cumhuriyet Bayramı"),  # half day, Wed
    (date(2026, 10, 29), date(2026, 10, 30), END_OF_DAY, "Cumhuriyet Bayramı"),
]


def test_the_hand_table_lists_exactly_the_package_days_for_2026():
    assert [row[0] for row in HAND_2026] == sorted(
        holidays.Turkey(years=2026, categories=("public", "half_day")))


@pytest.mark.parametrize(("due", "outer", "cutoff", "name"), HAND_2026,
                         ids=[row[0].isoformat() for row in HAND_2026])
def test_2026_by_hand(due, outer, cutoff, name):
    received = datetime.combine(due - timedelta(days=30), time(16, 45))  # naive: Istanbul
    result = compute_deadline(received, CALENDAR)
    assert result.received_local_date == due - timedelta(days=30)
    assert result.statutory_due == due
    assert result.outer_due == outer
    assert result.cutoff == cutoff
    texts = result.reason_texts()
    if outer == due:
        assert any(name in t and "12:00" in t for t in texts), texts
    else:
        # A holiday is named even when it falls on a weekend (21.03, 30.05, 30.08).
        rolled = [t for t in texts if t.startswith(f"{due:%d.%m.%Y} ")]
        assert len(rolled) == 1, texts
        assert name in rolled[0] and "(resmî tatil)" in rolled[0]
        assert rolled[0].endswith(f"→ {outer:%d.%m.%Y}")


@pytest.mark.parametrize("year", YEARS)
def test_sweep_every_receipt_day(year):
    day = date(year, 1, 1)
    while day.year == year:
        for moment in (time(0, 0), time(23, 59, 59)):
            result = compute_deadline(datetime.combine(day, moment, tzinfo=ISTANBUL), CALENDAR)
            assert result.received_local_date == day
            assert result.statutory_due - result.received_local_date == timedelta(days=30)
            assert result.outer_due >= result.statutory_due
            assert result.outer_due == _first_working_day(result.statutory_due)
            assert result.outer_due.weekday() < 5
            half_only = result.statutory_due in HALF and result.statutory_due not in PUBLIC
            assert result.cutoff == (NOON if half_only else END_OF_DAY)
            # Every day rolled over is explained, and nothing else is.
            skipped = [r for r in result.reasons if r.code == "skipped"]
            assert len(skipped) == (result.outer_due - result.statutory_due).days
        day += timedelta(days=1)
