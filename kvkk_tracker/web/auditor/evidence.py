"""The per-case evidence pack: one ZIP an auditor can take away and check on their own.

Contents: the finalised letters (corrected versions under superseded/), the acknowledgement,
the timeline (CSV and PDF), the decision record (JSON) and manifest.json with the SHA-256 of
every other file. The archive is built in
a spooled temporary file (in memory while small, on disk beyond that) and the download is
audited with the manifest's own hash, so a pack handed over can be matched to the trail.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import datetime
from tempfile import SpooledTemporaryFile

from flask import abort, current_app, render_template, send_file
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import undefer

from ...clock import utcnow
from ...domain.decisions import REASONS_BY_CODE
from ...domain.identity import mask_tckn
from ...exports.values import neutralise
from ...extensions import db
from ...models import Application, OutboxMessage, User
from ...models.letter import Letter
from ...pdf import letter_context, render_letter
from ...services import audit
from ...services.cases import user_actor
from ..helpers import client_ip
from ..office.case import find_case
from ..office.timeline import build_timeline
from .blueprint import bp
from .pdf import render_pdf

SPOOL_BYTES = 8 * 1024 * 1024


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _user(users: dict[int, User], ident: int | None) -> dict | None:
    if ident is None:
        return None
    user = users.get(ident)
    return {"id": ident, "name": user.name if user else None,
            "role": user.role if user else None}


def decision_record(application: Application) -> dict:
    """Return who decided what on each right, why, under which provision, and who approved."""
    ids = {r.decided_by_id for r in application.rights} | {
        application.approved_by_id, application.identity_checked_by_id}
    ids |= {a.created_by_id for r in application.rights for a in r.actions}
    ids.discard(None)
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    rights = []
    for right in application.rights:
        reason = REASONS_BY_CODE.get(right.reason_code or "")
        rights.append({
            "right": right.right_code, "outcome": right.outcome,
            "reason_code": right.reason_code,
            "legal_basis": reason.citation if reason else None,
            "reason": reason.tr if reason else None,
            "justification": right.justification,
            "decided_by": _user(users, right.decided_by_id),
            "decided_at": _iso(right.decided_at),
            "actions": [{"action": a.action, "recipient": a.recipient,
                         "done_on": a.done_on.isoformat(), "proof": a.proof,
                         "recorded_by": _user(users, a.created_by_id),
                         "recorded_at": _iso(a.created_at)} for a in right.actions],
        })
    return {
        "tracking_no": application.tracking_no, "status": application.status,
        "received_at": _iso(application.received_at),
        "statutory_due": application.statutory_due.isoformat(),
        "outer_due": application.outer_due.isoformat(),
        "identity": {"status": application.identity_status,
                     "method": application.identity_method,
                     "checked_by": _user(users, application.identity_checked_by_id),
                     "checked_at": _iso(application.identity_checked_at),
                     "number": mask_tckn(application.tckn) if application.tckn else "*****"},
        "rights": rights,
        "four_eyes_approval": {"approved_by": _user(users, application.approved_by_id),
                               "approved_at": _iso(application.approved_at)},
        "replied_at": _iso(application.replied_at), "closed_at": _iso(application.closed_at),
    }


def timeline_csv(entries) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["occurred_at_utc", "action", "event", "by", "details", "text"])
    for entry in entries:
        writer.writerow([neutralise(v) for v in (
            _iso(entry.at), entry.action, entry.label, entry.actor, " | ".join(entry.details),
            entry.body)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads Turkish right


def _letters(application: Application) -> list[Letter]:
    """Every stored version: the corrected ones show what was changed and when."""
    return list(db.session.scalars(
        select(Letter).options(undefer(Letter.pdf))
        .where(Letter.application_id == application.id)
        .order_by(Letter.kind, Letter.version)))


def _acknowledgement_emails(application: Application) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.application_id == application.id,
        OutboxMessage.kind == "acknowledgement").order_by(OutboxMessage.id)))


def pack_files(application: Application) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Return the pack's files (name, bytes) and notes on what is missing."""
    files: list[tuple[str, bytes]] = []
    notes: list[str] = []
    letters = _letters(application)
    for letter in letters:
        if hashlib.sha256(letter.pdf).hexdigest() != letter.sha256:
            notes.append(f"letter {letter.kind} v{letter.version}: stored SHA-256 does not "
                         "match its bytes")
        folder = "acknowledgement" if letter.kind == "receipt" else "letters"
        if not letter.current:
            folder += "/superseded"
        files.append((f"{folder}/{letter.kind}-v{letter.version}.pdf", letter.pdf))
    if not letters:
        notes.append("no finalised letters are stored for this application yet "
                     "(letters pending)")
    if not any(letter.kind == "receipt" for letter in letters):
        # No frozen receipt: render it from the case as stored, dated on the day of receipt.
        context = letter_context(db.session, application, "receipt",
                                 now=application.received_at, config=current_app.config)
        files.append(("acknowledgement/receipt-rendered.pdf",
                      render_letter("receipt", context).pdf))
        notes.append("acknowledgement/receipt-rendered.pdf was rendered for this pack from the "
                     "stored case; no finalised receipt letter was stored")
    for message in _acknowledgement_emails(application):
        sent = _iso(message.sent_at) or f"not sent ({message.state})"
        files.append((f"acknowledgement/email-{message.id}.txt",
                      f"Subject: {message.subject}\nTo: {message.recipient}\nQueued: "
                      f"{_iso(message.created_at)}\nSent: {sent}\n\n{message.body}"
                      .encode()))
    entries = build_timeline(db.session, application)
    files.append(("timeline.csv", timeline_csv(entries)))
    files.append(("timeline.pdf", render_pdf(render_template(
        "auditor/timeline_pdf.html", application=application, entries=entries))))
    files.append(("decisions.json", json.dumps(
        decision_record(application), ensure_ascii=False, indent=2).encode()))
    return files, notes


def manifest(application: Application, files, notes, now: datetime, by: str) -> bytes:
    return json.dumps({
        "tracking_no": application.tracking_no, "generated_at": now.isoformat(),
        "generated_by": by, "algorithm": "sha256",
        "files": [{"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                  for name, data in files],
        "notes": notes,
    }, ensure_ascii=False, indent=2).encode()


@bp.get("/cases/<tracking_no>/evidence.zip")
def evidence_pack(tracking_no: str):
    """Download the case's evidence pack; the download is recorded in the audit trail.

    The pack is built in the request's read-only transaction (rendering its PDFs takes a
    while, and on SQLite a writing transaction would hold every writer back meanwhile); that
    transaction then ends and the audit event is written in a short one of its own, before a
    byte is sent.
    """
    application = find_case(tracking_no)
    if application is None:
        abort(404)
    now = utcnow()
    files, notes = pack_files(application)
    manifest_bytes = manifest(application, files, notes, now, current_user.name)
    application_id, tracking_no = application.id, application.tracking_no
    spool = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - send_file closes it
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*files, ("manifest.json", manifest_bytes)]:
            archive.writestr(f"{tracking_no}/{name}", data)
    db.session.rollback()  # nothing was written: this only ends the read-only transaction
    audit.record(db.session, user_actor(current_user, client_ip()), now,
                 "application.evidence_pack_downloaded", application_id=application_id,
                 data={"manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
                       "files": len(files)})
    db.session.commit()
    spool.seek(0)
    return send_file(spool, mimetype="application/zip", as_attachment=True,
                     download_name=f"{tracking_no}-evidence.zip")
