"""The schema comes only from migrations, and they match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application


def test_alembic_head_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_every_revision_downgrades_and_upgrades_again(app, create_application):
    tracking_no, _code = create_application()
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert {"applications", "audit_events", "alembic_version"} <= tables
        db.session.remove()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(inspect(db.engine).get_table_names()) == tables
        assert db.session.scalar(select(Application).where(
            Application.tracking_no == tracking_no)) is None


def test_stepping_down_and_up_one_revision_keeps_applications(app, create_application):
    tracking_no, _code = create_application()
    with app.app_context():
        db.session.remove()
        downgrade(revision="-1")
        upgrade()
        stored = db.session.scalar(select(Application).where(
            Application.tracking_no == tracking_no))
        assert stored is not None
        assert stored.identity_status == "pending"
