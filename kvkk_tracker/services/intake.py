"""Register an Art. 11 application: one transaction, dates fixed at receipt."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import Insert, insert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from ..domain.calendar import HolidayCalendar
from ..domain.deadlines import DeadlinePolicy, compute_deadline, to_istanbul
from ..domain.identifiers import hash_access_code, new_access_code, new_tracking_no
from ..domain.text import tr_fold
from ..models import Application, ApplicationRight, Attachment
from . import audit, outbox
from .actors import Actor
from .attachments import FileStash, IncomingFile

_DIALECT_INSERTS = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}


class _Inserts(NamedTuple):
    application: Insert
    rights: Insert


@cache
def _insert_statements(dialect_name: str) -> _Inserts:
    """Build the two INSERTs once per dialect: constructing them cost more than running them."""
    applications, rights = Application.__table__, ApplicationRight.__table__
    return _Inserts(
        application=(_DIALECT_INSERTS[dialect_name](applications)
                     .on_conflict_do_nothing(index_elements=["tracking_no"])
                     .returning(applications.c.id)),
        rights=insert(rights).returning(rights.c.id, sort_by_parameter_order=True),
    )


def _full_row(model, values: dict) -> dict:
    """Every column of `model`: the given values, else the column's scalar default, else None.

    The row is then exactly what the database holds, so the ORM object built from it never
    needs to reload anything.
    """
    row = {}
    for column in model.__table__.columns:
        if column.primary_key:
            continue
        default = column.default.arg if column.default is not None else None
        row[column.key] = values.get(column.key, None if callable(default) else default)
    return row


def _as_loaded(session: Session, model, row: dict, new_id: int):
    """Return `model(**row)` with its id as a persistent object, as if just loaded."""
    instance = model(id=new_id, **row)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance


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


def _insert_with_free_tracking_no(session: Session, row: dict, year: int) -> int:
    """Insert the application under a fresh random tracking number and return its id.

    The unique constraint decides: with 40 random bits a clash is rare but not impossible at a
    million applications a year. A clash inserts nothing (ON CONFLICT DO NOTHING on that one
    column, so any other constraint still fails loudly) and we draw again. A plain INSERT ...
    RETURNING rather than a unit-of-work flush keeps the write lock short (bench/intake.py).
    """
    statement = _insert_statements(session.get_bind().dialect.name).application
    for _ in range(5):
        row["tracking_no"] = new_tracking_no(year)
        new_id = session.connection().execute(statement, row).scalar_one_or_none()
        if new_id is not None:
            return new_id
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
    values = dict(
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
    )
    row = _full_row(Application, values)
    new_id = _insert_with_free_tracking_no(session, row, to_istanbul(received_at).year)
    application = _as_loaded(session, Application, row, new_id)
    statements = _insert_statements(session.get_bind().dialect.name)
    right_rows = [_full_row(ApplicationRight, {"application_id": new_id, "right_code": code})
                  for code in dict.fromkeys(data.rights)]
    right_ids = session.connection().execute(statements.rights, right_rows).scalars().all()
    rights = [_as_loaded(session, ApplicationRight, r, i) for r, i in zip(right_rows, right_ids,
                                                                         strict=True)]
    # Both collections are known to be exactly this: no lazy load will ask the database.
    set_committed_value(application, "rights", rights)
    set_committed_value(application, "attachments", [])
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
    audit.record(session, actor, now, "application.received", application_id=application.id,
                 data={"tracking_no": application.tracking_no, "channel": channel,
                       "rights": list(application.right_codes),
                       "statutory_due": application.statutory_due.isoformat(),
                       "outer_due": application.outer_due.isoformat(),
                       "attachments": len(data.files)})
    outbox.queue_acknowledgement(session, now, application)  # only if there is an e-mail
    return Submission(application, access_code)
