"""Compliance figures for auditors: what each figure counts, computed from plain case facts.

Definitions (the reports page repeats them in its help text):
- A case belongs to a period when its receipt date (day 0, Europe/Istanbul) falls in it.
- received: every case of the period, whatever its status.
- open: received, in review, awaiting the applicant or decided (not yet replied).
- concluded ("closed"): replied, closed or withdrawn.
- overdue: open and today (Istanbul) is after its statutory due date.
- replied: the case has a reply date: the date the reply was sent as recorded by
  services/replies.py (`sent_on`), or, failing that, the Istanbul date it was marked replied.
- days to reply: calendar days from the receipt date to the reply date (same day = 0).
- on time (statutory): reply date on or before `statutory_due`. On time (outer limit): on or
  before `outer_due`. Both rates are over replied cases only: withdrawn cases never count, and
  open cases are not in the rate (those past due show under overdue instead).
- late: reply date after `statutory_due`; days late = reply date - statutory_due. A late reply
  may still be within the outer limit ("outer-due only").
- median: the middle value (the mean of the two middle values for an even count);
  90th percentile: nearest rank, the value at rank ceil(0.9 n) in ascending order.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

OPEN = frozenset({"received", "in_review", "awaiting_applicant", "decided"})
CONCLUDED = frozenset({"replied", "closed", "withdrawn"})
MAX_CUSTOM_DAYS = 366 * 5


@dataclass(frozen=True)
class Period:
    """An inclusive range of Istanbul dates."""

    start: date
    end: date
    kind: str = "custom"

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("period ends before it starts")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = date(year, month, 1)
        return cls(first, _next_month(first) - timedelta(days=1), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = date(year, 3 * quarter - 2, 1)
        end = _next_month(_next_month(_next_month(first))) - timedelta(days=1)
        return cls(first, end, "quarter")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> list[date]:
        """Return the first day of every month the period touches."""
        month, result = self.start.replace(day=1), []
        while month <= self.end:
            result.append(month)
            month = _next_month(month)
        return result


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def chart_window(period: Period) -> Period:
    """Return the months the charts cover: the period, widened to twelve months up to its end."""
    twelve_back = period.end.replace(day=1)
    for _ in range(11):
        twelve_back = (twelve_back - timedelta(days=1)).replace(day=1)
    return Period(min(period.start.replace(day=1), twelve_back), period.end, "chart")


@dataclass(frozen=True)
class CaseFacts:
    """What the figures need to know about one case."""

    received_on: date
    statutory_due: date
    outer_due: date
    status: str
    replied_on: date | None = None
    channel: str = ""
    officer_id: int | None = None
    ref: str = ""  # the tracking number, for the list of late replies

    @property
    def replied(self) -> bool:
        return self.replied_on is not None and self.status != "withdrawn"

    @property
    def days_late(self) -> int:
        """Calendar days after the statutory due date the reply went out (0 when on time)."""
        return max(0, (self.replied_on - self.statutory_due).days) if self.replied else 0

    def outcome(self, today: date) -> Outcome:
        if not self.replied:
            return Outcome(self.status, self.status in OPEN and today > self.statutory_due)
        return Outcome(self.status, False, (self.replied_on - self.received_on).days,
                       (self.replied_on - self.statutory_due).days,
                       (self.replied_on - self.outer_due).days)


@dataclass(frozen=True)
class Outcome:
    """One case reduced to what the figures count; the database groups cases by it.

    The day counts are set only for a replied case: reply date minus receipt date, minus the
    statutory due date and minus the outer limit (zero or less means on time).
    """

    status: str
    overdue: bool = False
    days_to_reply: int | None = None
    days_after_due: int | None = None
    days_after_outer: int | None = None


def median(histogram: Counter) -> float | None:
    """Return the median of a value -> count histogram."""
    n = sum(histogram.values())
    if n == 0:
        return None
    if n % 2:
        return float(_rank(histogram, n // 2 + 1))
    return (_rank(histogram, n // 2) + _rank(histogram, n // 2 + 1)) / 2


def percentile(histogram: Counter, p: float) -> int | None:
    """Return the nearest-rank p-th percentile (0 < p <= 100) of a value -> count histogram."""
    n = sum(histogram.values())
    if n == 0:
        return None
    return _rank(histogram, max(1, math.ceil(p / 100 * n)))


def _rank(histogram: Counter, rank: int) -> int:
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise ValueError("rank beyond the histogram")


def rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


@dataclass
class Tally:
    """The figures of a set of cases, folded one case at a time (constant memory)."""

    received: int = 0
    open: int = 0
    concluded: int = 0
    withdrawn: int = 0
    overdue: int = 0
    replied: int = 0
    on_time_statutory: int = 0
    on_time_outer: int = 0
    days_to_reply: Counter = field(default_factory=Counter)
    days_late: Counter = field(default_factory=Counter)

    def add(self, outcome: Outcome, n: int = 1) -> None:
        """Count n cases that share this outcome."""
        self.received += n
        if outcome.status in OPEN:
            self.open += n
            self.overdue += n if outcome.overdue else 0
        else:
            self.concluded += n
        if outcome.status == "withdrawn":
            self.withdrawn += n
        if outcome.days_to_reply is None or outcome.status == "withdrawn":
            return
        self.replied += n
        self.days_to_reply[outcome.days_to_reply] += n
        if outcome.days_after_due <= 0:
            self.on_time_statutory += n
        else:
            self.days_late[outcome.days_after_due] += n
        if outcome.days_after_outer <= 0:
            self.on_time_outer += n

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time_statutory, self.replied)

    @property
    def on_time_rate_outer(self) -> float | None:
        return rate(self.on_time_outer, self.replied)

    @property
    def late(self) -> int:
        return self.replied - self.on_time_statutory

    @property
    def late_beyond_outer(self) -> int:
        return self.replied - self.on_time_outer

    @property
    def median_days(self) -> float | None:
        return median(self.days_to_reply)

    @property
    def p90_days(self) -> int | None:
        return percentile(self.days_to_reply, 90)

    @property
    def median_days_late(self) -> float | None:
        return median(self.days_late)

    @property
    def max_days_late(self) -> int | None:
        return max(self.days_late) if self.days_late else None


# Bins of the days-to-reply chart: five-day steps up to the 30-day limit, then beyond it.
DAY_BINS: tuple[tuple[int, int | None], ...] = (
    (0, 5), (6, 10), (11, 15), (16, 20), (21, 25), (26, 30), (31, 40), (41, None))


def binned(histogram: Counter) -> list[tuple[tuple[int, int | None], int]]:
    """Return (bin, count) for DAY_BINS: how many replies took that many days."""
    return [((low, high), sum(n for days, n in histogram.items()
                              if days >= low and (high is None or days <= high)))
            for low, high in DAY_BINS]


LATE_LISTED = 100


@dataclass
class Report:
    """The period's figures, its breakdowns by channel and officer, and monthly series."""

    period: Period
    window: Period
    total: Tally = field(default_factory=Tally)
    by_channel: dict[str, Tally] = field(default_factory=dict)
    by_officer: dict[int | None, Tally] = field(default_factory=dict)
    by_month: dict[date, Tally] = field(default_factory=dict)
    # The latest replies (most days late first), at most LATE_LISTED: a min-heap on days late.
    _late: list[tuple[int, str, int, CaseFacts]] = field(default_factory=list)
    _seen: int = 0

    def add(self, case: CaseFacts, today: date) -> None:
        """Count one case (tests and small sets; the database hands over groups instead)."""
        if case.received_on not in self.window:
            return
        self.add_group(case.received_on.replace(day=1), case.received_on in self.period,
                       case.channel, case.officer_id, case.outcome(today))
        if case.received_on in self.period and case.days_late:
            self.note_late(case)

    def add_group(self, month: date, in_period: bool, channel: str, officer_id: int | None,
                  outcome: Outcome, n: int = 1) -> None:
        """Count n cases received in `month` of the chart window that share one outcome."""
        _tally(self.by_month, month).add(outcome, n)
        if not in_period:
            return
        self.total.add(outcome, n)
        _tally(self.by_channel, channel).add(outcome, n)
        _tally(self.by_officer, officer_id).add(outcome, n)

    def note_late(self, case: CaseFacts) -> None:
        """Keep the case if it is among the LATE_LISTED latest replies seen so far."""
        self._seen += 1  # breaks ties, so that cases themselves are never compared
        entry = (case.days_late, case.ref, self._seen, case)
        if len(self._late) < LATE_LISTED:
            heapq.heappush(self._late, entry)
        elif entry[:2] > self._late[0][:2]:
            heapq.heapreplace(self._late, entry)

    def late_replies(self) -> list[CaseFacts]:
        """Return the late replies of the period, most days late first (at most LATE_LISTED)."""
        return [entry[-1] for entry in sorted(self._late, key=lambda e: (-e[0], e[1], e[2]))]

    def monthly(self) -> list[tuple[date, Tally]]:
        """Return every month of the chart window in order, empty months included."""
        return [(month, self.by_month.get(month, Tally())) for month in self.window.months()]


def _tally(tallies: dict, key) -> Tally:
    tally = tallies.get(key)
    if tally is None:  # not setdefault: that would build a Tally for every case
        tally = tallies[key] = Tally()
    return tally


def build_report(cases, period: Period, today: date) -> Report:
    """Fold an iterable of CaseFacts into the period's report."""
    report = Report(period, chart_window(period))
    for case in cases:
        report.add(case, today)
    return report
