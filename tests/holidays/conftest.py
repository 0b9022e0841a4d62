"""Fixtures and builders for the holiday-override tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from kvkk_tracker.clock import utcnow
from kvkk_tracker.domain.calendar import HolidayCalendar
from kvkk_tracker.domain.deadlines import ISTANBUL, to_istanbul
from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application, AuditEvent, HolidayOverrideRecord
from tests.builders import form_data
from tests.holidays.builders import SOURCE, holiday_override
from tests.office.conftest import (
    Staff,
    cheap_password_hashing,  # noqa: F401  (autouse fixture)
    login,
    make_user,
)

PACKAGE = HolidayCalendar()


def today() -> date:
    return to_istanbul(utcnow()).date()


def working_day_due(days_back: range = range(1, 60)) -> tuple[int, date]:
    """Return (k, D): an application received k days ago is due on D, a Monday to Thursday
    working day followed by another, so one extra holiday on D moves the outer limit by one."""
    for k in days_back:
        due = today() - timedelta(days=k) + timedelta(days=30)
        if due.weekday() < 4 and PACKAGE.is_working_day(due) \
                and PACKAGE.is_working_day(due + timedelta(days=1)) \
                and not PACKAGE.is_half_day(due):
            return k, due
    raise AssertionError("no working day found")


@pytest.fixture
def admin(app) -> Staff:
    return make_user(app, "admin")


@pytest.fixture
def admin_client(app, admin):
    return login(app.test_client(), admin)


def override_form(day: date, /, **overrides) -> dict:
    data = {"day": day.isoformat(), "kind": "full", "name_tr": "Ek resmî tatil",
            "name_en": "Extra public holiday", "source": SOURCE}
    data.update(overrides)
    return data


def add_override(app, admin: Staff, day: date, kind: str = "full", **overrides) -> date:
    """Save an override through the service, as the admin page does, and commit."""
    return holiday_override(app, admin, day, kind, **overrides)


def stored_overrides(app) -> list[HolidayOverrideRecord]:
    with app.app_context():
        rows = db.session.scalars(select(HolidayOverrideRecord)
                                  .order_by(HolidayOverrideRecord.day)).all()
        db.session.expunge_all()
        return rows


def holiday_events(app) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("holiday.%"))
                                  .order_by(AuditEvent.id)).all()
        db.session.expunge_all()
        return rows


def log_application(app, officer: Staff, received: date) -> Application:
    """Log a KEP application received on `received` at 10:00 through the office form."""
    client = login(app.test_client(), officer)
    moment = datetime.combine(received, time(10, 0), tzinfo=ISTANBUL)
    data = form_data(channel="kep", received_date=moment.date().isoformat(),
                     received_time=moment.strftime("%H:%M"), receipt_evidence="KEP-2026-1")
    data.pop("declaration")
    response = client.post("/office/applications/new", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    tracking_no = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    with app.app_context():
        application = db.session.scalar(select(Application).where(
            Application.tracking_no == tracking_no))
        db.session.expunge(application)
    return application
