"""The reports page: compliance figures of a period, with charts, as HTML or as a PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.numbers import format_percent as babel_percent
from flask import make_response, render_template, request, url_for
from flask_babel import force_locale, format_decimal, get_locale, pgettext
from flask_babel import gettext as _

from ...clock import utcnow
from ...domain.deadlines import to_istanbul
from ...domain.reporting import LATE_LISTED, Period, Tally, binned
from ...extensions import db
from ...services.reports import PeriodReport, period_report
from ..labels import channel_label
from ..office.labels import TEMPLATE_HELPERS
from .blueprint import bp
from .charts import Point, bar_chart, line_chart
from .forms import PeriodForm
from .pdf import render_pdf


def percent(value: float | None) -> str:
    """Return a rate with at most one decimal, where the locale puts the sign: %66,7 / 66.7%."""
    if value is None:
        return "–"
    return babel_percent(round(value, 3), locale=get_locale(), decimal_quantization=False)


def number(value: float | None) -> str:
    return "–" if value is None else format_decimal(value, format="#,##0.#")


def days_bin_label(low: int, high: int | None) -> str:
    return f"{low}+" if high is None else f"{low}–{high}"


@dataclass(frozen=True)
class Chart:
    svg: str
    caption: str
    headers: tuple[str, str]
    rows: list[tuple[str, str]]


def build_charts(figures: PeriodReport) -> list[Chart]:
    report = figures.report
    monthly = report.monthly()
    months = [month.strftime("%m.%Y") for month, _tally in monthly]
    per_month = [Point(label, tally.received, str(tally.received))
                 for label, (_m, tally) in zip(months, monthly, strict=True)]
    on_time = [Point(label, None if tally.on_time_rate is None else tally.on_time_rate * 100,
                     percent(tally.on_time_rate))
               for label, (_m, tally) in zip(months, monthly, strict=True)]
    bins = [Point(days_bin_label(low, high), count, str(count))
            for (low, high), count in binned(report.total.days_to_reply)]
    span = f"{months[0]} – {months[-1]}"
    charts = [
        (bar_chart("chart-received", _("Applications per month"),
                   _("Applications received each month, %(span)s.", span=span), per_month),
         _("Applications per month"), (_("Month"), pgettext("count", "Received")), per_month),
        (line_chart("chart-on-time", _("On-time rate per month"),
                    _("Share of replied applications answered by the statutory due date, by "
                      "month of receipt, %(span)s. Months without replies have no point.",
                      span=span), on_time, y_suffix="%"),
         _("On-time rate per month (statutory due date)"), (_("Month"), _("On time")), on_time),
        (bar_chart("chart-days", _("Days to reply"),
                   _("How many replies of the period took each number of calendar days."),
                   bins),
         _("Distribution of days to reply (calendar days)"), (_("Days"), _("Replies")), bins),
    ]
    return [Chart(svg, caption, headers, [(p.label, p.text) for p in points])
            for svg, caption, headers, points in charts]


def tally_row(label: str, tally: Tally) -> dict:
    return {"label": label, "received": tally.received, "open": tally.open,
            "replied": tally.replied, "on_time": percent(tally.on_time_rate),
            "on_time_outer": percent(tally.on_time_rate_outer), "late": tally.late,
            "median": number(tally.median_days)}


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
    figures = period_report(db.session, period, now) if period else None
    return {"period": period, "figures": figures,
            **(breakdown_rows(figures) if figures else {}),
            "charts": build_charts(figures) if figures and figures.report.total.received else [],
            "percent": percent, "number": number, "tally_row": tally_row,
            "late_listed": LATE_LISTED}


def _context():
    now = utcnow()
    form = PeriodForm(today=to_istanbul(now).date())
    return {"form": form, **figures_context(form.period(), now)}


def report_pdf(period: Period, now: datetime, lang: str = "tr") -> bytes:
    """Render the period's report as a PDF, inside an app context: no request needed.

    This is what an exports "pdf" writer or a CLI command calls.
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
