"""The reports page: compliance figures of a period, with charts, as HTML or as a PDF."""

from __future__ import annotations

from datetime import datetime

from flask import make_response, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ...clock import utcnow
from ...domain.deadlines import to_istanbul
from ...domain.reporting import Period
from ...extensions import db
from ...reports.figures import key_figures_context, tally_row
from ...reports.pdf import render_pdf
from ...services.reports import PeriodReport
from ..labels import channel_label
from ..office.labels import TEMPLATE_HELPERS
from .blueprint import bp
from .forms import PeriodForm


def breakdown_rows(figures: PeriodReport) -> dict:
    report = figures.report
    channels = [tally_row(channel_label(code), tally)
                for code, tally in sorted(report.by_channel.items())]
    named = [(figures.officers.get(ident, _("Staff member #%(id)s", id=ident))
              if ident is not None else _("Unassigned"), tally)
             for ident, tally in report.by_officer.items()]
    officers = [tally_row(name, tally) for name, tally in sorted(named, key=lambda p: p[0])]
    return {"channel_rows": channels, "officer_rows": officers}


def figures_context(period: Period | None, now: datetime) -> dict:
    """Return what the report templates need: the period's figures, rows and charts."""
    context = key_figures_context(db.session, period, now)
    figures = context["figures"]
    return {**context, **(breakdown_rows(figures) if figures else {})}


def _context():
    # Read without SQLite's write lock, as every GET that writes nothing (web/helpers.py): a
    # year of figures is counted and its PDF rendered while the office goes on saving.
    now = utcnow()
    form = PeriodForm(today=to_istanbul(now).date())
    return {"form": form, **figures_context(form.period(), now)}


def report_pdf(period: Period, now: datetime, lang: str = "tr") -> bytes:
    """Render the period's report as a PDF, inside an app context: no request needed.

    The whole report, breakdowns included (their labels are the office's); a PDF export of
    applications carries the key figures and charts only (exports/writers/pdf_writer.py).
    """
    with force_locale(lang):
        # The blueprint's context processor needs a request: hand the labels over here.
        return render_pdf(render_template("auditor/report_pdf.html", pdf=True,
                                          **TEMPLATE_HELPERS, **figures_context(period, now)))


@bp.get("/reports")
def reports():
    """Show the period's figures; a bad period shows its errors and keeps what was typed."""
    context = _context()
    status = 200 if context["period"] else 400
    pdf_url = url_for("auditor.reports_pdf", **request.args) if context["period"] else None
    return render_template("auditor/reports.html", pdf_url=pdf_url, **context), status


@bp.get("/reports.pdf")
def reports_pdf():
    """Return the same figures as a formatted PDF, charts included."""
    context = _context()
    if context["period"] is None:
        return render_template("auditor/reports.html", pdf_url=None, **context), 400
    pdf = render_pdf(render_template("auditor/report_pdf.html", pdf=True, **context))
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="kvkk-report-{period_slug(context["period"])}.pdf"')
    return response


def period_slug(period: Period) -> str:
    return f"{period.start.isoformat()}_{period.end.isoformat()}"
