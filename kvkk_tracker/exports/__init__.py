"""Named exports for auditors: explicit columns, streamed rows, CSV and XLSX (and more formats
through `writers.register`). See catalogue.py for what each export contains and leaves out."""

from .catalogue import EXPORTS
from .run import (
    ExportRefused,
    ExportRequest,
    Table,
    check_allowed,
    count_rows,
    open_table,
    record_export,
)
from .spec import Column, Export, Period
from .writers import PLANNED, WRITERS, format_names, load_builtin, register

load_builtin()

__all__ = ["EXPORTS", "PLANNED", "WRITERS", "Column", "Export", "ExportRefused",
           "ExportRequest", "Period", "Table", "check_allowed", "count_rows", "format_names",
           "open_table", "record_export", "register"]
