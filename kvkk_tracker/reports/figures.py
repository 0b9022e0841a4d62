"""The figures of a period as the report templates show them: numbers, rates and charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from babel.numbers import format_percent as babel_percent
from flask_babel import format_decimal, get_locale, pgettext
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.deadlines import to_istanbul
from ..domain.reporting import LATE_LISTED, Period, Tally, binned
from ..models import Application
from ..services.reports import PeriodReport, period_report
from .charts import Point, bar_chart, line_chart


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


def key_figures_context(session: Session, period: Period | None, now: datetime) -> dict:
    """Return what the key-figures and charts templates need (no breakdown tables)."""
    figures = period_report(session, period, now) if period else None
    return {"period": period, "figures": figures,
            "charts": build_charts(figures) if figures and figures.report.total.received else [],
            "percent": percent, "number": number, "tally_row": tally_row,
            "late_listed": LATE_LISTED}


def covering(session: Session, start: date | None, end: date | None,
             today: date) -> Period | None:
    """Return the report period for days that may be open-ended, or None if it holds nothing.

    An open start is the first day an application was received, an open end is today; a
    range reaching further is cut to those (nothing was received outside them), so that the
    charts never span empty centuries.
    """
    first = session.scalar(select(func.min(Application.received_at)))
    if first is None:
        return None
    first_day = to_istanbul(first).date()
    start = max(start or first_day, first_day)
    end = min(end or today, today)
    return Period(start, end) if start <= end else None
