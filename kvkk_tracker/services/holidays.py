"""Keep the admin's corrections to the holiday calendar, and read them for every deadline.

An override applies to applications received after it is saved. A case already received keeps
the dates and reasons computed at its receipt: nothing here moves a stored deadline. The open
cases whose stored dates lie on or around an overridden day are listed for the admin instead,
and named in the audit event, so that someone can look at them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.calendar import OVERRIDE_KINDS, HolidayCalendar, HolidayOverride
from ..domain.deadlines import to_istanbul
from ..models import Application, HolidayOverrideRecord, User
from ..models.application import OPEN_STATUS_SQL
from . import audit
from .cases import Forbidden, user_actor
from .errors import ServiceError

LIMITS = {"name_tr": 200, "name_en": 200, "source": 500}
# A logged application may be backdated (post received last month), so its due date can lie in
# the recent past; a day further back can affect no case received from now on.
EARLIEST = timedelta(days=366)
# The package confirms religious holidays some years ahead; a decade covers any announcement.
LATEST_YEARS = 10
# The longest run of non-working days a due date can roll over (a four-day bayram after its
# arife, joined to a weekend and a bridging administrative day) is well under this.
ROLLOVER_REACH = timedelta(days=15)
_CONTROL = {chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127)}
_TABLE = HolidayOverrideRecord.__table__
_SELECT = select(_TABLE.c.day, _TABLE.c.kind, _TABLE.c.name_tr, _TABLE.c.name_en,
                 _TABLE.c.source).order_by(_TABLE.c.day)
_SQLITE_SELECT = str(_SELECT.compile(dialect=sqlite.dialect()))


class OverrideError(ServiceError):
    """A refused override; `field` names the input at fault, when there is one."""

    def __init__(self, why: str, field: str | None = None):
        super().__init__(why)
        self.why, self.field = why, field


@dataclass(frozen=True)
class OverrideInput:
    day: date | None
    kind: str
    name_tr: str = ""
    name_en: str = ""
    source: str = ""

    def cleaned(self, today: date) -> dict:
        """Return the values stripped; raise OverrideError on the first bad field."""
        if self.day is None:
            raise OverrideError("day_required", "day")
        check_day(self.day, today)
        if self.kind not in OVERRIDE_KINDS:
            raise OverrideError("unknown_kind", "kind")
        values = {"day": self.day, "kind": self.kind}
        for name in ("name_tr", "name_en", "source"):
            value = (getattr(self, name) or "").strip()
            if _CONTROL & set(value):
                raise OverrideError("control_chars", name)
            if len(value) > LIMITS[name]:
                raise OverrideError("too_long", name)
            values[name] = value
        if not values["source"]:
            raise OverrideError("source_required", "source")
        if self.kind != "none":
            for name in ("name_tr", "name_en"):
                if not values[name]:
                    raise OverrideError("name_required", name)
        elif HolidayCalendar().holiday(self.day) is None:
            raise OverrideError("nothing_to_cancel", "kind")
        return values


def check_day(day: date, today: date) -> None:
    if day < today - EARLIEST or day.year > today.year + LATEST_YEARS:
        raise OverrideError("day_out_of_range", "day")


def _require_admin(user: User) -> None:
    if user.role != "admin":
        raise Forbidden()


def _values(record: HolidayOverrideRecord) -> dict:
    return {"day": record.day.isoformat(), "kind": record.kind, "name_tr": record.name_tr,
            "name_en": record.name_en, "source": record.source}


def save_override(session: Session, user: User, now: datetime, data: OverrideInput, *,
                  ip: str | None = None) -> tuple[HolidayOverrideRecord, str]:
    """Add the override for its day, or replace the one there; return it and what happened.

    What happened is "added", "replaced" or "unchanged" (the same values again: no event).
    """
    _require_admin(user)
    values = data.cleaned(to_istanbul(now).date())
    record = session.scalar(select(HolidayOverrideRecord).where(
        HolidayOverrideRecord.day == values["day"]))
    before = None if record is None else _values(record)
    if record is None:
        record = HolidayOverrideRecord(**values, created_by_id=user.id, created_at=now,
                                       updated_by_id=user.id, updated_at=now)
        try:
            # Another admin may save the same day at the same moment (PostgreSQL lets both
            # transactions see no row); the unique day refuses the second, which is told so.
            with session.begin_nested():
                session.add(record)
        except IntegrityError:
            raise OverrideError("saved_meanwhile", "day") from None
    elif before == {**values, "day": values["day"].isoformat()}:
        return record, "unchanged"
    else:
        for name, value in values.items():
            setattr(record, name, value)
        record.updated_by_id, record.updated_at = user.id, now
    session.flush()
    what = "added" if before is None else "replaced"
    event = {**_values(record), "open_cases_around": [
        a.tracking_no for a in open_cases_around(session, record.day)]}
    if before is not None:
        event["from"] = before
    audit.record(session, user_actor(user, ip), now, f"holiday.override_{what}", data=event)
    return record, what


def remove_override(session: Session, user: User, now: datetime, day: date, *,
                    ip: str | None = None) -> HolidayOverrideRecord:
    """Delete the override for this day; the audit event keeps what it said."""
    _require_admin(user)
    record = session.scalar(select(HolidayOverrideRecord).where(
        HolidayOverrideRecord.day == day))
    if record is None:
        raise OverrideError("no_override", "day")
    event = {**_values(record), "open_cases_around": [
        a.tracking_no for a in open_cases_around(session, day)]}
    session.delete(record)
    session.flush()
    audit.record(session, user_actor(user, ip), now, "holiday.override_removed", data=event)
    return record


def overrides_in_year(session: Session, year: int) -> list[HolidayOverrideRecord]:
    return list(session.scalars(select(HolidayOverrideRecord).where(
        HolidayOverrideRecord.day.between(date(year, 1, 1), date(year, 12, 31)))
        .order_by(HolidayOverrideRecord.day)))


def open_cases_around(session: Session, day: date) -> list[Application]:
    """Return the open cases an override of `day` would have touched had it existed at receipt.

    That is every case whose stored statutory due date is the day, or lies before it with the
    outer limit rolled onto or past it: adding, changing or cancelling a holiday there could
    have given it another outer limit or cut-off. Their stored dates stay as they are.
    """
    return list(session.scalars(
        select(Application)
        .where(text(OPEN_STATUS_SQL),  # the open-queue index
               Application.statutory_due.between(day - ROLLOVER_REACH, day),
               Application.outer_due >= day)
        .order_by(Application.statutory_due, Application.id)))


def stored_calendar(session: Session) -> HolidayCalendar:
    """Return the package calendar corrected by every stored override, read on the session.

    Core rows, not ORM objects: intake asks on every submission. The rows are read each time
    (another worker may have just saved one); the calendar built from them is reused while
    they stay the same.
    """
    return _calendar(tuple(tuple(row) for row in session.execute(_SELECT)))


def stored_calendar_sqlite(dbapi_connection) -> HolidayCalendar:
    """The same, read through the SQLite driver outside any transaction: a lone SELECT takes
    no lock, where a session's first read begins its transaction with BEGIN IMMEDIATE."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(_SQLITE_SELECT)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return _calendar(tuple((date.fromisoformat(day), *rest) for day, *rest in rows))


@lru_cache(maxsize=8)
def _calendar(rows: tuple[tuple, ...]) -> HolidayCalendar:
    # A holiday's name is what a deadline's reasons quote and store with the case. An
    # override's name carries its source there, so the case still shows the decision that
    # moved its date after the override is changed or removed.
    return HolidayCalendar(
        HolidayOverride(day, kind, f"{name_tr} (kaynak: {source})",
                        f"{name_en} (source: {source})", source)
        for day, kind, name_tr, name_en, source in rows)
