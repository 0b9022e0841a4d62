"""The holiday-overrides revision goes down and up again; the cases around it keep their dates."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application, HolidayOverrideRecord
from tests.office.conftest import make_user, new_application

from .builders import holiday_override


def test_holiday_overrides_revision_down_and_up(app):
    holiday_override(app, make_user(app, "admin"))
    no, _code = new_application(app)
    with app.app_context():
        dates = db.session.execute(select(Application.statutory_due, Application.outer_due)
                                   .where(Application.tracking_no == no)).one()
        db.session.remove()

        downgrade(revision="d1a0e5000002")
        assert "holiday_overrides" not in set(inspect(db.engine).get_table_names())
        upgrade()
        assert "holiday_overrides" in set(inspect(db.engine).get_table_names())
        # The overrides went with the table (the audit trail keeps them); no stored date moved.
        assert db.session.scalars(select(HolidayOverrideRecord)).all() == []
        assert db.session.execute(select(Application.statutory_due, Application.outer_due)
                                  .where(Application.tracking_no == no)).one() == dates
        db.session.remove()
