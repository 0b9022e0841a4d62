"""Letters on the case page: preview (TASLAK), finalise, versions, downloads; and the
processing-inventory entries the officer picks for rights (b), (c) and (ç).

Access follows the case page: the officer who holds the case and supervisors prepare and
finalise; auditors read and download finalised letters; admins never see case content.
"""

from __future__ import annotations

import logging

from flask import abort, current_app, make_response, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...clock import utcnow
from ...domain import workflow
from ...domain.inventory import INVENTORY_RIGHTS
from ...extensions import db
from ...models import Application, Letter, User
from ...pdf import FeeSettingError, LetterError
from ...services import inventory as inventory_service
from ...services import letters
from ...services.cases import Forbidden, user_actor
from ...services.letter_mail import filename
from ..helpers import client_ip, writes_on_get
from ..pdf_response import pdf_response
from .blueprint import bp, roles_required
from .case import READ_ROLES, WRITE_ROLES, load_case, render_case
from .case_actions import _apply
from .labels import letter_kind_label
from .letter_forms import FinaliseForm, InventorySelectionForm

log = logging.getLogger(__name__)

KIND_RULE = "<any(receipt, reply, info_request, identity_rejection):kind>"
PREVIEW_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox")


def previewable_kinds(application: Application) -> list[str]:
    """The letters that make sense for the application as it stands."""
    kinds = ["receipt"]
    if workflow.is_open(application.status):
        kinds.append("info_request")
    if application.status in ("in_review", "decided", "replied", "closed"):
        kinds.append("reply")
    if application.identity_status == "failed":
        kinds.append("identity_rejection")
    return kinds


def finalisable_kinds(application: Application) -> list[str]:
    kinds = ["receipt"]
    if workflow.is_open(application.status):
        kinds.append("info_request")
    if application.status == workflow.Status.DECIDED:
        kinds.append("reply")
        if application.identity_status == "failed":
            kinds.append("identity_rejection")
    return kinds


def _selectable(application: Application) -> list:
    """Active entries, plus retired ones this case already cites (so they can be unticked)."""
    entries = {e.id: e for e in inventory_service.active_entries(db.session)}
    for chosen in inventory_service.selected(db.session, application).values():
        entries.update({e.id: e for e in chosen})
    return sorted(entries.values(), key=lambda e: (e.category, e.id))


def letter_panel(application: Application, failed=None) -> dict:
    """Everything the letters and inventory sections of the case page show to this user."""
    user = current_user
    prepare = letters.may_prepare(user, application)
    stored = letters.versions(db.session, application)
    ids = {letter.created_by_id for letter in stored} - {None}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) \
        if ids else {}
    forms = {}
    if prepare:
        for kind in finalisable_kinds(application):
            key = f"finalise-{kind}"
            forms[kind] = failed if failed is not None and failed._prefix == key + "-" else \
                FinaliseForm(formdata=None, prefix=key, data={"version": application.version})
    chosen = inventory_service.selected(db.session, application)
    rights = [code for code in INVENTORY_RIGHTS if code in application.right_codes]
    selection_forms = {}
    if prepare and workflow.is_open(application.status):
        choices = _selectable(application)
        for code in rights:
            selection_forms[code] = InventorySelectionForm(
                formdata=None, prefix="inventory", entries=choices,
                data={"right": code, "entries": [str(e.id) for e in chosen[code]]})
    deliverable = letters.to_deliver(db.session, application)
    outdated = deliverable is not None and application.status == workflow.Status.DECIDED \
        and letters.outdated(db.session, application, deliverable)
    return {"prepare": prepare, "outdated": outdated,
            "previewable": previewable_kinds(application) if prepare else [],
            "forms": forms, "versions": stored, "names": names,
            "current": {letter.kind: letter.id for letter in stored if letter.current},
            "inventory_rights": rights, "chosen": chosen, "selection_forms": selection_forms}


