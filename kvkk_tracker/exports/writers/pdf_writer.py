"""PDF: a report to read, not a data file.

A header with the export's title, its period, who took it and when (Türkiye time) and whether
identity numbers are masked; for an export `with_figures` (applications), the period's key
figures and the three charts of the reports page; then the rows under the export's headers,
as text, Istanbul times and dd.mm.yyyy, masked as asked.

The table stops after KVKK_EXPORT_PDF_MAX_ROWS rows (default 1,000, about 30 landscape
pages): WeasyPrint builds the whole document in memory, ~11 ms of CPU and ~0.3 MB a row of 15
columns here (5,000 rows: 77 s and 1.5 GB, past gunicorn's timeout; docs/benchmarks.md), so a
PDF of a million rows would be neither readable nor affordable. The PDF then says how many
rows were left out and that CSV and XLSX carry them all.

WeasyPrint (and the figures, which import it with the renderer) are imported in `chunks`: the
CLI starts without paying for them unless a PDF is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..run import Table, count_rows
from ..values import text_converter
from . import register


def first_rows(table: Table, limit: int) -> tuple[list[list], bool]:
    """Return up to `limit` converted rows, and whether there were more."""
    converters = table.converters(
        lambda kind: text_converter(kind, table.dialect, True, disarm=False))
    kept: list[list] = []
    batches = table.rows(converters)
    try:
        for batch in batches:
            room = limit - len(kept)
            kept.extend(batch[:room])
            if len(batch) > room:
                return kept, True
    finally:
        batches.close()
    return kept, False


class PdfWriter:
    name = "pdf"
    label = "PDF"
    media_type = "application/pdf"
    extension = "pdf"

    def chunks(self, table: Table) -> Iterator[bytes]:
        from flask import current_app, render_template
        from flask_babel import force_locale, format_decimal
        from sqlalchemy.orm import Session

        from ...clock import utcnow
        from ...domain.deadlines import to_istanbul
        from ...reports.figures import covering, key_figures_context
        from ...reports.pdf import render_pdf

        limit = current_app.config["KVKK_EXPORT_PDF_MAX_ROWS"]
        rows, more = first_rows(table, limit)
        # The audit event counts what the document holds.
        table.written = len(rows)
        now = table.taken_at or utcnow()
        period = table.request.period
        context: dict = {"figures": None, "charts": []}
        # A read-only session of its own, ended before the long render: on SQLite it takes no
        # write lock, so it neither blocks the office nor waits for a caller's transaction.
        reader = table.engine.execution_options(sqlite_read_only=True)
        with Session(bind=reader) as session:
            total = table.total
            if more and total is None:
                total = count_rows(session, table.request)
            if table.export.with_figures:
                report_period = covering(session, period.start, period.end,
                                         to_istanbul(now).date())
                if report_period is not None:
                    with force_locale(table.lang):
                        context = key_figures_context(session, report_period, now)
        with force_locale(table.lang):
            html = render_template(
                "auditor/export_pdf.html", pdf=True, **context, export=table.export,
                export_period=period, taken_by=table.taken_by, taken_at=now,
                masked=table.request.masked, headers=table.headers(), rows=rows,
                shown=format_decimal(len(rows)),
                left_out=format_decimal(total - len(rows)) if more else None)
        yield render_pdf(html)


register(PdfWriter())
