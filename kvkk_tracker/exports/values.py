"""Turn the raw values a query returns into what a writer puts in a cell, fast.

The rows come straight from the driver, without SQLAlchemy's result processors: SQLite hands
back text ('2026-04-01 07:00:00.000000' in UTC, '2026-04-01'), PostgreSQL hands back date and
aware datetime objects. Each converter is chosen once per export for the dialect, so that the
per-row work is one small function call per cell (bench/exports.py: a million rows).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from ..domain.deadlines import ISTANBUL

Converter = Callable[[object], object]
# A cell starting with one of these is a formula (or starts one) in Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_EPOCH = datetime(1899, 12, 30)
CACHE_LIMIT = 50_000  # distinct hours or days remembered (~6 years): bounded, whatever the rows


class Memo(dict):
    """Remember a conversion per distinct value, up to `limit` values.

    Its bound `__getitem__` is the converter: a hit (codes, statuses, days, staff names: most
    cells) costs one dictionary lookup in C, without a Python call. A column of unique values
    (tracking numbers, hashes) only misses; `settle` then drops the memo for that column.
    """

    def __init__(self, convert: Callable[[object], object], limit: int = 2_000):
        super().__init__()
        self.convert = convert
        self.limit = limit
        self.misses = 0
        self[None] = convert(None)  # empty cells, the bulk of some columns, cost no call

    def __missing__(self, raw):
        value = self.convert(raw)
        if len(self) <= self.limit:
            self[raw] = value
        else:
            self.misses += 1
        return value


def settle(converters: list[Converter], rows: int) -> None:
    """Replace each memo that mostly missed over the last `rows` rows by its plain function."""
    for i, convert in enumerate(converters):
        memo = getattr(convert, "__self__", None)
        if isinstance(memo, Memo):
            if memo.misses > rows // 2:
                converters[i] = memo.convert
            memo.misses = 0


def memoised(convert: Callable[[object], object], limit: int = 2_000) -> Converter:
    return Memo(convert, limit).__getitem__


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralise(value) -> str:
    """Return text that a spreadsheet shows as text: a leading ' disarms a formula."""
    if value is None:
        return ""
    text = value if value.__class__ is str else _as_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _plain_text(value) -> str:
    if value is None:
        return ""
    return value if value.__class__ is str else _as_text(value)


def _as_text(value) -> str:
    if isinstance(value, dict | list):  # JSON columns on PostgreSQL
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _utc(raw) -> datetime:
    if raw.__class__ is str:
        return datetime.fromisoformat(raw).replace(tzinfo=UTC)
    return raw.astimezone(UTC) if raw.tzinfo else raw.replace(tzinfo=UTC)


class _HourCache(dict):
    """Istanbul wall-clock prefix for each UTC hour seen ('2026-04-01 07' -> '01.04.2026 10').

    Istanbul's offset has been a whole number of hours since 1910, so the minutes of a UTC
    stamp are its Istanbul minutes; an hour that is not whole is never cached. One cache per
    rendering serves every column and every export in the process: hours repeat across both.
    """

    def __init__(self, render: Callable[[datetime], object]):
        super().__init__()
        self.render = render

    def __missing__(self, key: str):
        utc = datetime(int(key[:4]), int(key[5:7]), int(key[8:10]), int(key[11:13]),
                       tzinfo=UTC)
        local = utc.astimezone(ISTANBUL)
        if local.utcoffset() % timedelta(hours=1):
            return None
        if len(self) >= CACHE_LIMIT:
            self.clear()
        value = self[key] = self.render(local)
        return value


_HOURS: dict[str, _HourCache] = {}


def _hours(name: str, render: Callable[[datetime], object]) -> _HourCache:
    if name not in _HOURS:
        _HOURS[name] = _HourCache(render)
    return _HOURS[name]


def _text_datetime(dialect: str, day_first: bool) -> Converter:
    head = "%d.%m.%Y %H" if day_first else "%Y-%m-%d %H"
    hours = _hours(head, lambda local: local.strftime(head))

    def from_text(raw):
        if raw is None:
            return ""
        prefix = hours[raw[:13]]
        if prefix is None:
            return _utc(raw).astimezone(ISTANBUL).strftime(head + ":%M")
        return prefix + raw[13:16]

    def from_object(raw):
        if raw is None:
            return ""
        return _utc(raw).astimezone(ISTANBUL).strftime(head + ":%M")

    return from_text if dialect == "sqlite" else from_object


def _text_date(dialect: str, day_first: bool) -> Converter:
    def from_text(raw):
        if raw is None:
            return ""
        return f"{raw[8:10]}.{raw[5:7]}.{raw[:4]}" if day_first else raw[:10]

    def from_object(raw):
        if raw is None:
            return ""
        return raw.strftime("%d.%m.%Y" if day_first else "%Y-%m-%d")

    return from_text if dialect == "sqlite" else from_object


def _serial_datetime(dialect: str) -> Converter:
    """Excel serial day numbers (days since 30.12.1899, Istanbul wall clock)."""
    hours = _hours("serial", lambda local: (local.replace(tzinfo=None) - EXCEL_EPOCH)
                   / timedelta(days=1))

    def from_text(raw):
        if raw is None:
            return None
        start = hours[raw[:13]]
        if start is None:
            return from_object(raw)
        return start + (int(raw[14:16]) * 60 + float(raw[17:19] or 0)) / 86400

    def from_object(raw):
        if raw is None:
            return None
        local = _utc(raw).astimezone(ISTANBUL).replace(tzinfo=None)
        return (local - EXCEL_EPOCH) / timedelta(days=1)

    return from_text if dialect == "sqlite" else from_object


def _serial_date(dialect: str) -> Converter:
    epoch = EXCEL_EPOCH.date()

    def convert(raw):
        if raw is None:
            return None
        day = date.fromisoformat(raw[:10]) if raw.__class__ is str else raw
        return (day - epoch).days

    return convert


def _plain_int(raw):
    return raw


def text_converter(kind: str, dialect: str, day_first: bool, disarm: bool = True) -> Converter:
    """Return the CSV/PDF converter: text for every cell, formulas disarmed for spreadsheets.

    A PDF is never evaluated, so it shows text as stored (`disarm=False`), without the quote.
    """
    if kind == "datetime":  # distinct to the second: only the empty cells are memoised
        return memoised(_text_datetime(dialect, day_first), 0)
    if kind == "date":
        return memoised(_text_date(dialect, day_first), CACHE_LIMIT)
    if kind == "int":
        return _plain_int
    return memoised(neutralise if disarm else _plain_text)


def serial_converter(kind: str, dialect: str) -> Converter:
    """Return the spreadsheet converter: numbers and serial dates stay numbers."""
    if kind == "datetime":
        return memoised(_serial_datetime(dialect), 0)
    if kind == "date":
        return memoised(_serial_date(dialect), CACHE_LIMIT)
    if kind == "int":
        return _plain_int
    return lambda raw: None if raw is None else (raw if raw.__class__ is str else _as_text(raw))


def masked(mask: Callable, convert: Converter) -> Converter:
    return lambda raw: convert(mask(raw))
