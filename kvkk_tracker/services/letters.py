"""Preview, finalise, version and hand out the formal letters of an application.

A finalised letter is frozen: its PDF bytes are stored with their SHA-256, the template version
and the render parameters, and every later download serves exactly those bytes (checked against
the hash). Nothing regenerates a final letter behind anyone's back: a correction is a new
version, made on purpose with a reason, and the old version stays with its bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

from ..domain import workflow
from ..models import Application, AuditEvent, Letter, User
from . import access, audit
from . import inventory as inventory_service
from .actors import Actor
from .cases import CaseError, Forbidden, user_actor
from .errors import NotFound

KINDS = ("receipt", "reply", "info_request", "identity_rejection")
# The letters that conclude an application: one of them is what goes out as the reply.
REPLY_KINDS = ("reply", "identity_rejection")
MAX_DETAILS = 5000
MAX_REASON = 1000
# What `details` means for each kind, in the engine's `extra` (receipts and replies take none).
DETAILS_KEY = {"info_request": "request", "identity_rejection": "justification"}


class LetterCorrupt(Exception):
    """The stored bytes no longer match their hash: never serve them."""


@dataclass(frozen=True)
class Draft:
    pdf: bytes
    html: str
    page_count: int


def _extra(kind: str, details: str | None) -> dict:
    details = (details or "").strip()
    if len(details) > MAX_DETAILS:
        raise CaseError("too_long", "details")
    key = DETAILS_KEY.get(kind)
    return {key: details} if key and details else {}


def _context(session: Session, application: Application, kind: str, *, now: datetime,
             officer: User | None, config: Mapping, extra: dict) -> tuple[dict, list[dict]]:
    from ..pdf import letter_context  # WeasyPrint is heavy: imported when a letter is made

    rows = inventory_service.letter_rows(session, application) if kind == "reply" else []
    context = letter_context(session, application, kind, now=now, officer=officer,
                             config=config, inventory=rows or None, extra=extra)
    return context, rows


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise NotFound()


def may_prepare(user: User, application: Application) -> bool:
    """Preview and finalise: the officer who holds the case, and supervisors."""
    return access.can_edit(user, application)


def preview(session: Session, user: User, now: datetime, application: Application, kind: str,
            *, config: Mapping, as_pdf: bool, details: str | None = None,
            ip: str | None = None) -> Draft | str:
    """Render a watermarked draft (TASLAK) as PDF or HTML; nothing is stored but the audit."""
    from ..pdf import render_html, render_letter

    _check_kind(kind)
    if not may_prepare(user, application):
        raise Forbidden()
    context, _rows = _context(session, application, kind, now=now, officer=user, config=config,
                              extra=_extra(kind, details))
    audit.record(session, user_actor(user, ip), now, "application.letter_previewed",
                 application_id=application.id,
                 data={"kind": kind, "format": "pdf" if as_pdf else "html"})
    if not as_pdf:
        return render_html(kind, context, draft=True)
    rendered = render_letter(kind, context, draft=True)
    return Draft(rendered.pdf, rendered.html, rendered.page_count)


def _finalise_allowed(application: Application, kind: str) -> None:
    status = application.status
    if kind in REPLY_KINDS and status != workflow.Status.DECIDED:
        raise CaseError("letter_needs_decided")
    if kind == "identity_rejection" and application.identity_status != "failed":
        raise CaseError("identity_not_failed")
    if kind == "info_request" and not workflow.is_open(status):
        raise CaseError("letter_case_closed")


def current(session: Session, application: Application, kind: str) -> Letter | None:
    return session.scalar(select(Letter).where(
        Letter.application_id == application.id, Letter.kind == kind,
        Letter.superseded_by_id.is_(None)).order_by(Letter.version.desc()).limit(1))


def versions(session: Session, application: Application) -> list[Letter]:
    """Every stored letter of the application, newest version first within each kind."""
    return list(session.scalars(select(Letter).where(Letter.application_id == application.id)
                                .order_by(Letter.kind, Letter.version.desc())))


def _store(session: Session, application: Application, kind: str, *, now: datetime,
           officer: User | None, config: Mapping, extra: dict,
           reason: str | None) -> tuple[Letter, Letter | None]:
    from ..pdf import render_letter

    context, rows = _context(session, application, kind, now=now, officer=officer,
                             config=config, extra=extra)
    rendered = render_letter(kind, context, draft=False)
    previous = current(session, application, kind)
    number = (session.scalar(select(func.max(Letter.version)).where(
        Letter.application_id == application.id, Letter.kind == kind)) or 0) + 1
    params = {**rendered.params, "issued_at": context.get("issued_at"),
              "officer_id": officer.id if officer else None, "extra": extra,
              "inventory": [[row["right"], row["entry_id"], row["entry_version"]]
                            for row in rows]}
    letter = Letter(application_id=application.id, kind=kind, version=number,
                    pdf=rendered.pdf, sha256=hashlib.sha256(rendered.pdf).hexdigest(),
                    size=len(rendered.pdf), page_count=rendered.page_count,
                    template_version=rendered.template_version, params=params,
                    correction_reason=reason, created_by_id=officer.id if officer else None,
                    created_at=now)
    session.add(letter)
    session.flush()
    if previous is not None:
        previous.superseded_by_id = letter.id
        session.flush()
    return letter, previous


def finalise(session: Session, user: User, now: datetime, application: Application, kind: str,
             *, config: Mapping, details: str | None = None, reason: str | None = None,
             ip: str | None = None) -> Letter:
    """Freeze the letter as it renders now; a second one is a correction and needs a reason."""
    _check_kind(kind)
    if not may_prepare(user, application):
        raise Forbidden()
    _finalise_allowed(application, kind)
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > MAX_REASON:
        raise CaseError("too_long", "reason")
    if current(session, application, kind) is not None and reason is None:
        raise CaseError("correction_reason_required", "reason")
    letter, previous = _store(session, application, kind, now=now, officer=user, config=config,
                              extra=_extra(kind, details), reason=reason)
    # Finalising changes the case: its version moves on, so that two people finalising at once
    # (or a finalise racing a decision) meet as a concurrent edit, not as two version 2s.
    application.updated_at = now
    application.updated_by_id = user.id
    audit.record(session, user_actor(user, ip), now, "application.letter_finalised",
                 application_id=application.id,
                 data={"kind": kind, "letter_id": letter.id, "version": letter.version,
                       "sha256": letter.sha256, "template_version": letter.template_version,
                       "pages": letter.page_count,
                       "supersedes": previous.id if previous else None, "reason": reason})
    return letter


def stored_pdf(session: Session, letter: Letter) -> bytes:
    """Return the frozen bytes, refusing them if they no longer match the stored hash."""
    data = session.scalar(select(Letter.pdf).where(Letter.id == letter.id))
    if data is None or hashlib.sha256(data).hexdigest() != letter.sha256:
        raise LetterCorrupt(f"letter {letter.id}: stored PDF does not match its SHA-256")
    return data


def record_download(session: Session, actor: Actor, now: datetime, letter: Letter) -> None:
    audit.record(session, actor, now, "application.letter_downloaded",
                 application_id=letter.application_id,
                 data={"letter_id": letter.id, "kind": letter.kind, "version": letter.version,
                       "sha256": letter.sha256})


def receipt(session: Session, actor: Actor, now: datetime, application: Application, *,
            config: Mapping) -> Letter:
    """Return the receipt, freezing it the first time anyone asks for it.

    The receipt states facts fixed at intake, so the first rendering is the receipt for good;
    two first requests at once both render, and the unique version keeps only one.
    """
    found = current(session, application, "receipt")
    if found is not None:
        return found
    try:
        with session.begin_nested():
            letter, _previous = _store(session, application, "receipt", now=now, officer=None,
                                       config=config, extra={}, reason=None)
            audit.record(session, actor, now, "application.letter_finalised",
                         application_id=application.id,
                         data={"kind": "receipt", "letter_id": letter.id, "version": 1,
                               "sha256": letter.sha256,
                               "template_version": letter.template_version,
                               "pages": letter.page_count, "supersedes": None, "reason": None})
    except IntegrityError:
        found = current(session, application, "receipt")
        if found is None:
            raise
        return found
    return letter


def hand_out_receipt(session: Session, actor: Actor, now: datetime, application: Application, *,
                     config: Mapping) -> tuple[bytes, Letter]:
    """Return the receipt's frozen bytes for the applicant, recording the download."""
    letter = receipt(session, actor, now, application, config=config)
    data = stored_pdf(session, letter)
    record_download(session, actor, now, letter)
    return data, letter


