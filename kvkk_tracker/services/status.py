"""Let an applicant look up their own application with its tracking number and access code."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.identifiers import access_code_matches, normalize_tracking_no
from ..models import Application, AuditEvent
from .errors import NotFound

# Compared against when the number is unknown, so both failures cost the same time.
_DUMMY_HASH = "0" * 64


def find_for_applicant(session: Session, tracking_no: str, access_code: str) -> Application:
    """Return the application, or raise NotFound for an unknown number or a wrong code alike."""
    canonical = normalize_tracking_no(tracking_no)
    application = None
    if canonical is not None:
        application = session.scalar(
            select(Application).where(Application.tracking_no == canonical))
    stored = application.access_code_hash if application is not None else _DUMMY_HASH
    if not access_code_matches(access_code or "", stored) or application is None:
        raise NotFound()
    return application


def public_timeline(session: Session, application: Application) -> list[AuditEvent]:
    return list(session.scalars(
        select(AuditEvent)
        .where(AuditEvent.application_id == application.id, AuditEvent.public.is_(True))
        .order_by(AuditEvent.id)))