def _unrenderable(tracking_no: str, error: LetterError, forms: dict | None = None):
    """Answer a letter that cannot be made with the reason, on the case page, nothing saved.

    A fee setting outside the Tebliğ stops every reply until an administrator corrects it: the
    officer is told so in their language, the operator finds the setting in the log, and the
    5xx status lets monitoring see a server-side fault.
    """
    db.session.rollback()  # the preview's audit event too: no letter was shown
    log.error("letter for %s not made: %s", tracking_no, error)
    if isinstance(error, FeeSettingError):
        message = _("This letter cannot be made: the fee settings (KVKK_FEE_PER_PAGE, "
                    "KVKK_FEE_FREE_PAGES) are not valid. The Tebliğ allows at most 1 TL a page "
                    "above the first ten pages. Ask the administrator to correct them; nothing "
                    "was saved.")
    else:
        message = _("This letter could not be laid out; nothing was saved. Ask the "
                    "administrator to check the server log.")
    return render_case(load_case(tracking_no), forms=forms, refusal=message, status=503)


@bp.context_processor
def _letter_helpers():
    return {"letter_panel": letter_panel, "letter_kind_label": letter_kind_label}


def _preview(tracking_no: str, kind: str, as_pdf: bool):
    application = load_case(tracking_no)
    try:
        result = letters.preview(db.session, current_user, utcnow(), application, kind,
                                 config=current_app.config, as_pdf=as_pdf,
                                 details=request.args.get("details", "")[:letters.MAX_DETAILS],
                                 ip=client_ip())
    except Forbidden:
        abort(403)
    except LetterError as error:
        return _unrenderable(tracking_no, error)
    db.session.commit()
    if as_pdf:
        return pdf_response(result.pdf, f"{application.tracking_no}-{kind}-TASLAK.pdf",
                            inline=True)
    response = make_response(result)
    # The letter's own page: its inline stylesheet only, no scripts, nothing fetched.
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get(f"/cases/<tracking_no>/letters/{KIND_RULE}/preview")
@writes_on_get
@roles_required(*WRITE_ROLES)
def letter_preview(tracking_no: str, kind: str):
    return _preview(tracking_no, kind, as_pdf=False)


@bp.get(f"/cases/<tracking_no>/letters/{KIND_RULE}/preview.pdf")
@writes_on_get
@roles_required(*WRITE_ROLES)
def letter_preview_pdf(tracking_no: str, kind: str):
    return _preview(tracking_no, kind, as_pdf=True)


@bp.post(f"/cases/<tracking_no>/letters/{KIND_RULE}/finalise")
@roles_required(*WRITE_ROLES)
def letter_finalise(tracking_no: str, kind: str):
    made = {}
    key = f"finalise-{kind}"

    def operation(application, form):
        made["form"] = form
        made["letter"] = letters.finalise(
            db.session, current_user, utcnow(), application, kind, config=current_app.config,
            details=form.details.data or None, reason=form.reason.data or None, ip=client_ip())

    try:
        return _apply(tracking_no, key, lambda app: FinaliseForm(prefix=key), operation,
                      lambda: _("Letter finalised: version %(version)d, SHA-256 %(hash)s.",
                                version=made["letter"].version,
                                hash=made["letter"].sha256[:16]))
    except LetterError as error:
        # The submitted form comes back as typed, so that the details are not lost.
        return _unrenderable(tracking_no, error, forms={key: made["form"]})


@bp.get("/cases/<tracking_no>/letters/<int:letter_id>.pdf")
@writes_on_get
@roles_required(*READ_ROLES)
def letter_download(tracking_no: str, letter_id: int):
    """Send a finalised letter's frozen bytes; every download is audited."""
    application = load_case(tracking_no)
    letter = db.session.get(Letter, letter_id)
    if letter is None or letter.application_id != application.id:
        abort(404)
    try:
        data = letters.stored_pdf(db.session, letter)
    except letters.LetterCorrupt:
        abort(409)
    letters.record_download(db.session, user_actor(current_user, client_ip()), utcnow(), letter)
    db.session.commit()
    return pdf_response(data, filename(letter, application.tracking_no), letter.sha256)


@bp.post("/cases/<tracking_no>/inventory")
@roles_required(*WRITE_ROLES)
def case_inventory(tracking_no: str):
    """Save the inventory entries that concern the applicant under one of rights b, c, ç."""
    def operation(application, form):
        inventory_service.select_for_case(db.session, current_user, utcnow(), application,
                                          right_code=form.right.data,
                                          entry_ids=form.entry_ids, ip=client_ip())

    return _apply(tracking_no, "inventory",
                  lambda app: InventorySelectionForm(prefix="inventory",
                                                     entries=_selectable(app)),
                  operation, lambda: _("Inventory entries saved for this application."))

