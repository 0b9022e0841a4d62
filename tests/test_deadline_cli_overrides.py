"""`kvkk-tracker deadline` prints the deadline the app records, whatever the holidays say.

There is no store of admin holiday overrides yet: calendar_source.holiday_calendar() is the
one place that will read them. An override is injected there, as such a store would, and the
command must follow it exactly as an application logged in the office does.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from kvkk_tracker import calendar_source
from kvkk_tracker.domain.calendar import HolidayCalendar, HolidayOverride
from kvkk_tracker.domain.deadlines import ISTANBUL
from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application
from tests.builders import form_data
from tests.office.conftest import login, make_user

RECEIVED = datetime(2026, 4, 1, 10, 0, tzinfo=ISTANBUL)
# 01.05.2026 (Friday, Labour Day) is the statutory due date; the package rolls the outer
# limit to Monday 04.05. An extra administrative holiday on that Monday moves it to 05.05.
EXTRA_HOLIDAY = HolidayOverride(date(2026, 5, 4), "full", "İdari tatil (test)",
                                "Administrative holiday (test)", "admin: test")


@pytest.fixture
def with_override(monkeypatch):
    monkeypatch.setattr(calendar_source, "HolidayCalendar",
                        lambda: HolidayCalendar([EXTRA_HOLIDAY]))


def log_by_kep(app) -> Application:
    client = login(app.test_client(), make_user(app, "officer"))
    data = form_data(channel="kep", received_date=RECEIVED.date().isoformat(),
                     received_time=RECEIVED.strftime("%H:%M"), receipt_evidence="KEP-1")
    data.pop("declaration")
    response = client.post("/office/applications/new",
                           data={k: v for k, v in data.items() if v is not None})
    assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        application = db.session.scalars(select(Application)).one()
        db.session.expunge(application)
    return application


def cli_deadline(app, *args: str) -> dict:
    result = app.test_cli_runner().invoke(args=["deadline", RECEIVED.isoformat(), "--json",
                                                *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_cli_prints_the_deadline_the_office_records(app, with_override):
    application = log_by_kep(app)
    assert application.outer_due == date(2026, 5, 5)  # the override moved the case
    printed = cli_deadline(app)
    assert (printed["statutory_due"], printed["outer_due"]) == (
        application.statutory_due.isoformat(), application.outer_due.isoformat())
    # The reasons name the override, so the operator sees why the date moved.
    assert "04.05.2026 İdari tatil (test) (resmî tatil) → 05.05.2026" in printed["reasons"]
    english = cli_deadline(app, "--lang", "en")
    assert "04.05.2026 Administrative holiday (test) (holiday) → 05.05.2026" in \
        english["reasons"]


def test_without_the_override_both_keep_the_packages_date(app):
    application = log_by_kep(app)
    printed = cli_deadline(app)
    assert application.outer_due == date(2026, 5, 4)
    assert printed["outer_due"] == "2026-05-04"
    assert not any("test" in reason for reason in printed["reasons"])
