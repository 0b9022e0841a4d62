"""Register an Art. 11 application: one transaction, dates fixed at receipt."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.calendar import HolidayCalendar
from ..domain.deadlines import DeadlinePolicy, compute_deadline, to_istanbul
from ..domain.identifiers import hash_access_code, new_access_code, new_tracking_no
from ..domain.text import tr_fold
from ..models import Application, ApplicationRight, Attachment
from . import audit, outbox
from .actors import Actor
from .attachments import FileStash, IncomingFile


@dataclass(frozen=True)
class ApplicationInput:
    """Validated applicant data, whichever channel it came through."""

    first_name: str
    last_name: str
    nationality: str
    tckn: str | None
    passport_no: str | None
    address: str
    email: str | None
    phone: str | None
    relationship: str
    rights: tuple[str, ...]
    subject: str
    reply_channel: str
    representative_name: str | None = None
    language: str = "tr"
    files: tuple[IncomingFile, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Submission:
    application: Application
    access_code: str  # shown once, never stored


def _insert_with_free_tracking_no(session: Session, application: Application, year: int) -> None:
    """Insert the application under a fresh random tracking number.

    The unique constraint decides: with 40 random bits a clash is rare but not impossible at a
    million applications a year, so a clash retries inside a savepoint instead of failing.
    """
    for _ in range(5):
        application.tracking_no = new_tracking_no(year)
        try:
            with session.begin_nested():
                session.add(application)
                session.flush()
            return
        except IntegrityError as error:
            if "tracking_no" not in str(error.orig):
                raise
    raise RuntimeError("no free tracking number after 5 tries")


def submit_application(
    session: Session,
    actor: Actor,
    now: datetime,
    data: ApplicationInput,
    *,
    channel: str,
    calendar: HolidayCalendar,
    policy: DeadlinePolicy,
    stash: FileStash,
    received_at: datetime | None = None,
) -> Submission:
    """Store a new application with its deadline, files and audit event; the caller commits."""
    received_at = received_at or now
    deadline = compute_deadline(received_at, calendar, policy)
    access_code = new_access_code()
    application = Application(
        access_code_hash=hash_access_code(access_code),
        status="received",
        channel=channel,
        language=data.language,
        received_at=deadline.received_at,
        statutory_due=deadline.statutory_due,
        outer_due=deadline.outer_due,
        cutoff=deadline.cutoff.strftime("%H:%M"),
        deadline_basis={"policy": policy.to_dict(),
                        "reasons": [r.to_dict() for r in deadline.reasons]},
        first_name=data.first_name,
        last_name=data.last_name,
        # Folding can lengthen a name (NFC splits some letters in two); the column is a search key.
        name_folded=tr_fold(f"{data.first_name} {data.last_name}")[:201],
        nationality=data.nationality,
        tckn=data.tckn,
        passport_no=data.passport_no,
        address=data.address,
        email=data.email,
        phone=data.phone,
        relationship_to_controller=data.relationship,
        subject=data.subject,
        reply_channel=data.reply_channel,
        representative_name=data.representative_name,
        created_at=now,
        next_reminder_at=deadline.received_at,  # the deadline sweep works out the ladder
        rights=[ApplicationRight(right_code=code) for code in dict.fromkeys(data.rights)],
    )
    for incoming in data.files:
        application.attachments.append(Attachment(
            kind=incoming.kind,
            stored_name=stash.put(incoming.data),
            original_name=incoming.filename[:255],
            media_type=incoming.media_type,
            size=len(incoming.data),
            sha256=incoming.sha256,
            uploaded_at=now,
        ))
    _insert_with_free_tracking_no(session, application, to_istanbul(received_at).year)
    audit.record(session, actor, now, "application.received", application_id=application.id,
                 data={"tracking_no": application.tracking_no, "channel": channel,
                       "rights": list(application.right_codes),
                       "statutory_due": application.statutory_due.isoformat(),
                       "outer_due": application.outer_due.isoformat(),
                       "attachments": len(data.files)})
    outbox.queue_acknowledgement(session, now, application)  # only if there is an e-mail
    return Submission(application, access_code)
