"""Retention and destruction (KVKK.md §6): anonymise closed cases after the retention period.

What is destroyed: the applicant's identity and contact fields, free text that may hold
personal data (subject, notes, answers, justifications, proofs), the attachments and their
files, the stored letters, the case's notifications and e-mails. What stays, as anonymised
statistics: the requested rights with their outcomes and reason codes, the channel, the dates
(and so the duration) and the status.

The audit trail is never touched: its events are hash-chained over their own content only,
so the application row can be anonymised without breaking a single hash. Events hold ids,
tracking numbers, codes and dates, not the applicant's name, identity number, address or
e-mail. They do hold the submitting IP address and two short texts an officer types (a
reply's proof, an action's recipient); those cannot be erased without rewriting the chain and
are left to the audit trail's own retention (see the deadline-engine notes in the report).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from ..domain.text import format_date
from ..models import (
    ApplicantMessage,
    Application,
    Attachment,
    CaseNote,
    DestructionRecord,
    DestructionRun,
    Letter,
    Notification,
    OutboxMessage,
)
from .actors import Actor

METHOD = "anonymisation"
ERASED = "[imha edildi]"
MAX_INTERVAL_DAYS = 180  # the shortest six months: never exceed Art. 11(2)'s period
CLOSED = ("closed", "withdrawn")


class RetentionSettingsError(ValueError):
    """A retention setting the Erasure Regulation does not allow."""


@dataclass(frozen=True)
class RetentionSettings:
    years: int = 3
    interval_days: int = 1
    batch_size: int = 200

    def __post_init__(self):
        if not 1 <= self.interval_days <= MAX_INTERVAL_DAYS:
            raise RetentionSettingsError(
                f"KVKK_DESTRUCTION_INTERVAL_DAYS must be between 1 and {MAX_INTERVAL_DAYS} "
                f"(destruction runs at least every six months), not {self.interval_days}")
        if self.years < 1:
            raise RetentionSettingsError(
                "KVKK_RETENTION_YEARS must be at least 1: closed files must outlive the "
                f"Art. 14 complaint window and Board proceedings, not {self.years}")
        if self.batch_size < 1:
            raise RetentionSettingsError("KVKK_RETENTION_BATCH_SIZE must be positive")

    @classmethod
    def from_config(cls, config) -> RetentionSettings:
        return cls(int(config["KVKK_RETENTION_YEARS"]),
                   int(config["KVKK_DESTRUCTION_INTERVAL_DAYS"]),
                   int(config["KVKK_RETENTION_BATCH_SIZE"]))


def closed_before(now: datetime, years: int) -> datetime:
    """Return `now` minus whole years; 29 February falls back to the 28th."""
    now = now.astimezone(UTC)
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


@dataclass(frozen=True)
class Candidate:
    id: int
    tracking_no: str
    status: str
    closed_at: datetime
    attachments: int


def find_candidates(session: Session, now: datetime, settings: RetentionSettings,
                    limit: int | None = None) -> list[Candidate]:
    """Return closed cases past their retention period that are not anonymised yet."""
    cutoff = closed_before(now, settings.years)
    files = (select(func.count()).where(Attachment.application_id == Application.id)
             .correlate(Application).scalar_subquery())
    query = (select(Application.id, Application.tracking_no, Application.status,
                    Application.closed_at, files.label("files"))
             .where(Application.status.in_(CLOSED), Application.closed_at <= cutoff,
                    ~exists().where(DestructionRecord.application_id == Application.id))
             .order_by(Application.closed_at, Application.id))
    if limit is not None:
        query = query.limit(limit)
    return [Candidate(r.id, r.tracking_no, r.status, r.closed_at, r.files)
            for r in session.execute(query)]


def start_run(session: Session, actor: Actor, now: datetime,
              settings: RetentionSettings) -> DestructionRun:
    run = DestructionRun(started_at=now, state="running", performed_by=actor.label,
                         method=METHOD, retention_years=settings.years,
                         closed_before=closed_before(now, settings.years))
    session.add(run)
    session.flush()
    return run


def _anonymise_fields(application: Application) -> list[str]:
    application.first_name = "Anonim"
    application.last_name = ""
    application.name_folded = ""
    # The identity constraint wants a number for the nationality: 'XX' (unknown) with a
    # placeholder keeps it satisfied without keeping either.
    application.nationality = "XX"
    application.tckn = None
    application.passport_no = "ANONIM"
    application.address = ""
    application.email = None
    application.phone = None
    application.subject = ERASED
    application.representative_name = None
    application.receipt_evidence = None
    application.identity_note = None
    application.access_code_hash = ""  # the status page can no longer open it
    return ["first_name", "last_name", "nationality", "tckn", "passport_no", "address",
            "email", "phone", "subject", "representative_name", "receipt_evidence",
            "identity_note", "access_code"]


def anonymise(session: Session, run: DestructionRun, actor: Actor, now: datetime,
              application: Application, upload_dir: Path) -> DestructionRecord:
    """Destroy one closed case's personal data; the caller commits.

    Files are unlinked before the commit: if the transaction then fails, the next run
    anonymises the row again and finds the files already gone, which is the intended end.
    """
    files = [a.stored_name for a in application.attachments]
    application.attachments.clear()  # delete-orphan removes the rows
    for name in files:
        (upload_dir / name).unlink(missing_ok=True)
    removed = {}
    for model, label in ((CaseNote, "notes"), (ApplicantMessage, "applicant_messages"),
                         (Notification, "notifications"), (OutboxMessage, "emails"),
                         # The letters print the applicant's name, number and address; the
                         # audit trail keeps each one's SHA-256, proof of what was sent.
                         (Letter, "letters")):
        removed[label] = session.execute(
            delete(model).where(model.application_id == application.id)
            .execution_options(synchronize_session=False)).rowcount
    justifications = 0
    for right in application.rights:
        if right.justification is not None:
            right.justification = ERASED  # a rejection keeps its reason code
            justifications += 1
        for action in right.actions:
            action.proof = None
            if action.recipient is not None:
                action.recipient = ERASED
    fields = _anonymise_fields(application)
    application.updated_at = now
    application.next_reminder_at = None
    record = DestructionRecord(
        run_id=run.id, application_id=application.id, tracking_no=application.tracking_no,
        method=METHOD, performed_at=now, performed_by=actor.label,
        basis=f"closed {format_date(application.closed_at)}, kept {run.retention_years} years",
        what={"fields": fields, "attachments": len(files), "files_deleted": len(files),
              "justifications": justifications, **removed,
              "kept": ["rights", "outcomes", "reason_codes", "channel", "dates", "status"]})
    session.add(record)
    run.applications += 1
    run.files += len(files)
    return record


def finish_run(run: DestructionRun, now: datetime) -> None:
    run.state = "finished"
    run.finished_at = now


def last_finished_run(session: Session) -> DestructionRun | None:
    return session.scalar(select(DestructionRun).where(DestructionRun.state == "finished")
                          .order_by(DestructionRun.started_at.desc()).limit(1))


def destruction_log(session: Session, *, since: datetime | None = None,
                    limit: int = 500) -> list[DestructionRecord]:
    """Return the destruction log, newest first: what auditors see (Art. 7(3))."""
    query = select(DestructionRecord).order_by(DestructionRecord.performed_at.desc(),
                                               DestructionRecord.id.desc()).limit(limit)
    if since is not None:
        query = query.where(DestructionRecord.performed_at >= since)
    return list(session.scalars(query))
