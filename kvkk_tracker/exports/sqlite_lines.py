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

from collections.abc import Iterator
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
    literal_column,
    type_coerce,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.types import NullType

from ..domain.deadlines import ISTANBUL
from .run import ExportRequest, Table, filtered
from .spec import Column
from .values import FORMULA_STARTS

FORMULA_CODES = tuple(ord(c) for c in FORMULA_STARTS)
DATETIME_FORMATS = {True: "%d.%m.%Y %H:%M", False: "%Y-%m-%d %H:%M"}  # values._text_datetime
SCAN_FROM, SCAN_TO = datetime(1800, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
# Istanbul's offset has never changed twice within 56 days (1940); a test keeps this true.
SCAN_STEP = timedelta(days=7)
SQLITE = sqlite.dialect()
STAMP = "__stamp__"


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
    column = str(stamp.compile(dialect=SQLITE, compile_kwargs={"literal_binds": True}))
    return literal_column(_local_time_sql(day_first).replace(STAMP, f"({column})"), Text)


@lru_cache(maxsize=2)
def _local_time_sql(day_first: bool) -> str:
    """local_time's CASE as SQLite text, with STAMP where the stamp goes: built and compiled
    once, since its hundred-odd branches took most of an export's set-up (~60 ms) each time."""
    form = DATETIME_FORMATS[day_first]
    spans = istanbul_offsets()
    stamp = literal_column(STAMP, Text)  # compared as the text stored, which sorts as time

    def shifted(seconds: int) -> ColumnElement:
        return func.strftime(form, stamp, f"{seconds:+d} seconds")

    # Newest span first: nearly every stamp is decided by the first comparison, and an empty
    # cell by the one before it rather than by all of them.
    newest_first = [(stamp >= start, shifted(seconds)) for start, seconds in reversed(spans[1:])]
    expression = case((stamp.is_(None), None), *newest_first, else_=shifted(spans[0][1]))
    return str(expression.compile(dialect=SQLITE, compile_kwargs={"literal_binds": True}))


def day_text(day: ColumnElement, day_first: bool) -> ColumnElement:
    return func.strftime("%d.%m.%Y", day) if day_first else func.substr(day, 1, 10)


def disarmed(text: ColumnElement) -> ColumnElement:
    """values.neutralise: a leading quote stops a spreadsheet reading a formula."""
    # Most text starts with a letter, past every formula character: one comparison says so.
    first = func.unicode(text)
    return case(((first <= max(FORMULA_CODES)) & first.in_(FORMULA_CODES),
                 _text(literal("'")) + text), else_=text)


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


def cell(kind: str, item: ColumnElement, delimiter: str, day_first: bool, *,
         quoted: bool) -> ColumnElement:
    """The item's CSV text, '' for NULL; text is quoted where needed only if `quoted`."""
    if kind == "datetime":
        text = local_time(item, day_first)
    elif kind == "date":
        text = day_text(item, day_first)
    elif kind == "int":
        text = cast(item, Text)
    else:
        text = csv_field(_text(item), delimiter) if quoted else disarmed(_text(item))
    return func.coalesce(text, "")


def csv_lines(request: ExportRequest, delimiter: str, day_first: bool, *, quoted: bool,
              keys: list | None = None) -> Select | None:
    """(key, CRLF-terminated line) for each row, or None when a mask has no SQL form.

    `quoted=False` leaves out the quoting, the costliest part (a GLOB per text cell, a fifth
    of the query): right for every row without a delimiter, quote, CR or LF in its text,
    which `well_formed` confirms afterwards for a whole batch at once. `keys` limits the rows
    to those export keys.
    """
    export = request.export
    values = [value(c, request.masked) for c in export.columns]
    if any(v is None for v in values):
        return None
    separator = _text(literal(delimiter))
    parts = []
    for column, item in zip(export.columns, values, strict=True):
        parts += [separator, cell(column.type, item, delimiter, day_first, quoted=quoted)]
    line = _join([*parts[1:], _text(literal("\r\n"))])
    query = filtered(request, [type_coerce(export.order_by, NullType()).label("key"),
                               type_coerce(line, NullType()).label("line")])
    return query if keys is None else query.where(export.order_by.in_(keys))


def well_formed(text: str, lines: int, columns: int, delimiter: str) -> bool:
    """Whether unquoted lines hold only the delimiters and line ends they are built of."""
    return (text.count(delimiter) == lines * (columns - 1) and text.count("\n") == lines
            and text.count("\r") == lines and '"' not in text)


def csv_text(table: Table, delimiter: str, day_first: bool) -> Iterator[str] | None:
    """The rows' CSV text, batch by batch, rendered by SQLite; None for the Python path.

    Unquoted lines are checked per batch; a batch with a row that needs quoting has those rows
    rendered again with quoting, in the same snapshot. An export with prose columns (reasons,
    JSON), where quotes are common, is quoted cell by cell from the start.
    """
    request, columns = table.request, len(table.columns)
    if any(value(c, request.masked) is None for c in table.columns):
        return None
    if any(c.prose for c in table.columns):
        exact = csv_lines(request, delimiter, day_first, quoted=True)
        return ("".join([row[1] for row in batch]) for batch in table.lines(exact))

    def checked() -> Iterator[str]:
        for batch in table.lines(csv_lines(request, delimiter, day_first, quoted=False)):
            text = "".join([row[1] for row in batch])
            if not well_formed(text, len(batch), columns, delimiter):
                odd = [key for key, line in batch
                       if not well_formed(line, 1, columns, delimiter)]
                redone = dict(table.lookup(
                    csv_lines(request, delimiter, day_first, quoted=True, keys=odd)))
                text = "".join([redone.get(key, line) for key, line in batch])
            yield text

    return checked()
