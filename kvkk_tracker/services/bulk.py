"""Insert many rows fast: one compiled INSERT, each distinct value converted once.

SQLAlchemy's executemany converts every value of every row through its type (a UTC datetime
becomes SQLite's text form, a dict becomes JSON). A sweep writes ~60,000 rows in which most
datetimes are the same `now` and most JSON documents are shared by a case's recipients, and
that conversion cost more than SQLite's own work. The same processors are used here, through
SQLAlchemy's public `dialect_impl(dialect).bind_processor(dialect)`, so the stored
values are identical (tests/jobs/test_bulk.py compares them byte for byte).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter

from sqlalchemy import Table, bindparam, update
from sqlalchemy.engine import Connection


def _memoised(process: Callable) -> Callable:
    """Convert equal hashable values once; an unhashable one (a dict) once per object."""
    seen: dict = {}
    last: list = [object(), None]

    def convert(value):
        if value is None:
            return None
        try:
            return seen[value]
        except KeyError:
            seen[value] = result = process(value)
            return result
        except TypeError:  # unhashable: rows of one case share the very same dict
            if last[0] is not value:
                last[0], last[1] = value, process(value)
            return last[1]

    return convert


def insert_many(connection: Connection, table: Table, rows: list[dict]) -> None:
    """executemany an INSERT of rows that all have the same keys."""
    if not rows:
        return
    keys = list(rows[0])
    dialect = connection.dialect
    compiled = table.insert().compile(dialect=dialect, column_keys=keys)
    converters = {}
    for key in keys:
        # dialect_impl: a generic type (DateTime) only converts in its dialect's form.
        process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            converters[key] = _memoised(process)
    if dialect.positional:
        order = [compiled.binds[name].key for name in compiled.positiontup]
        pick = itemgetter(*order) if len(order) > 1 else (lambda row: (row[order[0]],))
        convert = [(i, converters[k]) for i, k in enumerate(order) if k in converters]
        params = []
        for row in rows:
            values = list(pick(row))
            for i, process in convert:
                values[i] = process(values[i])
            params.append(tuple(values))
    else:
        params = [{k: (converters[k](v) if k in converters else v) for k, v in row.items()}
                  for row in rows]
    connection.exec_driver_sql(compiled.string, params)


def update_column(connection: Connection, table: Table, column: str,
                  pairs: list[tuple[int, object]]) -> None:
    """executemany `UPDATE table SET column = value WHERE id = key` for (key, value) pairs."""
    if not pairs:
        return
    dialect = connection.dialect
    stmt = (update(table).where(table.c.id == bindparam("k_id"))
            .values({column: bindparam("v_new", type_=table.c[column].type)}))
    compiled = stmt.compile(dialect=dialect)
    process = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
    convert = _memoised(process) if process is not None else (lambda value: value)
    if dialect.positional:
        order = [compiled.binds[name].key for name in compiled.positiontup]
        params = [tuple(key if name == "k_id" else convert(value) for name in order)
                  for key, value in pairs]
    else:
        params = [{"k_id": key, "v_new": convert(value)} for key, value in pairs]
    connection.exec_driver_sql(compiled.string, params)
