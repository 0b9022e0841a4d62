"""Build the holiday calendar and deadline policy from the app's settings.

The one source for every deadline: the public form, the office log, the sweep, the digest, the
demo seeder and the `kvkk-tracker deadline` command all ask here, so none can disagree.
"""

from __future__ import annotations

from flask import current_app

from .domain.calendar import HolidayCalendar
from .domain.deadlines import DeadlinePolicy
from .extensions import db
from .services.holidays import stored_calendar, stored_calendar_sqlite


def deadline_policy() -> DeadlinePolicy:
    return DeadlinePolicy(
        days=current_app.config["KVKK_DEADLINE_DAYS"],
        roll_outer_due=current_app.config["KVKK_ROLL_OUTER_DUE"],
    )


def holiday_calendar() -> HolidayCalendar:
    """Return the package's holidays corrected by the admin's overrides, as stored right now.

    Read on every call: an override saved by another worker a moment ago applies to the very
    next application received. The table holds a few rows: the read costs 40-65 microseconds
    a call (0 and 20 rows).

    Inside a transaction, or on PostgreSQL, it is read on the session (it sees the caller's
    own changes). On SQLite before one, as for a submission, it is read by a lone SELECT
    through the driver: read on the session, it began the submission's transaction, which on
    SQLite takes the write lock, and so held the lock through the deadline's computation too
    (bench/intake.py: 437 req/s against 504 before the overrides, 16:50 UTC on 1 December 2026).
    """
    session = db.session()
    if session.in_transaction() or db.engine.dialect.name != "sqlite":
        return stored_calendar(session)
    raw = db.engine.raw_connection()
    try:
        return stored_calendar_sqlite(raw)
    finally:
        raw.close()
