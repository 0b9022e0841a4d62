"""Builders other suites use to put a holiday override in their world."""

from __future__ import annotations

from datetime import date, timedelta

from kvkk_tracker.clock import utcnow
from kvkk_tracker.domain.calendar import HolidayCalendar
from kvkk_tracker.domain.deadlines import to_istanbul
from kvkk_tracker.extensions import db
from kvkk_tracker.models import User
from kvkk_tracker.services import holidays as holiday_service

SOURCE = "Cumhurbaşkanlığı Kararı, Resmî Gazete 12.03.2026 / 33193"


def holiday_override(app, admin, day: date | None = None, kind: str = "full",
                     **overrides) -> date:
    """Save an override (committed) and return its day.

    By default the first working day of this year: the holidays page shows the current year
    (so its remove button shows), and no case received from now on is due that early.
    """
    if day is None:
        day = date(to_istanbul(utcnow()).year, 1, 1)
        while not HolidayCalendar().is_working_day(day):
            day += timedelta(days=1)
    values = {"name_tr": "Ek resmî tatil", "name_en": "Extra public holiday", "source": SOURCE}
    values.update(overrides)
    with app.app_context():
        holiday_service.save_override(
            db.session, db.session.get(User, admin.id), utcnow(),
            holiday_service.OverrideInput(day=day, kind=kind, **values))
        db.session.commit()
    return day
