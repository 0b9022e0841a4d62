"""Turkish official holidays, from the `holidays` package plus admin overrides."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays

HOLIDAYS_SOURCE = f"holidays {holidays.__version__}"
WEEKDAYS = {
    "tr": ("Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


@dataclass(frozen=True)
class Holiday:
    day: date
    name_tr: str
    name_en: str
    half_day: bool
    source: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_tr


OVERRIDE_KINDS = ("full", "half", "none")


@dataclass(frozen=True)
class HolidayOverride:
    """An admin's correction: kind is 'full', 'half' or 'none' (the day is not a holiday)."""

    day: date
    kind: str
    name_tr: str
    name_en: str
    source: str

    def __post_init__(self):
        if self.kind not in OVERRIDE_KINDS:
            # An unknown kind would otherwise silently count as a full-day holiday.
            raise ValueError(f"override kind must be one of {OVERRIDE_KINDS}, not {self.kind!r}")


@lru_cache(maxsize=64)
def _package_year(year: int) -> dict[date, Holiday]:
    names = {}
    for lang in ("tr", "en_US"):
        names[lang] = holidays.Turkey(years=year, categories=("public", "half_day"), language=lang)
    half = holidays.Turkey(years=year, categories=("half_day",))
    full = holidays.Turkey(years=year, categories=("public",))
    # An arife can fall on a full-day holiday (23 April 2029, 1 January 2033): the full day wins,
    # or the day would count as a working day for rollover.
    return {
        day: Holiday(day, names["tr"][day], names["en_US"][day],
                     day in half and day not in full, HOLIDAYS_SOURCE)
        for day in names["tr"]
    }


class HolidayCalendar:
    """Answer whether a day is a full-day or half-day official holiday in Türkiye."""

    def __init__(self, overrides: Iterable[HolidayOverride] = ()):
        self._overrides = {o.day: o for o in overrides}

    def holiday(self, day: date) -> Holiday | None:
        override = self._overrides.get(day)
        if override is not None:
            if override.kind == "none":
                return None
            return Holiday(day, override.name_tr, override.name_en, override.kind == "half",
                           override.source)
        return _package_year(day.year).get(day)

    def cancelled(self, day: date) -> tuple[Holiday, HolidayOverride] | None:
        """The package holiday that an admin's 'none' override cancels on `day`, and the
        override; None when nothing is cancelled that day."""
        override = self._overrides.get(day)
        if override is None or override.kind != "none":
            return None
        package = _package_year(day.year).get(day)
        return None if package is None else (package, override)

    def is_full_holiday(self, day: date) -> bool:
        found = self.holiday(day)
        return found is not None and not found.half_day

    def is_half_day(self, day: date) -> bool:
        found = self.holiday(day)
        return found is not None and found.half_day

    def is_working_day(self, day: date) -> bool:
        """Return True for Monday to Friday that is not a full-day holiday (half days work)."""
        return day.weekday() < 5 and not self.is_full_holiday(day)

    def year(self, year: int) -> list[Holiday]:
        days = set(_package_year(year)) | {d for d in self._overrides if d.year == year}
        found = (self.holiday(d) for d in sorted(days))
        return [h for h in found if h is not None]
