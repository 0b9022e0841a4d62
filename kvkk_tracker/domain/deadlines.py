"""The Art. 13 clock and the Art. 14 complaint windows (KVKK.md §3).

Every function takes its inputs explicitly, `now` included, so that the rules can be tested
with plain tables.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .calendar import WEEKDAYS, HolidayCalendar
from .text import format_date

ISTANBUL = ZoneInfo("Europe/Istanbul")
END_OF_DAY = time(23, 59)


@dataclass(frozen=True)
class DeadlinePolicy:
    """The parameters that produced a deadline; stored with every case."""

    days: int = 30
    roll_outer_due: bool = True
    half_day_cutoff: time = time(12, 0)
    name: str = "kvkk-art13-v1"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["half_day_cutoff"] = self.half_day_cutoff.strftime("%H:%M")
        return data


_TEMPLATES = {
    "received": (
        "Alınma zamanı {local} (Türkiye saati, UTC {utc}); başvuru tarihi (0. gün): {day0}",
        "Received {local} Türkiye time (UTC {utc}); application date (day 0): {day0}",
    ),
    "statutory": (
        "Yasal son gün: {day0} + {days} takvim günü = {due} {weekday}",
        "Statutory due date: {day0} + {days} calendar days = {due} {weekday}",
    ),
    "skipped": (
        "{day} {cause} → {outer}",
        "{day} {cause} → {outer}",
    ),
    "outer_same": (
        "Son gün iş günü; dış sınır yasal son günle aynı: {due}",
        "The due date is a working day; the outer limit is the same day: {due}",
    ),
    "outer_unrolled": (
        "Devir ayarı kapalı; dış sınır yasal son günle aynı: {due}",
        "Rollover is switched off; the outer limit is the statutory due date: {due}",
    ),
    "rollover_note": (
        "Dış sınır ({outer}) hafta sonu ve tam gün tatiller devredilerek bulunur (İYUK m. 8, "
        "TBK m. 93 kıyasen); KVKK için kesin değildir, hatırlatmalar yasal son güne göre işler",
        "The outer limit ({outer}) rolls over weekends and full-day holidays (by analogy with "
        "İYUK Art. 8 and TBK Art. 93); this is unconfirmed for KVKK, so reminders key off the "
        "statutory due date",
    ),
    "half_day": (
        "{due} {name}: yarım gün tatil, saat 13.00'te başlar → iç kesim saati {cutoff}",
        "{due} {name}: a half-day holiday from 13:00 → internal cut-off {cutoff}",
    ),
    "cancelled": (
        "{day} {name} bu yıl tatil sayılmaz ({source}); iş günü olarak sayıldı",
        "{day} {name} is not a holiday this year ({source}); counted as a working day",
    ),
    "end_of_day": (
        "Kesim saati: gün sonu ({cutoff})",
        "Cut-off: end of day ({cutoff})",
    ),
}


@dataclass(frozen=True)
class Reason:
    """One step of a deadline's explanation, renderable in Turkish or English."""

    code: str
    params: dict = field(default_factory=dict)

    def text(self, lang: str = "tr") -> str:
        tr_text, en_text = _TEMPLATES[self.code]
        # Any language but English falls back to Turkish, for the params as for the template.
        key = "en" if lang == "en" else "tr"
        params = {k: (v[key] if isinstance(v, dict) else v) for k, v in self.params.items()}
        return (en_text if key == "en" else tr_text).format(**params)

    def to_dict(self) -> dict:
        return {"code": self.code, "params": self.params}


@dataclass(frozen=True)
class Deadline:
    received_at: datetime  # UTC
    received_local_date: date
    statutory_due: date
    outer_due: date
    cutoff: time
    reasons: tuple[Reason, ...]
    policy: DeadlinePolicy

    @property
    def cutoff_at(self) -> datetime:
        """Return the internal cut-off as an aware UTC datetime."""
        local = datetime.combine(self.statutory_due, self.cutoff, tzinfo=ISTANBUL)
        return local.astimezone(UTC)

    def reason_texts(self, lang: str = "tr") -> list[str]:
        return [r.text(lang) for r in self.reasons]

    def to_json(self, lang: str = "tr") -> dict:
        return {
            "received_local_date": self.received_local_date.isoformat(),
            "statutory_due": self.statutory_due.isoformat(),
            "outer_due": self.outer_due.isoformat(),
            "cutoff": self.cutoff.strftime("%H:%M"),
            "reasons": self.reason_texts(lang),
        }


