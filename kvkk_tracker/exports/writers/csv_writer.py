"""CSV for Excel: UTF-8 with a BOM, formulas disarmed, Istanbul times.

Turkish exports use `;` and dd.mm.yyyy because that is what Excel set to Turkish expects (its
list separator is `;`, since `,` is the decimal mark) and reads as real dates, day first;
English exports use `,` and ISO dates (2026-04-01 10:00), which Excel reads as dates in every
other locale and which never swap day and month.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..run import Table
from ..sqlite_lines import csv_text
from ..values import text_converter
from . import register

BOM = "\ufeff"
STYLES = {"tr": (";", True), "en": (",", False)}  # delimiter, day first


class CsvWriter:
    name = "csv"
    label = "CSV"
    media_type = "text/csv; charset=utf-8"
    extension = "csv"

    def chunks(self, table: Table) -> Iterator[bytes]:
        delimiter, day_first = STYLES.get(table.lang, STYLES["tr"])
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        buffer.write(BOM)
        writer.writerow(table.headers())
        rendered = csv_text(table, delimiter, day_first) if table.dialect == "sqlite" else None
        if rendered is not None:
            yield buffer.getvalue().encode("utf-8")
            for text in rendered:
                yield text.encode("utf-8")
            return
        converters = table.converters(
            lambda kind: text_converter(kind, table.dialect, day_first))
        for batch in table.rows(converters):
            writer.writerows(batch)
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
        if buffer.tell():  # an empty export: the header alone
            yield buffer.getvalue().encode("utf-8")


register(CsvWriter())
