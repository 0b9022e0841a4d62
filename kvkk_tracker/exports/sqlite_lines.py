"""CSV lines rendered by SQLite itself: the fast path for CSV exports on SQLite.

Converting each cell in Python (values.py) and quoting it with csv.writer costs about 5 µs a
row, which held a million-row CSV near 125,000 rows a second on one core. Here the query
returns each row as its finished line (Istanbul time, dd.mm.yyyy, masks, formulas disarmed,
csv-module quoting), so Python only joins the lines of a batch.

The output must be byte for byte what the Python path writes: tests/exports/test_sqlite_lines.py
renders every export both ways, in both CSV styles, masked and unmasked, over hostile text.
A column whose mask has no SQL form (`Column.sql_mask`) sends its export down the Python path.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache, reduce

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    case,
    cast,
    func,
    literal,
    type_coerce,
)
from sqlalchemy.types import NullType

from ..domain.deadlines import ISTANBUL
from .run import ExportRequest, filtered
from .spec import Column
from .values import FORMULA_STARTS

FORMULA_CODES = tuple(ord(c) for c in FORMULA_STARTS)
DATETIME_FORMATS = {True: "%d.%m.%Y %H:%M", False: "%Y-%m-%d %H:%M"}  # values._text_datetime
SCAN_FROM, SCAN_TO = datetime(1800, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
# Istanbul's offset has never changed twice within 56 days (1940); a test keeps this true.
SCAN_STEP = timedelta(days=7)


@lru_cache(maxsize=1)
def istanbul_offsets() -> tuple[tuple[str, int], ...]:
    """Return (first UTC moment, offset in seconds) for each span of Istanbul's UTC offset.

    Found by checking the offset weekly and bisecting each change to the second, since
    zoneinfo does not list its transitions. After the last change (+03:00 from March 2016,
    kept all year since) the offset is that of the zone's rule for every later date.
    """
    def offset(moment: datetime) -> int:
        return int(moment.astimezone(ISTANBUL).utcoffset().total_seconds())

    spans = [(SCAN_FROM, offset(SCAN_FROM))]
    day = SCAN_FROM
    while day < SCAN_TO:
        following = day + SCAN_STEP
        if offset(following) != spans[-1][1]:
            low, high = day, following  # offset(low) is the old one, offset(high) the new
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if offset(middle) == spans[-1][1]:
                    low = middle
                else:
                    high = middle
            spans.append((high, offset(high)))
        day = following
    return tuple((moment.strftime("%Y-%m-%d %H:%M:%S"), seconds) for moment, seconds in spans)


def _text(value) -> ColumnElement:
    return type_coerce(value, Text)


def _join(parts: list[ColumnElement]) -> ColumnElement:
    return reduce(lambda left, right: left + right, parts)


def local_time(stamp: ColumnElement, day_first: bool) -> ColumnElement:
    """A stored UTC stamp ('2026-04-01 07:00:00.000000') as Istanbul wall-clock text."""
    form = DATETIME_FORMATS[day_first]
    spans = istanbul_offsets()
    stamp = _text(stamp)  # compared as the text stored, which sorts as the time does

    def shifted(seconds: int) -> ColumnElement:
        return func.strftime(form, stamp, f"{seconds:+d} seconds")

    # Newest span first: nearly every stamp is decided by the first comparison, and an empty
    # cell by the one before it rather than by all of them.
    newest_first = [(stamp >= start, shifted(seconds)) for start, seconds in reversed(spans[1:])]
    return case((stamp.is_(None), None), *newest_first, else_=shifted(spans[0][1]))


def day_text(day: ColumnElement, day_first: bool) -> ColumnElement:
    return func.strftime("%d.%m.%Y", day) if day_first else func.substr(day, 1, 10)


def disarmed(text: ColumnElement) -> ColumnElement:
    """values.neutralise: a leading quote stops a spreadsheet reading a formula."""
    return case((func.unicode(text).in_(FORMULA_CODES), _text(literal("'")) + text),
                else_=text)


def csv_field(text: ColumnElement, delimiter: str) -> ColumnElement:
    """Disarm, then quote as csv.writer's QUOTE_MINIMAL does: when the delimiter, a quote,
    CR or LF occurs."""
    value = disarmed(text)
    quoted = _join([_text(literal('"')), func.replace(value, '"', '""'), _text(literal('"'))])
    return case((text.op("GLOB")(f'*[{delimiter}"\r\n]*'), quoted), else_=value)


def value(column: Column, masked: bool) -> ColumnElement | None:
    """The column's value, masked where asked; None when the mask has no SQL form."""
    if masked and column.mask is not None:
        return None if column.sql_mask is None else column.sql_mask(column.source)
    return column.source


def cell(kind: str, value: ColumnElement, delimiter: str, day_first: bool) -> ColumnElement:
    """The value's CSV text, '' for NULL."""
    if kind == "datetime":
        text = local_time(value, day_first)
    elif kind == "date":
        text = day_text(value, day_first)
    elif kind == "int":
        text = cast(value, Text)
    else:
        text = csv_field(_text(value), delimiter)
    return func.coalesce(text, "")


def csv_lines(request: ExportRequest, delimiter: str, day_first: bool) -> Select | None:
    """The export's rows as finished CSV lines (CRLF-terminated), or None for the Python path.

    (Asking once per row whether any of its text needs quoting, rather than per cell, was
    measured no faster: building the row's text to ask costs as much as the per-cell checks.)
    """
    columns = request.export.columns
    values = [value(c, request.masked) for c in columns]
    if any(v is None for v in values):
        return None
    separator = _text(literal(delimiter))
    parts = []
    for column, item in zip(columns, values, strict=True):
        parts += [separator, cell(column.type, item, delimiter, day_first)]
    line = _join([*parts[1:], _text(literal("\r\n"))])
    return filtered(request, [type_coerce(line, NullType()).label("line")])
