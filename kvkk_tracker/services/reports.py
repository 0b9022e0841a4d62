"""Feed the compliance figures (domain/reporting.py) from the database.

Everything is counted in SQL: the database works out each case's Istanbul receipt day, reply
day and the day counts the figures need, and hands over one row per group of cases that share
them (a few thousand rows for a year), which the domain folds into its tallies. Only the late
replies listed by name come back one by one, at most LATE_LISTED of them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, Integer, and_, case, cast, func, literal, select
from sqlalchemy.orm import Session

from ..domain.deadlines import ISTANBUL, to_istanbul
from ..domain.reporting import (
    LATE_LISTED,
    OPEN,
    CaseFacts,
    Outcome,
    Period,
    Report,
    chart_window,
)
from ..models import Application, ApplicationRight, AuditEvent, User


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


# Türkiye has kept UTC+3 all year since 7 September 2016 and KVKK's Articles 11-13 apply from
# 7 October 2016, so on SQLite (which has no time-zone data) a fixed offset gives every case's
# Istanbul day exactly. PostgreSQL converts with its own zone data.
SQLITE_OFFSET = "+3 hours"
REPLIED = ("replied", "closed")


class DayMath:
    """Calendar-day expressions in the database's own dialect."""

    def __init__(self, session: Session):
        self.pg = session.get_bind().dialect.name == "postgresql"

    def local_day(self, moment):
        if self.pg:
            return cast(func.timezone("Europe/Istanbul", moment), Date)
        return func.date(moment, SQLITE_OFFSET)

    def day(self, iso_text):
        return cast(iso_text, Date) if self.pg else func.date(iso_text)

    def between(self, later, earlier):
        if self.pg:
            return cast(later - earlier, Integer)
        return cast(func.julianday(later) - func.julianday(earlier), Integer)

    def month(self, day):
        return func.to_char(day, "YYYY-MM") if self.pg else func.strftime("%Y-%m", day)


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _cases(session: Session, period: Period):
    """Each case received in the period with its Istanbul receipt day and reply day."""
    m = DayMath(session)
    reply_day = case((Application.status.in_(REPLIED), func.coalesce(
        m.day(_sent_on()), m.local_day(Application.replied_at))), else_=None)
    return (select(m.local_day(Application.received_at).label("received_day"),
                   reply_day.label("reply_day"), Application.status, Application.channel,
                   Application.assignee_id, Application.statutory_due, Application.outer_due,
                   Application.tracking_no)
            .where(*received_in(period))
            # Materialised: SQLite would otherwise copy the reply-day lookup into every
            # expression of the outer query that reads it.
            .cte("period_cases").prefix_with("MATERIALIZED"))


def fold_groups(session: Session, report: Report, today: date) -> None:
    """Count the chart window's cases into the report, grouped by outcome in the database."""
    m = DayMath(session)
    cases = _cases(session, report.window)
    start, end = literal(report.period.start, Date), literal(report.period.end, Date)
    columns = (
        m.month(cases.c.received_day),
        and_(cases.c.received_day >= start, cases.c.received_day <= end),
        cases.c.channel, cases.c.assignee_id, cases.c.status,
        and_(cases.c.status.in_(sorted(OPEN)), cases.c.statutory_due < literal(today, Date)),
        m.between(cases.c.reply_day, cases.c.received_day),
        m.between(cases.c.reply_day, cases.c.statutory_due),
        m.between(cases.c.reply_day, cases.c.outer_due),
    )
    query = select(*columns, func.count()).group_by(*columns)
    for (month, in_period, channel, officer, status, overdue, to_reply, after_due,
         after_outer, n) in session.execute(query):
        year, number = map(int, month.split("-"))
        report.add_group(date(year, number, 1), bool(in_period), channel, officer,
                         Outcome(status, bool(overdue), to_reply, after_due, after_outer), n)


def note_late_replies(session: Session, report: Report) -> None:
    """Hand the report the period's latest replies, most days late first."""
    m = DayMath(session)
    cases = _cases(session, report.period)
    days_late = m.between(cases.c.reply_day, cases.c.statutory_due)
    query = (select(cases).where(days_late > 0)
             .order_by(days_late.desc(), cases.c.tracking_no).limit(LATE_LISTED))
    for row in session.execute(query):
        report.note_late(CaseFacts(
            _as_date(row.received_day), row.statutory_due, row.outer_due, row.status,
            _as_date(row.reply_day), row.channel, row.assignee_id, row.tracking_no))


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
    # The chart window contains the period, so one query feeds the figures and the charts.
    report = Report(period, chart_window(period))
    fold_groups(session, report, to_istanbul(now).date())
    note_late_replies(session, report)
    ids = [i for i in report.by_officer if i is not None]
    officers = dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) \
        if ids else {}
    return PeriodReport(report, rights_breakdown(session, period), officers, now)
