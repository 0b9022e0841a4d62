"""The output formats. A writer turns a Table into bytes, chunk by chunk.

To add a format, write a class with `name`, `label`, `media_type`, `extension` and
`chunks(table) -> Iterator[bytes]`, and call `register(...)` (see csv_writer.py). The web page
and the CLI offer every registered writer; `PLANNED` formats are listed but refused politely.

The PDF writer (pdf_writer.py) shows what a document format reads in `chunks`:
`table.headers()`, `table.export.title(table.lang)`, `table.request.period`, `table.total`
(None on the web), `table.taken_by`/`taken_at` for its header, and the cells as text from
`table.rows(table.converters(lambda kind: text_converter(kind, table.dialect, True)))`
(masking, Istanbul times and dd.mm.yyyy included). It yields the finished document once
(WeasyPrint cannot stream), and imports weasyprint inside `chunks`, not at module level.
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
# Formats asked for that no writer provides yet: offered by the CLI, refused clearly.
PLANNED: tuple[str, ...] = ()


def register(writer: Writer) -> Writer:
    WRITERS[writer.name] = writer
    return writer


def format_names() -> list[str]:
    return list(WRITERS) + [name for name in PLANNED if name not in WRITERS]


def load_builtin() -> None:
    from . import csv_writer, pdf_writer, xlsx_writer  # noqa: F401  (they register themselves)