# What a reply letter states: a later event of these kinds makes the letter out of date.
LETTER_INPUTS = ("application.right_decided", "application.action_recorded",
                 "application.identity_checked", "application.inventory_selected")


def outdated(session: Session, application: Application, letter: Letter) -> bool:
    """Whether the case changed, in anything the letter states, after it was finalised."""
    return session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.application_id == application.id, AuditEvent.action.in_(LETTER_INPUTS),
        AuditEvent.occurred_at > letter.created_at)) > 0


def to_deliver(session: Session, application: Application) -> Letter | None:
    """Return the final letter that answers the application (reply or identity rejection)."""
    return session.scalar(select(Letter).where(
        Letter.application_id == application.id, Letter.kind.in_(REPLY_KINDS),
        Letter.superseded_by_id.is_(None)).order_by(Letter.id.desc()).limit(1))


def delivered_reply(session: Session, application: Application) -> Letter | None:
    """Return the reply letter the applicant may download, or None.

    Only once the application is replied (or closed after that), only to a verified applicant,
    and only the letter that was actually delivered.
    """
    if application.status not in (workflow.Status.REPLIED, workflow.Status.CLOSED) \
            or application.identity_status != "verified" or application.replied_at is None:
        return None
    return session.scalar(select(Letter).where(
        Letter.application_id == application.id, Letter.kind == "reply",
        Letter.delivered_at.is_not(None)).order_by(Letter.delivered_at.desc()).limit(1))


def stored_or_draft(session: Session, application: Application, kind: str, *, now: datetime,
                    config: Mapping) -> tuple[bytes, Letter | None]:
    """Return the current final letter's bytes, or a watermarked draft rendered now."""
    from ..pdf import render_letter

    _check_kind(kind)
    letter = current(session, application, kind)
    if letter is not None:
        return stored_pdf(session, letter), letter
    context, _rows = _context(session, application, kind, now=now, officer=None, config=config,
                              extra={})
    return render_letter(kind, context, draft=True).pdf, None


def with_bytes(session: Session, letter_id: int) -> Letter | None:
    return session.scalar(select(Letter).options(undefer(Letter.pdf))
                          .where(Letter.id == letter_id))
