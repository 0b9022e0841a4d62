"""The auditors' GET forms: the reporting period and the register's filters.

They read the query string, never change anything and so carry no CSRF token. Every bad value
gets a field-level message and the field keeps what was typed.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import StringField

from ...domain.reporting import MAX_CUSTOM_DAYS, Period
from ...domain.rights import CHANNELS_BY_CODE, RIGHT_CODES
from ..forms import SafeForm
from ..labels import STATUS_LABELS
from ..public.forms import ChoiceField

MONTHS = [(str(m), f"{m:02d}") for m in range(1, 13)]
QUARTERS = [(str(q), f"Q{q}") for q in range(1, 5)]
FIRST_YEAR, LAST_YEAR = 2016, 2100  # KVKK took effect in 2016


def parse_day(raw: str) -> date | None:
    """Read YYYY-MM-DD (what a date input sends) or dd.mm.yyyy (what people type)."""
    raw = (raw or "").strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    return None


def optional_range(date_from, date_to) -> tuple[date | None, date | None]:
    """Read two optional date fields, putting a message on each bad one; empty means no bound."""
    days = []
    for field in (date_from, date_to):
        raw = (field.data or "").strip()
        day = parse_day(raw) if raw else None
        if raw and day is None:
            field.errors = [_l("Enter a date such as 31.12.2026.")]
        elif day and not FIRST_YEAR <= day.year <= LAST_YEAR:
            field.errors = [_l("Enter a year between %(first)d and %(last)d.",
                               first=FIRST_YEAR, last=LAST_YEAR)]
            day = None
        days.append(day)
    start, end = days
    if start and end and end < start:
        date_to.errors = [_l("The end date is before the start date.")]
    return start, end


class QueryForm(SafeForm):
    """A form read from the query string: no CSRF (nothing changes), no POST data."""

    class Meta:
        csrf = False

    def __init__(self, **kwargs):
        super().__init__(formdata=request.args if request.args else None, **kwargs)


class PeriodForm(QueryForm):
    kind = ChoiceField(_l("Period"), default="year")
    year = StringField(_l("Year"))
    month = ChoiceField(_l("Month"))
    quarter = ChoiceField(_l("Quarter"))
    date_from = StringField(_l("From"))
    date_to = StringField(_l("To"))

    def __init__(self, today: date, **kwargs):
        super().__init__(**kwargs)
        # Choices are set on the bound fields: WTForms 3.3 warns about tuples given at binding.
        self.kind.choices = [("month", str(_l("Month"))), ("quarter", str(_l("Quarter"))),
                             ("year", str(_l("Year"))), ("custom", str(_l("From – to")))]
        self.month.choices = MONTHS
        self.quarter.choices = QUARTERS
        if not self.year.raw_data:
            self.year.data = str(today.year)
        if not self.month.raw_data:
            self.month.data = str(today.month)
        if not self.quarter.raw_data:
            self.quarter.data = str((today.month - 1) // 3 + 1)

    def period(self) -> Period | None:
        """Return the chosen period, or None with the reasons on the fields."""
        self.validate()  # choice fields check their options
        if self.errors:
            return None
        if self.kind.data == "custom":
            return self._custom()
        year = (self.year.data or "").strip()
        if not year.isdigit() or not FIRST_YEAR <= int(year) <= LAST_YEAR:
            self.year.errors = [_l("Enter a year between %(first)d and %(last)d.",
                                   first=FIRST_YEAR, last=LAST_YEAR)]
            return None
        if self.kind.data == "month":
            return Period.month(int(year), int(self.month.data))
        if self.kind.data == "quarter":
            return Period.quarter(int(year), int(self.quarter.data))
        return Period.year(int(year))

    def _custom(self) -> Period | None:
        start, end = parse_day(self.date_from.data), parse_day(self.date_to.data)
        for field, value in ((self.date_from, start), (self.date_to, end)):
            if value is None:
                field.errors = [_l("Enter a date such as 31.12.2026.")]
            elif not FIRST_YEAR <= value.year <= LAST_YEAR:
                field.errors = [_l("Enter a year between %(first)d and %(last)d.",
                                   first=FIRST_YEAR, last=LAST_YEAR)]
        if self.date_from.errors or self.date_to.errors:
            return None
        if end < start:
            self.date_to.errors = [_l("The end date is before the start date.")]
            return None
        if (end - start).days > MAX_CUSTOM_DAYS:
            self.date_to.errors = [_l("Choose at most five years.")]
            return None
        return Period(start, end, "custom")


class RegisterForm(QueryForm):
    """Filters of the register of applications; every field may stay empty."""

    date_from = StringField(_l("Received from"))
    date_to = StringField(_l("Received to"))
    status = ChoiceField(_l("Status"))
    channel = ChoiceField(_l("Channel"))
    right = ChoiceField(_l("Right"))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # The template shows the labels; the choices only say which values are known.
        self.status.choices = [(code, code) for code in ("", *STATUS_LABELS)]
        self.channel.choices = [(code, code) for code in ("", *CHANNELS_BY_CODE)]
        self.right.choices = [(code, code) for code in ("", *RIGHT_CODES)]

    def bounds(self) -> tuple[bool, date | None, date | None]:
        """Return (valid, from, to); empty dates mean no bound."""
        self.validate()
        start, end = optional_range(self.date_from, self.date_to)
        return not self.errors, start, end
