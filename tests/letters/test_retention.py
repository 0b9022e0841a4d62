"""Destruction takes the stored letters too: they print the applicant's identity."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from kvkk_tracker.clock import utcnow
from kvkk_tracker.extensions import db
from kvkk_tracker.jobs.retention import retention
from kvkk_tracker.models import Application, AuditEvent, Letter
from tests.office.conftest import new_application

from .builders import stored_receipt


def test_retention_destroys_letters_and_the_trail_keeps_their_hashes(app):
    no, _code = new_application(app)
    letter_id = stored_receipt(app, no)
    with app.app_context():
        application = db.session.scalar(select(Application).where(
            Application.tracking_no == no))
        sha = db.session.get(Letter, letter_id).sha256
        application.status = "closed"
        application.closed_at = utcnow() - timedelta(days=6 * 365)
        db.session.commit()
        report = retention(db.session, utcnow(), force=True)
        assert report.applications == 1
        assert db.session.scalar(select(Letter).where(Letter.id == letter_id)) is None
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "application.letter_finalised"))
        assert event.data["sha256"] == sha
