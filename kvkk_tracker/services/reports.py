"""Feed the compliance figures (domain/reporting.py) from the database.

Counts per right, outcome and reason are grouped in SQL. The figures that need date arithmetic
per case (days to reply, on time or late) stream narrow rows in batches and fold them into
histograms, so memory stays flat whatever the period's size.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.deadlines import ISTANBUL, to_istanbul
from ..domain.reporting import CaseFacts, Period, Report, build_report, chart_window
from ..models import Application, ApplicationRight, AuditEvent, User

BATCH = 2000


def istanbul_bounds(period: Period) -> tuple[datetime, datetime]:
    """Return the [start, end) moments of a period of Istanbul dates."""
    start = datetime.combine(period.start, time(0), ISTANBUL)
    end = datetime.combine(period.end + timedelta(days=1), time(0), ISTANBUL)
    return start, end


def received_in(period: Period):
    start, end = istanbul_bounds(period)
    return Application.received_at >= start, Application.received_at < end


def _sent_on():
    """The reply date services/replies.py recorded with the case's reply event."""
    return (select(AuditEvent.data["sent_on"].as_string())
            .where(AuditEvent.application_id == Application.id,
                   AuditEvent.action == "application.replied")
            .order_by(AuditEvent.id.desc()).limit(1).scalar_subquery())


def reply_date(sent_on: str | None, replied_at: datetime | None) -> date | None:
    if sent_on:
        try:
            return date.fromisoformat(sent_on)
        except ValueError:
            pass
    return to_istanbul(replied_at).date() if replied_at is not None else None


def case_facts(session: Session, period: Period):
    """Yield CaseFacts for every case received in the period, in batches."""
    query = (select(Application.received_at, Application.statutory_due, Application.outer_due,
                    Application.status, Application.replied_at, Application.channel,
                    Application.assignee_id, Application.tracking_no,
                    _sent_on().label("sent_on"))
             .where(*received_in(period))
             .execution_options(yield_per=BATCH))
    for row in session.execute(query):
        yield CaseFacts(
            received_on=to_istanbul(row.received_at).date(), statutory_due=row.statutory_due,
            outer_due=row.outer_due, status=row.status,
            replied_on=reply_date(row.sent_on, row.replied_at) if row.status in (
                "replied", "closed") else None,
            channel=row.channel, officer_id=row.assignee_id, ref=row.tracking_no)


@dataclass
class RightsBreakdown:
    """Requested rights of the period's cases: per right (by outcome), outcome and reason."""

    by_right: dict[str, Counter] = field(default_factory=dict)
    by_outcome: Counter = field(default_factory=Counter)
    by_reason: Counter = field(default_factory=Counter)


def rights_breakdown(session: Session, period: Period) -> RightsBreakdown:
    query = (select(ApplicationRight.right_code, ApplicationRight.outcome,
                    ApplicationRight.reason_code, func.count())
             .join(Application, Application.id == ApplicationRight.application_id)
             .where(*received_in(period))
             .group_by(ApplicationRight.right_code, ApplicationRight.outcome,
                       ApplicationRight.reason_code))
    result = RightsBreakdown()
    for right_code, outcome, reason_code, count in session.execute(query):
        result.by_right.setdefault(right_code, Counter())[outcome or "undecided"] += count
        result.by_outcome[outcome or "undecided"] += count
        if reason_code:
            result.by_reason[reason_code] += count
    return result


@dataclass
class PeriodReport:
    report: Report
    rights: RightsBreakdown
    officers: dict[int, str]
    generated_at: datetime


def period_report(session: Session, period: Period, now: datetime) -> PeriodReport:
    """Return every figure of the reports page for one period, as of `now`."""
    # The chart window contains the period, so one pass feeds the figures and the charts.
    cases = case_facts(session, chart_window(period))
    report = build_report(cases, period, to_istanbul(now).date())
    ids = [i for i in report.by_officer if i is not None]
    officers = dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) \
        if ids else {}
    return PeriodReport(report, rights_breakdown(session, period), officers, now)
