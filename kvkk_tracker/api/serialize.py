"""The public status object: what an applicant may know about their own application."""

from __future__ import annotations

from ..models import Application


def status_object(application: Application) -> dict:
    return {
        "tracking_no": application.tracking_no,
        "status": application.status,
        "received_at": application.received_at.isoformat(),
        "statutory_due": application.statutory_due.isoformat(),
        "outer_due": application.outer_due.isoformat(),
        "cutoff": application.cutoff,
        "rights": application.right_codes,
    }