def to_istanbul(moment: datetime) -> datetime:
    """Return an aware moment in Istanbul time; a naive value is taken as Istanbul local."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=ISTANBUL)
    return moment.astimezone(ISTANBUL)


def _weekday(day: date) -> dict:
    return {lang: names[day.weekday()] for lang, names in WEEKDAYS.items()}


def _cause(day: date, calendar: HolidayCalendar) -> dict:
    holiday = calendar.holiday(day)
    if holiday is not None and not holiday.half_day:
        return {"tr": f"{holiday.name_tr} (resmî tatil)", "en": f"{holiday.name_en} (holiday)"}
    return _weekday(day)


def compute_deadline(
    received_at: datetime,
    calendar: HolidayCalendar,
    policy: DeadlinePolicy | None = None,
) -> Deadline:
    """Compute the statutory and outer due dates for an application received at `received_at`."""
    policy = policy or DeadlinePolicy()
    local = to_istanbul(received_at)
    utc = local.astimezone(UTC)
    day0 = local.date()
    due = day0 + timedelta(days=policy.days)
    reasons = [
        Reason("received", {"local": f"{format_date(local)} {local:%H:%M}",
                            "utc": f"{format_date(utc)} {utc:%H:%M}", "day0": format_date(day0)}),
        Reason("statutory", {"day0": format_date(day0), "days": policy.days,
                             "due": format_date(due), "weekday": _weekday(due)}),
    ]

    outer = due
    if policy.roll_outer_due:
        skipped = []
        while not calendar.is_working_day(outer):
            skipped.append(outer)
            outer += timedelta(days=1)
        for day in skipped:
            reasons.append(Reason("skipped", {"day": format_date(day),
                                              "cause": _cause(day, calendar),
                                              "outer": format_date(outer)}))
        if skipped:
            reasons.append(Reason("rollover_note", {"outer": format_date(outer)}))
        else:
            reasons.append(Reason("outer_same", {"due": format_date(due)}))
    else:
        reasons.append(Reason("outer_unrolled", {"due": format_date(due)}))

    # A holiday an admin cancelled, where it would have moved the outer limit or the cut-off:
    # the case says why the package's holiday did not count.
    day = due
    while day <= outer:
        cancelled = calendar.cancelled(day)
        if cancelled is not None:
            holiday, override = cancelled
            reasons.append(Reason("cancelled", {
                "day": format_date(day), "name": {"tr": holiday.name_tr, "en": holiday.name_en},
                "source": override.source}))
        day += timedelta(days=1)

    half = calendar.holiday(due)
    if half is not None and half.half_day:
        cutoff = policy.half_day_cutoff
        reasons.append(Reason("half_day", {"due": format_date(due),
                                           "name": {"tr": half.name_tr, "en": half.name_en},
                                           "cutoff": cutoff.strftime("%H:%M")}))
    else:
        cutoff = END_OF_DAY
        reasons.append(Reason("end_of_day", {"cutoff": cutoff.strftime("%H:%M")}))

    return Deadline(utc, day0, due, outer, cutoff, tuple(reasons), policy)


def days_left(statutory_due: date, now: datetime) -> int:
    """Return calendar days from today (Istanbul) to the due date; negative when overdue."""
    return (statutory_due - to_istanbul(now).date()).days


@dataclass(frozen=True)
class ComplaintWindow:
    """The Art. 14 window for complaining to the Board (KVKK.md §3)."""

    rule: str  # reply_in_time | late_reply | no_reply
    runs_from: date  # the reply date or the application date
    ends: date


def complaint_window(
    application_date: date, statutory_due: date, reply_date: date | None = None
) -> ComplaintWindow:
    """Return the complaint window given the application date and, if any, the reply date.

    A timely reply opens 30 days from when the applicant learns of it (the reply date here);
    a late reply or none leaves 60 days from the application date (Board decision 2019/9).
    """
    if reply_date is not None and reply_date <= statutory_due:
        return ComplaintWindow("reply_in_time", reply_date, reply_date + timedelta(days=30))
    rule = "no_reply" if reply_date is None else "late_reply"
    return ComplaintWindow(rule, application_date, application_date + timedelta(days=60))
