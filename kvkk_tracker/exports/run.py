"""Run an export: who may, what it selects, the rows in constant memory, and its audit event."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import call

from sqlalchemy import ColumnElement, Select, func, select, type_coerce
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from ..services import audit
from ..services.access import READER_ROLES
from ..services.actors import Actor
from .catalogue import EXPORTS
from .spec import Column, Export, Period
from .values import Converter, masked, settle

BATCH = 5000
UNMASKING_ROLES = frozenset({"supervisor"})


class ExportRefused(PermissionError):
    """The user may not take this export (or not unmasked)."""


@dataclass(frozen=True)
class ExportRequest:
    name: str
    fmt: str
    period: Period = field(default_factory=Period)
    masked: bool = True
    lang: str = "tr"

    @property
    def export(self) -> Export:
        return EXPORTS[self.name]

    def filename(self, today) -> str:
        return f"kvkk-{self.name}-{self.period.slug()}-{today:%Y%m%d}" + \
            ("" if self.masked else "-unmasked")


def check_allowed(role: str | None, request: ExportRequest) -> None:
    """Raise ExportRefused unless `role` may take this export."""
    if role not in READER_ROLES:
        raise ExportRefused("exports are for auditors and supervisors")
    if not request.masked and role not in UNMASKING_ROLES:
        raise ExportRefused("only a supervisor may export unmasked identity numbers")


def filtered(request: ExportRequest, columns: list[ColumnElement]) -> Select:
    """SELECT `columns` from the export's rows in its period, in its order."""
    export = request.export
    query = export.select(columns)
    lower, upper = request.period.utc_bounds()
    if lower is not None:
        query = query.where(export.dated_by >= lower)
    if upper is not None:
        query = query.where(export.dated_by < upper)
    return query.order_by(export.order_by)


def statement(request: ExportRequest) -> Select:
    # No result processing: values arrive as the driver gives them (values.py converts).
    return filtered(request, [type_coerce(c.source, NullType()).label(c.name)
                              for c in request.export.columns])


def count_rows(session: Session, request: ExportRequest) -> int:
    inner = statement(request).order_by(None).subquery()
    return session.scalar(select(func.count()).select_from(inner))


def _sqlite_text(engine: Engine, query: Select) -> str:
    # Literal binds: the only parameters are the period's UTC bounds, keys and constants.
    return str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))


def _stream(engine: Engine, query: Select, batch: int
            ) -> tuple[Iterator[Sequence[Sequence]], list[Callable[[], None]], object]:
    """Run `query` on a connection of its own; return its batches, what closes it, and (on
    SQLite) the driver connection, on which a second query reads the same snapshot.

    PostgreSQL streams through a server-side cursor (yield_per). SQLite reads through the
    driver's lazy cursor outside any transaction of ours: every SQLAlchemy transaction here
    starts with BEGIN IMMEDIATE (database.py), which would hold the write lock, and so stop
    every office user saving anything, for as long as a million-row download takes. A lone
    SELECT reads one consistent snapshot (WAL) and blocks no writer.
    """
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        cursor = raw.cursor()
        cursor.execute(_sqlite_text(engine, query))
        return iter(lambda: cursor.fetchmany(batch), []), [cursor.close, raw.close], raw
    connection = engine.connect()
    result = connection.execution_options(yield_per=batch).execute(query)
    return result.partitions(), [result.close, connection.close], None


@dataclass
class Table:
    """What a writer gets: the columns and their rows, batch by batch, never all at once.

    Nothing is read until a writer asks, either for the columns' raw values (`rows`) or for
    text the database renders itself (`lines`, the CSV fast path on SQLite).
    """

    request: ExportRequest
    engine: Engine
    total: int | None = None
    batch: int = BATCH
    written: int = 0
    on_batch: Callable[[int], None] | None = None
    closers: list[Callable[[], None]] = field(default_factory=list)
    # Who takes the export and when, for a document that says so (the PDF's header).
    taken_by: str = ""
    taken_at: datetime | None = None
    _driver_connection: object = field(default=None, repr=False)

    def close(self) -> None:
        """Give the connection back; safe to call twice."""
        while self.closers:
            self.closers.pop(0)()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def export(self) -> Export:
        return self.request.export

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.export.columns

    @property
    def lang(self) -> str:
        return self.request.lang

    def headers(self) -> list[str]:
        return [c.header(self.lang) for c in self.columns]

    def converters(self, make: Callable[[str], Converter]) -> list[Converter]:
        """Build one converter per column from `make(type)`, masking where asked."""
        built = []
        for column in self.columns:
            convert = make(column.type)
            if column.mask is not None and self.request.masked:
                convert = masked(column.mask, convert)
            built.append(convert)
        return built

    def _batches(self, query: Select) -> Iterator[Sequence[Sequence]]:
        batches, closers, self._driver_connection = _stream(self.engine, query, self.batch)
        self.closers.extend(closers)
        return batches

    def _count(self, rows: int) -> None:
        self.written += rows
        if self.on_batch is not None:
            self.on_batch(rows)

    def rows(self, converters: list[Converter]) -> Iterator[list[list]]:
        """Yield converted batches; count them as they go."""
        try:
            for batch in self._batches(statement(self.request)):
                out = [list(map(call, converters, row)) for row in batch]
                settle(converters, len(out))
                self._count(len(out))
                yield out
        finally:
            self.close()

    def lines(self, query: Select) -> Iterator[Sequence[Sequence]]:
        """Yield the batches of `query` as they are (rows the database rendered itself)."""
        try:
            for batch in self._batches(query):
                self._count(len(batch))
                yield batch
        finally:
            self.close()

    def lookup(self, query: Select) -> list[Sequence]:
        """All rows of a small `query`, read (on SQLite) in the snapshot `lines` is reading."""
        cursor = self._driver_connection.cursor()
        try:
            cursor.execute(_sqlite_text(self.engine, query))
            return cursor.fetchall()
        finally:
            cursor.close()


def open_table(session: Session, request: ExportRequest, *, total: int | None = None,
               batch: int = BATCH, on_batch: Callable[[int], None] | None = None,
               taken_by: str = "", taken_at: datetime | None = None) -> Table:
    """Describe the export for a writer; the query runs when the writer reads (`Table.close()`
    gives its connection back)."""
    return Table(request, session.get_bind(), total, batch, on_batch=on_batch,
                 taken_by=taken_by, taken_at=taken_at)


def record_export(session: Session, actor: Actor, now: datetime, request: ExportRequest, *,
                  via: str, rows: int | None = None) -> None:
    """Audit the export; an unmasked one under its own action, so it stands out in the trail."""
    action = "export.created" if request.masked else "export.unmasked"
    audit.record(session, actor, now, action, data={
        "export": request.name, "format": request.fmt, "period": request.period.as_dict(),
        "masked": request.masked, "language": request.lang, "via": via, "rows": rows})
