"""The output formats. A writer turns a Table into bytes, chunk by chunk.

To add a format, write a class with `name`, `label`, `media_type`, `extension` and
`chunks(table) -> Iterator[bytes]`, and call `register(...)` (see csv_writer.py). The web page
and the CLI offer every registered writer; `PLANNED` formats are listed but refused politely.

A PDF writer, for instance, goes in writers/pdf_writer.py, is imported by `load_builtin`, and in
`chunks` reads `table.headers()`, `table.export.title(table.lang)`, `table.request.period`,
`table.total` (None on the web: it may refuse or cap a table too long to print), and the cells
as text from `table.rows(table.converters(lambda kind: text_converter(kind, table.dialect,
True)))` (masking, Istanbul times and dd.mm.yyyy included); it yields the finished document
once (WeasyPrint cannot stream), and imports weasyprint inside `chunks`, not at module level.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from ..run import Table


class Writer(Protocol):
    name: str
    label: str
    media_type: str
    extension: str

    def chunks(self, table: Table) -> Iterator[bytes]: ...


WRITERS: dict[str, Writer] = {}
# Formats the issue asks for that no writer provides yet: offered by the CLI, refused clearly.
PLANNED = ("pdf",)


def register(writer: Writer) -> Writer:
    WRITERS[writer.name] = writer
    return writer


def format_names() -> list[str]:
    return list(WRITERS) + [name for name in PLANNED if name not in WRITERS]


def load_builtin() -> None:
    from . import csv_writer, xlsx_writer  # noqa: F401  (they register themselves)
