"""What an export is: named columns over one streaming query, filtered by an Istanbul period."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select

from ..domain.deadlines import ISTANBUL

TYPES = ("text", "int", "date", "datetime")
FIRST_YEAR, LAST_YEAR = 1900, 9000


@dataclass(frozen=True)
class Column:
    """One exported column: what it is called, where its value comes from, what type it is.

    `mask` is applied to the value unless a supervisor asked for an unmasked export; the
    column list on the exports page shows which columns are masked and why (`note`).
    `sql_mask` is the same mask as a SQL expression, for the CSV fast path on SQLite
    (sqlite_lines.py); without it a masked export of the column takes the Python path.
    """

    name: str
    tr: str
    en: str
    source: ColumnElement
    type: str = "text"
    mask: Callable[[str | None], str | None] | None = None
    sql_mask: Callable[[ColumnElement], ColumnElement] | None = None
    # Free text or JSON, where delimiters and quotes are common (the CSV fast path quotes
    # such an export cell by cell rather than checking whole batches).
    prose: bool = False
    note_tr: str = ""
    note_en: str = ""

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"unknown column type {self.type!r}")

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.tr

    def note(self, lang: str) -> str:
        return self.note_en if lang == "en" else self.note_tr


@dataclass(frozen=True)
class Export:
    """A named export: its columns, the rows they come from, and the moment that dates a row."""

    name: str
    tr: str
    en: str
    columns: tuple[Column, ...]
    # The FROM/JOIN/WHERE part: called with the column expressions, returns the SELECT.
    select: Callable[[list[ColumnElement]], Select]
    # The UTC timestamp the period filters on (received, decided, sent, occurred, performed).
    dated_by: ColumnElement
    # The unique, indexed key the rows are ordered by (stable output, index order on both
    # databases, so that the first rows stream out before the last are read).
    order_by: ColumnElement
    period_tr: str = ""
    period_en: str = ""
    # The PDF leads with the period's compliance figures and charts (reports/figures.py).
    with_figures: bool = False

    def title(self, lang: str) -> str:
        return self.en if lang == "en" else self.tr

    def period_label(self, lang: str) -> str:
        return self.period_en if lang == "en" else self.period_tr

    @property
    def has_masked_columns(self) -> bool:
        return any(c.mask for c in self.columns)


@dataclass(frozen=True)
class Period:
    """Inclusive Istanbul calendar days; either end may be open."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self):
        for day in (self.start, self.end):
            # Far beyond any KVKK record, and clear of datetime's limits at either end.
            if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise ValueError(f"years {FIRST_YEAR}-{LAST_YEAR} only")
        if self.start and self.end and self.start > self.end:
            raise ValueError("the period ends before it starts")

    def utc_bounds(self) -> tuple[datetime | None, datetime | None]:
        """Return [from, to) in UTC: Istanbul midnight of the first day to that after the last."""
        lower = upper = None
        if self.start:
            lower = datetime.combine(self.start, time(), ISTANBUL).astimezone(UTC)
        if self.end:
            upper = datetime.combine(self.end + timedelta(days=1), time(),
                                     ISTANBUL).astimezone(UTC)
        return lower, upper

    def label(self) -> str:
        first = f"{self.start:%d.%m.%Y}" if self.start else "…"
        last = f"{self.end:%d.%m.%Y}" if self.end else "…"
        return f"{first}–{last}"

    def slug(self) -> str:
        return "_".join(f"{d:%Y%m%d}" for d in (self.start, self.end) if d) or "all"

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None}


def parse_day(text: str) -> date:
    """Parse 2026-04-01 or 01.04.2026 (what date inputs send, and what people type)."""
    value = text.strip()
    try:
        if len(value) == 10 and value[2] == "." and value[5] == ".":
            return date(int(value[6:]), int(value[3:5]), int(value[:2]))
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date: {text!r}") from None
