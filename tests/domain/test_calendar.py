"""The holiday calendar: package days, half days and admin overrides."""

from __future__ import annotations

from datetime import date

import pytest

from kvkk_tracker.domain.calendar import HOLIDAYS_SOURCE, HolidayCalendar, HolidayOverride

CALENDAR = HolidayCalendar()


@pytest.mark.parametrize(
    ("day", "full", "half", "working"),
    [
        (date(2026, 1, 1), True, False, False),  # Thursday, Yılbaşı
        (date(2026, 1, 2), False, False, True),  # Friday
        (date(2026, 1, 3), False, False, False),  # Saturday
        (date(2026, 1, 4), False, False, False),  # Sunday
        (date(2026, 3, 19), False, True, True),  # arife: a working day until 13:00
        (date(2026, 3, 20), True, False, False),
        (date(2026, 5, 26), False, True, True),
        (date(2026, 10, 28), False, True, True),
        (date(2026, 10, 29), True, False, False),
        (date(2027, 5, 15), False, True, False),  # an arife on a Saturday is still a Saturday
        (date(2027, 5, 19), True, False, False),  # Gençlik ve Spor Bayramı and Kurban Bayramı
    ],
)
def test_day_kinds(day, full, half, working):
    assert CALENDAR.is_full_holiday(day) is full
    assert CALENDAR.is_half_day(day) is half
    assert CALENDAR.is_working_day(day) is working


@pytest.mark.parametrize(
    "day",
    [date(2029, 4, 23), date(2022, 5, 1), date(2033, 1, 1)],
)
def test_a_full_holiday_that_is_also_an_arife_stays_a_full_holiday(day):
    # Regression: 23.04.2029 is both Ulusal Egemenlik ve Çocuk Bayramı and Kurban arifesi.
    # It used to count as a half day, so a Monday holiday became a working day.
    assert CALENDAR.is_full_holiday(day)
    assert not CALENDAR.is_half_day(day)
    assert not CALENDAR.is_working_day(day)


def test_package_holidays_record_their_source():
    holiday = CALENDAR.holiday(date(2026, 5, 1))
    assert holiday.name_tr == "Emek ve Dayanışma Günü"
    assert holiday.name("en") == "Labor and Solidarity Day"
    assert holiday.name("tr") == holiday.name_tr
    assert holiday.source == HOLIDAYS_SOURCE
    assert HOLIDAYS_SOURCE.startswith("holidays ")


def test_idari_izin_is_not_a_holiday():
    # KVKK.md §3(5): administrative leave days are working days. 02.01.2026 is a bridge day.
    assert CALENDAR.holiday(date(2026, 1, 2)) is None
    assert CALENDAR.is_working_day(date(2026, 1, 2))


def test_year_lists_2026_in_order():
    days = [h.day for h in CALENDAR.year(2026)]
    assert days == sorted(days)
    assert len(days) == 17
    assert [h.day for h in CALENDAR.year(2026) if h.half_day] == [
        date(2026, 3, 19), date(2026, 5, 26), date(2026, 10, 28),
    ]


EXTRA = HolidayOverride(date(2026, 6, 15), "full", "Olağanüstü tatil", "Extraordinary holiday",
                        "Resmî Gazete 01.06.2026/33000")
NOT_A_HOLIDAY = HolidayOverride(date(2026, 5, 1), "none", "", "", "admin: test")
HALF = HolidayOverride(date(2026, 6, 16), "half", "Yarım gün", "Half day", "Genelge 2026/7")


def test_overrides_add_remove_and_halve_days_and_record_their_source():
    calendar = HolidayCalendar([EXTRA, NOT_A_HOLIDAY, HALF])
    added = calendar.holiday(date(2026, 6, 15))
    assert (added.name_tr, added.half_day, added.source) == (
        "Olağanüstü tatil", False, "Resmî Gazete 01.06.2026/33000")
    assert not calendar.is_working_day(date(2026, 6, 15))
    assert calendar.holiday(date(2026, 5, 1)) is None
    assert calendar.is_working_day(date(2026, 5, 1))
    halved = calendar.holiday(date(2026, 6, 16))
    assert halved.half_day and halved.source == "Genelge 2026/7"
    assert calendar.is_working_day(date(2026, 6, 16))
    days = [h.day for h in calendar.year(2026)]
    assert date(2026, 6, 15) in days and date(2026, 6, 16) in days
    assert date(2026, 5, 1) not in days
    # The package calendar is untouched.
    assert CALENDAR.is_full_holiday(date(2026, 5, 1))
    assert CALENDAR.holiday(date(2026, 6, 15)) is None


def test_a_none_override_does_not_make_a_weekend_a_working_day():
    calendar = HolidayCalendar([HolidayOverride(date(2026, 8, 30), "none", "", "", "admin")])
    assert calendar.holiday(date(2026, 8, 30)) is None
    assert not calendar.is_working_day(date(2026, 8, 30))  # a Sunday


@pytest.mark.parametrize("kind", ["Full", "HALF", "", "holiday", "yarım"])
def test_override_kind_must_be_known(kind):
    with pytest.raises(ValueError, match="kind"):
        HolidayOverride(date(2026, 6, 15), kind, "x", "x", "admin")
