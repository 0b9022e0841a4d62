"""Build the holiday calendar and deadline policy from the app's settings.

The one source for every deadline: the public form, the office log, the sweep, the digest, the
demo seeder and the `kvkk-tracker deadline` command all ask here, so none can disagree.
"""

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
    # There is no store of admin overrides yet (no model, no screen): the package alone
    # decides. When one arrives, read it here and every caller above follows.
    return HolidayCalendar()
