"""Builders for the letters tests: inventory entries, decided cases, finalised letters."""

from __future__ import annotations

from sqlalchemy import select

from kvkk_tracker.clock import utcnow
from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application, Letter, User
from kvkk_tracker.services import cases as case_service
from kvkk_tracker.services import inventory as inventory_service
from kvkk_tracker.services import letters
from kvkk_tracker.services.actors import Actor

SYSTEM = Actor("system", "test")


def _application(tracking_no: str) -> Application:
    return db.session.scalar(select(Application).where(Application.tracking_no == tracking_no))


def inventory_entry(app, admin, **overrides) -> int:
    """Add an inventory entry as `admin` (committed); return its id."""
    values = {"category": "Kimlik", "purpose": "Sözleşmenin kurulması ve müşteri kaydı",
              "legal_basis": "5_2_c", "retention": "Sözleşme süresi ve sonrasında 10 yıl",
              "recipients_domestic": "Gelir İdaresi Başkanlığı",
              "recipients_abroad": None}
    values.update(overrides)
    with app.app_context():
        entry = inventory_service.create_entry(db.session, db.session.get(User, admin.id),
                                               utcnow(), inventory_service.EntryInput(**values))
        db.session.commit()
        return entry.id


def stored_receipt(app, tracking_no: str) -> int:
    """Freeze the application's receipt; return the letter id."""
    with app.app_context():
        letter = letters.receipt(db.session, SYSTEM, utcnow(), _application(tracking_no),
                                 config=app.config)
        db.session.commit()
        return letter.id


def decide(app, staff, tracking_no: str, *, outcome: str = "accepted",
           identity: str = "verified") -> None:
    """Take an application as `staff` through identity, decisions and on to decided."""
    with app.app_context():
        user = db.session.get(User, staff.id)
        application = _application(tracking_no)
        now = utcnow()
        if application.assignee_id is None and user.role == "officer":
            case_service.take(db.session, user, now, application)
        case_service.change_status(db.session, user, now, application, "in_review")
        case_service.verify_identity(db.session, user, now, application,
                                     method="records_code", result=identity)
        for right in application.rights:
            reason = None if outcome == "accepted" else "art28_2_a"
            case_service.decide_right(db.session, user, now, application,
                                      right_code=right.right_code, outcome=outcome,
                                      reason_code=reason,
                                      justification=None if reason is None else "Soruşturma.")
        case_service.change_status(db.session, user, now, application, "decided")
        db.session.commit()


def finalise(app, staff, tracking_no: str, kind: str = "reply", **kwargs) -> int:
    with app.app_context():
        letter = letters.finalise(db.session, db.session.get(User, staff.id), utcnow(),
                                  _application(tracking_no), kind, config=app.config, **kwargs)
        db.session.commit()
        return letter.id


def stored(app, letter_id: int) -> Letter:
    """Return a detached snapshot of a letter, bytes included."""
    with app.app_context():
        letter = letters.with_bytes(db.session, letter_id)
        db.session.expunge_all()
        return letter
