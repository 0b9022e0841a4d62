"""A submission reads the holiday overrides without taking SQLite's write lock.

Read on the session, the overrides began the submission's transaction, and on SQLite every
such transaction begins IMMEDIATE: the write lock was held from that read through the
deadline's computation to the commit, and concurrent submissions queued behind it
(bench/intake.py lost an eighth of its throughput). Here another connection holds a write
transaction open while the calendar is read.
"""

from __future__ import annotations

import pytest

from kvkk_tracker.calendar_source import holiday_calendar
from kvkk_tracker.extensions import db
from tests import databases
from tests.web.test_reads_without_write_lock import Writer, _short_busy_timeout

from .builders import SOURCE
from .conftest import add_override, working_day_due

pytestmark = pytest.mark.skipif(databases.backend() != "sqlite",
                                reason="the write lock is SQLite's; PostgreSQL has row locks")


def test_the_overrides_are_read_while_another_connection_writes(app, admin):
    _k, due = working_day_due()
    add_override(app, admin, due)
    _short_busy_timeout(app)
    with app.app_context(), Writer(app):
        calendar = holiday_calendar()  # "database is locked" after 0.5 s if it took the lock
        assert not db.session().in_transaction()
    holiday = calendar.holiday(due)
    assert holiday is not None and SOURCE in holiday.name_tr
    assert not calendar.is_working_day(due)
