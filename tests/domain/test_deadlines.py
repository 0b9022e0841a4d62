"""The Art. 13 clock (KVKK.md §3): day 0, statutory_due, outer_due, cut-off and reasons."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from kvkk_tracker.domain.calendar import HolidayCalendar, HolidayOverride
from kvkk_tracker.domain.deadlines import (
    ISTANBUL,
    Deadline,
    DeadlinePolicy,
    Reason,
    compute_deadline,
    days_left,
    to_istanbul,
)

CALENDAR = HolidayCalendar()


def deadline(received: datetime, calendar: HolidayCalendar = CALENDAR, **policy) -> Deadline:
    return compute_deadline(received, calendar, DeadlinePolicy(**policy))


def local(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=ISTANBUL)


def utc(y: int, m: int, d: int, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=UTC)


# received_at, day 0, statutory_due, outer_due
MIDNIGHT = [
    (utc(2026, 1, 15, 20, 59, 59), date(2026, 1, 15), date(2026, 2, 14), date(2026, 2, 16)),
    (utc(2026, 1, 15, 21, 0, 0), date(2026, 1, 16), date(2026, 2, 15), date(2026, 2, 16)),
    (utc(2026, 1, 15, 23, 30), date(2026, 1, 16), date(2026, 2, 15), date(2026, 2, 16)),
    (datetime(2026, 1, 15, 23, 59, 59), date(2026, 1, 15), date(2026, 2, 14), date(2026, 2, 16)),
    (datetime(2026, 1, 16, 0, 0), date(2026, 1, 16), date(2026, 2, 15), date(2026, 2, 16)),
    (datetime(2026, 1, 15, 23, 59, tzinfo=timezone(timedelta(hours=3))),
     date(2026, 1, 15), date(2026, 2, 14), date(2026, 2, 16)),
    (datetime(2026, 1, 15, 16, 0, tzinfo=timezone(timedelta(hours=-5))),  # 21:00 UTC
     date(2026, 1, 16), date(2026, 2, 15), date(2026, 2, 16)),
    (datetime(2026, 1, 16, 1, 0, tzinfo=timezone(timedelta(hours=14))),  # 15th, 11:00 UTC
     date(2026, 1, 15), date(2026, 2, 14), date(2026, 2, 16)),
]


@pytest.mark.parametrize(("received", "day0", "due", "outer"), MIDNIGHT)
def test_day_zero_is_the_istanbul_calendar_day(received, day0, due, outer):
    result = deadline(received)
    assert result.received_local_date == day0
    assert result.statutory_due == due
    assert result.outer_due == outer
    assert result.received_at.tzinfo is UTC
    assert result.received_at == to_istanbul(received)


@pytest.mark.parametrize(
    ("naive", "aware"),
    [
        (datetime(2026, 1, 15, 23, 30), utc(2026, 1, 15, 20, 30)),
        (datetime(2026, 7, 1, 0, 0), utc(2026, 6, 30, 21, 0)),  # no summer time since 2016
    ],
)
def test_naive_datetimes_are_istanbul_local_time(naive, aware):
    assert to_istanbul(naive) == aware
    assert to_istanbul(naive).utcoffset() == timedelta(hours=3)
    assert to_istanbul(aware).tzinfo is ISTANBUL


# received (Istanbul local), statutory_due, outer_due: year ends, month lengths, leap years.
BOUNDARIES = [
    (local(2026, 12, 2), date(2027, 1, 1), date(2027, 1, 4)),  # Fri holiday, Sat, Sun → Mon
    (local(2025, 12, 2), date(2026, 1, 1), date(2026, 1, 2)),  # Thu holiday → Fri
    (local(2026, 12, 1), date(2026, 12, 31), date(2026, 12, 31)),  # Thursday
    (local(2027, 12, 2), date(2028, 1, 1), date(2028, 1, 3)),  # Sat holiday, Sun → Mon
    (local(2027, 12, 1), date(2027, 12, 31), date(2027, 12, 31)),  # Friday
    (local(2026, 12, 31, 23, 59), date(2027, 1, 30), date(2027, 2, 1)),  # Sat → Mon
    (local(2027, 1, 1, 0, 0), date(2027, 1, 31), date(2027, 2, 1)),  # Sun → Mon
    (local(2027, 1, 30), date(2027, 3, 1), date(2027, 3, 1)),  # February has 28 days
    (local(2028, 1, 30), date(2028, 2, 29), date(2028, 2, 29)),  # leap day, a Tuesday
    (local(2026, 1, 31), date(2026, 3, 2), date(2026, 3, 2)),
]


@pytest.mark.parametrize(("received", "due", "outer"), BOUNDARIES)
def test_year_and_month_boundaries(received, due, outer):
    result = deadline(received)
    assert result.statutory_due == due
    assert (result.statutory_due - result.received_local_date).days == 30
    assert result.outer_due == outer


def test_a_utc_receipt_late_on_new_years_eve_belongs_to_the_new_year():
    result = deadline(utc(2026, 12, 31, 21, 30))
    assert result.received_local_date == date(2027, 1, 1)
    assert result.statutory_due == date(2027, 1, 31)


def test_labour_day_2026_example_from_the_issue():
    result = deadline(local(2026, 4, 1))
    assert result.statutory_due == date(2026, 5, 1)
    assert result.outer_due == date(2026, 5, 4)
    assert result.cutoff == time(23, 59)
    texts = result.reason_texts("tr")
    assert any("Emek ve Dayanışma Günü" in t and "→ 04.05.2026" in t for t in texts)
    assert "01.05.2026 Emek ve Dayanışma Günü (resmî tatil) → 04.05.2026" in texts
    assert "02.05.2026 Cumartesi → 04.05.2026" in texts
    assert "03.05.2026 Pazar → 04.05.2026" in texts
    assert texts[0] == ("Alınma zamanı 01.04.2026 10:00 (Türkiye saati, UTC 01.04.2026 07:00); "
                        "başvuru tarihi (0. gün): 01.04.2026")
    assert "01.04.2026 + 30 takvim günü = 01.05.2026 Cuma" in texts[1]
    english = result.reason_texts("en")
    assert "01.05.2026 Labor and Solidarity Day (holiday) → 04.05.2026" in english
    assert "02.05.2026 Saturday → 04.05.2026" in english
    assert any("unconfirmed for KVKK" in t for t in english)
    assert [r.code for r in result.reasons] == [
        "received", "statutory", "skipped", "skipped", "skipped", "rollover_note", "end_of_day",
    ]


def test_a_working_due_date_says_the_outer_limit_is_the_same_day():
    result = deadline(local(2026, 4, 6))  # due Wednesday 06.05.2026
    assert result.statutory_due == result.outer_due == date(2026, 5, 6)
    assert [r.code for r in result.reasons] == ["received", "statutory", "outer_same", "end_of_day"]
    assert "Son gün iş günü; dış sınır yasal son günle aynı: 06.05.2026" in result.reason_texts()
    assert "The due date is a working day; the outer limit is the same day: 06.05.2026" in (
        result.reason_texts("en"))


@pytest.mark.parametrize(
    ("received", "due", "name_tr", "name_en"),
    [
        (local(2026, 2, 17), date(2026, 3, 19), "Ramazan Bayramı", "Eid al-Fitr"),
        (local(2026, 4, 26), date(2026, 5, 26), "Kurban Bayramı", "Eid al-Adha"),
        (local(2026, 9, 28), date(2026, 10, 28), "Cumhuriyet Bayramı", "Republic Day"),
    ],
)
def test_half_day_due_dates_cut_off_at_noon_and_do_not_roll(received, due, name_tr, name_en):
    result = deadline(received)
    assert result.statutory_due == result.outer_due == due
    assert result.cutoff == time(12, 0)
    assert result.cutoff_at == datetime.combine(due, time(9, 0), tzinfo=UTC)
    half = [r for r in result.reasons if r.code == "half_day"]
    assert len(half) == 1
    tr_text, en_text = half[0].text("tr"), half[0].text("en")
    assert tr_text.startswith(f"{due:%d.%m.%Y} {name_tr}")
    assert "yarım gün" in tr_text and tr_text.endswith("12:00")
    assert en_text.startswith(f"{due:%d.%m.%Y} {name_en}")
    assert "half-day" in en_text and en_text.endswith("12:00")


def test_end_of_day_cutoff_is_2359_istanbul():
    result = deadline(local(2026, 4, 6))
    assert result.cutoff == time(23, 59)
    assert result.cutoff_at == utc(2026, 5, 6, 20, 59)
    assert "Kesim saati: gün sonu (23:59)" in result.reason_texts()


def test_policy_without_rollover_keeps_outer_due_on_statutory_due():
    result = deadline(local(2026, 4, 1), roll_outer_due=False)
    assert result.statutory_due == result.outer_due == date(2026, 5, 1)
    assert [r.code for r in result.reasons] == [
        "received", "statutory", "outer_unrolled", "end_of_day",
    ]
    assert "Devir ayarı kapalı" in result.reason_texts()[2]
    assert "Rollover is switched off" in result.reason_texts("en")[2]


@pytest.mark.parametrize("year", [2026, 2027])
def test_policy_without_rollover_over_a_whole_year(year):
    policy = DeadlinePolicy(roll_outer_due=False)
    day = date(year, 1, 1)
    while day.year == year:
        result = compute_deadline(datetime.combine(day, time(12)), CALENDAR, policy)
        assert result.outer_due == result.statutory_due == day + timedelta(days=30)
        day += timedelta(days=1)


def test_policy_without_rollover_still_cuts_off_half_days_at_noon():
    result = deadline(local(2026, 2, 17), roll_outer_due=False)
    assert result.outer_due == date(2026, 3, 19)
    assert result.cutoff == time(12, 0)


def test_policy_parameters_are_used_and_serialised():
    policy = DeadlinePolicy(half_day_cutoff=time(11, 30), days=10, name="custom")
    result = compute_deadline(local(2026, 3, 9), CALENDAR, policy)
    assert result.statutory_due == date(2026, 3, 19)
    assert result.cutoff == time(11, 30)
    assert result.policy is policy
    assert policy.to_dict() == {"days": 10, "roll_outer_due": True, "half_day_cutoff": "11:30",
                                "name": "custom"}
    assert DeadlinePolicy().to_dict() == {"days": 30, "roll_outer_due": True,
                                          "half_day_cutoff": "12:00", "name": "kvkk-art13-v1"}


def test_default_policy_is_used_when_none_is_given():
    assert compute_deadline(local(2026, 4, 1), CALENDAR).policy == DeadlinePolicy()


# HolidayOverride: the admin's corrections reach the deadline.
DECREE = HolidayOverride(date(2026, 6, 15), "full", "Olağanüstü tatil", "Extraordinary holiday",
                         "Resmî Gazete 01.06.2026/33000")


def test_an_admin_full_day_moves_outer_due_and_is_named_in_the_reasons():
    calendar = HolidayCalendar([DECREE])
    assert deadline(local(2026, 5, 16)).outer_due == date(2026, 6, 15)
    result = deadline(local(2026, 5, 16), calendar)
    assert result.statutory_due == date(2026, 6, 15)
    assert result.outer_due == date(2026, 6, 16)
    assert "15.06.2026 Olağanüstü tatil (resmî tatil) → 16.06.2026" in result.reason_texts()
    assert "15.06.2026 Extraordinary holiday (holiday) → 16.06.2026" in result.reason_texts("en")
    assert calendar.holiday(result.statutory_due).source == "Resmî Gazete 01.06.2026/33000"


def test_a_none_override_removes_a_package_holiday():
    calendar = HolidayCalendar([HolidayOverride(date(2026, 5, 1), "none", "", "", "admin")])
    result = deadline(local(2026, 4, 1), calendar)
    assert result.outer_due == result.statutory_due == date(2026, 5, 1)
    # Named once, as cancelled on the admin's word, and never as a reason to roll over.
    assert [t for t in result.reason_texts() if "Emek" in t] == [
        "01.05.2026 Emek ve Dayanışma Günü bu yıl tatil sayılmaz (admin); iş günü olarak sayıldı"]


def test_a_half_override_sets_a_noon_cutoff():
    half = HolidayOverride(date(2026, 6, 15), "half", "Yarım gün tatil", "Half-day holiday",
                           "Genelge 2026/7")
    calendar = HolidayCalendar([half])
    result = deadline(local(2026, 5, 16), calendar)
    assert result.outer_due == result.statutory_due == date(2026, 6, 15)
    assert result.cutoff == time(12, 0)
    assert any("Yarım gün tatil" in t and "12:00" in t for t in result.reason_texts())
    assert calendar.holiday(date(2026, 6, 15)).source == "Genelge 2026/7"


def test_a_half_override_on_a_package_holiday_makes_it_a_working_half_day():
    half = HolidayOverride(date(2026, 5, 1), "half", "Yarım gün", "Half day", "admin")
    result = deadline(local(2026, 4, 1), HolidayCalendar([half]))
    assert result.outer_due == date(2026, 5, 1)
    assert result.cutoff == time(12, 0)


def test_arife_2029_on_23_april_rolls_as_a_full_holiday():
    # 23.04.2029 (Monday) is Ulusal Egemenlik ve Çocuk Bayramı and Kurban arifesi; 24–27 bayram.
    result = deadline(local(2029, 3, 24))
    assert result.statutory_due == date(2029, 4, 23)
    assert result.outer_due == date(2029, 4, 30)
    assert result.cutoff == time(23, 59)


@pytest.mark.parametrize(
    "lang_and_expected",
    [("tr", "Cumartesi"), ("en", "Saturday"), ("de", "Cumartesi"), ("en_US", "Cumartesi")],
)
def test_reason_text_falls_back_to_turkish(lang_and_expected):
    lang, expected = lang_and_expected
    reason = Reason("skipped", {"day": "02.05.2026",
                                "cause": {"tr": "Cumartesi", "en": "Saturday"},
                                "outer": "04.05.2026"})
    assert reason.text(lang) == f"02.05.2026 {expected} → 04.05.2026"


def test_reasons_survive_a_json_round_trip():
    result = deadline(local(2026, 4, 1))
    stored = json.loads(json.dumps([r.to_dict() for r in result.reasons]))
    rebuilt = [Reason(r["code"], r["params"]) for r in stored]
    assert [r.text("tr") for r in rebuilt] == result.reason_texts("tr")
    assert [r.text("en") for r in rebuilt] == result.reason_texts("en")


def test_to_json_shape():
    data = deadline(local(2026, 4, 1)).to_json()
    assert data == {
        "received_local_date": "2026-04-01",
        "statutory_due": "2026-05-01",
        "outer_due": "2026-05-04",
        "cutoff": "23:59",
        "reasons": data["reasons"],
    }
    assert all(isinstance(t, str) for t in data["reasons"])


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(2026, 5, 1, 0, 0), 0),
        (local(2026, 5, 1, 23, 59), 0),
        (local(2026, 4, 30, 23, 59), 1),
        (local(2026, 4, 1), 30),
        (local(2026, 5, 2, 0, 0), -1),
        (utc(2026, 4, 30, 21, 0), 0),  # midnight in Istanbul
        (utc(2026, 4, 30, 20, 59), 1),
        (datetime(2026, 5, 11, 9, 0), -10),  # naive: Istanbul local
    ],
)
def test_days_left(now, expected):
    assert days_left(date(2026, 5, 1), now) == expected


def test_a_cancelled_holiday_on_the_due_date_is_explained_with_its_source():
    from kvkk_tracker.domain.calendar import HolidayOverride

    # 19.05.2026 (Atatürk'ü Anma, Gençlik ve Spor Bayramı) is the 30th day from 19.04.2026.
    source = "Resmî Gazete 01.05.2026 / 33000 (örnek)"
    calendar = HolidayCalendar([HolidayOverride(date(2026, 5, 19), "none", "", "", source)])
    received = datetime(2026, 4, 19, 10, 0, tzinfo=ISTANBUL)
    plain = compute_deadline(received, HolidayCalendar())
    result = compute_deadline(received, calendar)
    assert plain.outer_due == date(2026, 5, 20)
    assert result.statutory_due == result.outer_due == date(2026, 5, 19)
    assert any("19.05.2026" in text and source in text and "tatil sayılmaz" in text
               for text in result.reason_texts("tr"))
    assert any("counted as a working day" in text for text in result.reason_texts("en"))
    assert not any("tatil sayılmaz" in text for text in plain.reason_texts("tr"))
