"""Officers log applications that arrived by post, KEP, e-signature and the other channels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..domain.calendar import HolidayCalendar
from ..domain.deadlines import DeadlinePolicy, days_left
from ..domain.rights import CHANNELS_BY_CODE
from ..models import User
from .actors import Actor
from .attachments import FileStash
from .cases import CaseError
from .intake import ApplicationInput, Submission, submit_application


@dataclass(frozen=True)
class LoggedApplication:
    submission: Submission
    overdue_days: int  # > 0 when the receipt was more than 30 days ago: created overdue


def log_application(session: Session, user: User, now: datetime, data: ApplicationInput, *,
                    channel: str, received_at: datetime, receipt_evidence: str,
                    calendar: HolidayCalendar, policy: DeadlinePolicy, stash: FileStash,
                    ip: str | None = None) -> LoggedApplication:
    """Register an application with the receipt time the officer recorded.

    The clock runs from that receipt, so an old receipt yields a case that is already overdue:
    it is created with a warning, never refused.
    """
    if channel not in CHANNELS_BY_CODE or channel == "web":
        raise CaseError("unknown_channel", "channel")
    if received_at > now:
        raise CaseError("received_in_future", "received_at")
    if not receipt_evidence.strip():
        raise CaseError("evidence_required", "receipt_evidence")
    submission = submit_application(
        session, Actor("user", str(user.id), ip), now, data, channel=channel,
        calendar=calendar, policy=policy, stash=stash, received_at=received_at)
    application = submission.application
    application.receipt_evidence = receipt_evidence.strip()
    application.logged_by_id = user.id
    overdue = -days_left(application.statutory_due, now)
    return LoggedApplication(submission, max(overdue, 0))
