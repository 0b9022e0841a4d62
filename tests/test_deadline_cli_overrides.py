"""`kvkk-tracker deadline` prints the deadline the app records, the admin's overrides included.

The overrides are stored in the database (services/holidays.py) and read by
calendar_source.holiday_calendar(), as the office log, the public form and the sweep read
them. The command must follow them exactly as an application logged in the office does; and
with a database that cannot be read it says so on stderr and uses the package calendar.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

import pytest
from sqlalchemy import select

from kvkk_tracker import create_app
from kvkk_tracker.domain.calendar import HOLIDAYS_SOURCE
from kvkk_tracker.domain.deadlines import ISTANBUL
from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application, User
from kvkk_tracker.services import holidays as holiday_service
from tests.builders import form_data
from tests.office.conftest import login, make_user

RECEIVED = datetime(2026, 4, 1, 10, 0, tzinfo=ISTANBUL)
# 01.05.2026 (Friday, Labour Day) is the statutory due date; the package rolls the outer
# limit to Monday 04.05. An extra holiday on that Monday moves it to 05.05.
EXTRA_DAY = date(2026, 5, 4)
SOURCE = "Cumhurbaşkanlığı Kararı, Resmî Gazete 12.03.2026 / 33193"


@pytest.fixture
def with_override(app):
    # The override form accepts days from a year back; 04.05.2026 may lie further back than
    # that when this runs, so the service is told it is 1 April 2026.
    admin = make_user(app, "admin")
    with app.app_context():
        holiday_service.save_override(
            db.session, db.session.get(User, admin.id), RECEIVED,
            holiday_service.OverrideInput(EXTRA_DAY, "full", "İdari tatil (test)",
                                          "Administrative holiday (test)", SOURCE))
        db.session.commit()


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
    assert result.stderr == ""  # the overrides were read
    return json.loads(result.stdout)


def test_the_cli_prints_the_deadline_the_office_records(app, with_override):
    application = log_by_kep(app)
    assert application.outer_due == date(2026, 5, 5)  # the override moved the case
    printed = cli_deadline(app)
    assert (printed["statutory_due"], printed["outer_due"]) == (
        application.statutory_due.isoformat(), application.outer_due.isoformat())
    # The reasons name the override and its source, so the operator sees why the date moved.
    assert (f"04.05.2026 İdari tatil (test) (kaynak: {SOURCE}) (resmî tatil) → 05.05.2026"
            in printed["reasons"])
    assert printed["reasons"] == application.deadline_reasons("tr")
    english = cli_deadline(app, "--lang", "en")
    assert (f"04.05.2026 Administrative holiday (test) (source: {SOURCE}) (holiday) → "
            "05.05.2026" in english["reasons"])


def test_without_the_override_both_keep_the_packages_date(app):
    application = log_by_kep(app)
    printed = cli_deadline(app)
    assert application.outer_due == date(2026, 5, 4)
    assert printed["outer_due"] == "2026-05-04"
    assert not any("test" in reason for reason in printed["reasons"])


def test_an_unmigrated_database_is_a_warning_not_a_failure(tmp_path):
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()  # exists, with no tables
    app = create_app({"KVKK_ENV": "testing", "INSTANCE_PATH": str(tmp_path / "instance"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    result = app.test_cli_runner().invoke(args=["deadline", "2026-04-01", "--json",
                                                "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["outer_due"] == "2026-05-04"
    assert result.stderr == (
        "Warning: holiday overrides could not be read (no such table: holiday_overrides); "
        f"the {HOLIDAYS_SOURCE} package calendar alone was used.\n")
    with app.app_context():
        db.engine.dispose()
