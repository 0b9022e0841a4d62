"""Build the holiday calendar and deadline policy from the app's settings."""

from __future__ import annotations

from flask import current_app

from .domain.calendar import HolidayCalendar
from .domain.deadlines import DeadlinePolicy


def deadline_policy() -> DeadlinePolicy:
    return DeadlinePolicy(
        days=current_app.config["KVKK_DEADLINE_DAYS"],
        roll_outer_due=current_app.config["KVKK_ROLL_OUTER_DUE"],
    )


def holiday_calendar() -> HolidayCalendar:
    # Admin overrides arrive with the settings screens; until then the package alone decides.
    return HolidayCalendar()
