"""The applicant answers a request for more information from the status page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..domain.workflow import Status
from ..models import ApplicantMessage, Application, Attachment, Notification
from . import audit
from .actors import Actor
from .attachments import FileStash, IncomingFile
from .cases import CaseError

MAX_ANSWER = 5000


def answer(session: Session, actor: Actor, now: datetime, application: Application, body: str,
           files: list[IncomingFile], stash: FileStash) -> ApplicantMessage:
    """Store the answer on the case timeline and notify the assignee; the clock runs on."""
    if application.status != Status.AWAITING_APPLICANT:
        raise CaseError("not_awaiting_applicant")
    body = body.strip()
    if not body and not files:
        raise CaseError("empty_answer", "body")
    message = ApplicantMessage(application_id=application.id, body=body[:MAX_ANSWER],
                               created_at=now)
    session.add(message)
    for incoming in files:
        application.attachments.append(Attachment(
            kind="applicant_answer", stored_name=stash.put(incoming.data),
            original_name=incoming.filename[:255], media_type=incoming.media_type,
            size=len(incoming.data), sha256=incoming.sha256, uploaded_at=now))
    if application.assignee_id is not None:
        session.add(Notification(user_id=application.assignee_id, application_id=application.id,
                                 kind="applicant_answered", data={}, created_at=now))
    session.flush()
    audit.record(session, actor, now, "application.applicant_answered",
                 application_id=application.id,
                 data={"message_id": message.id, "attachments": len(files)})
    return message
