"""The case page: one application with everything an officer needs to conclude it.

Access, in one place:
- officers see the pool and their own cases; any other case answers 404, the same as an
  unknown tracking number, so that an officer cannot even learn which numbers exist;
- supervisors see and change everything;
- auditors see everything read-only: no forms are rendered, every POST answers 403;
- admins manage users, never case content: every case page answers 403.
"""

from __future__ import annotations

from flask import abort, current_app, make_response, render_template, send_file
from flask_login import current_user
from sqlalchemy import select

from ...clock import utcnow
from ...domain import workflow
from ...domain.deadlines import days_left, to_istanbul
from ...domain.identifiers import normalize_tracking_no
from ...domain.identity import mask_tckn
from ...extensions import db
from ...models import Application, Attachment, CaseNote, User
from ...services import access, audit
from ...services import cases as case_service
from ..helpers import client_ip, writes_on_get
from ..paths import upload_dir
from .blueprint import bp, roles_required
from .case_forms import (
    ACTIONS_FOR_RIGHT,
    TRANSITION_TARGETS,
    ActionForm,
    ApproveForm,
    AssignForm,
    DecisionForm,
    IdentityForm,
    NoteForm,
    ReplyForm,
    RevealForm,
    TakeForm,
    TransitionForm,
)
from .labels import TEMPLATE_HELPERS
from .timeline import build_timeline

READ_ROLES = ("officer", "supervisor", "auditor")
WRITE_ROLES = ("officer", "supervisor")
DECIDING_STATUSES = ("received", "in_review", "awaiting_applicant")
TERMINAL_STATUSES = ("closed", "withdrawn")


@bp.context_processor
def _office_labels():
    return TEMPLATE_HELPERS


def find_case(tracking_no: str) -> Application | None:
    canonical = normalize_tracking_no(tracking_no)
    if canonical is None:
        return None
    return db.session.scalar(select(Application).where(Application.tracking_no == canonical))


def load_case(tracking_no: str) -> Application:
    """Return the application the current user may see, or answer 404."""
    application = find_case(tracking_no)
    if application is None or not access.can_view(current_user, application):
        abort(404)
    return application


def assignable_staff() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.active.is_(True), User.role.in_(access.WRITE_ROLES))
        .order_by(User.name)))


def took_part(user: User, application: Application) -> bool:
    """Whether the user decided any right here: four eyes means someone else approves."""
    return any(right.decided_by_id == user.id for right in application.rights)


def _case_forms(application: Application, user: User, overrides: dict) -> dict:
    """Build the forms this user may use on this application now; none for auditors."""
    forms: dict = {}
    if user.role not in WRITE_ROLES:
        return forms
    versioned = {"version": application.version}

    def add(key, cls, data=None, **kwargs):
        forms[key] = overrides.get(key) or cls(formdata=None, prefix=key,
                                              data={**versioned, **(data or {})}, **kwargs)

    status = application.status
    can_edit = access.can_edit(user, application)
    add("reveal", RevealForm)
    if application.assignee_id is None and status not in TERMINAL_STATUSES:
        add("take", TakeForm)
    if access.can_assign(user) and status not in TERMINAL_STATUSES:
        add("assign", AssignForm, {"assignee": str(application.assignee_id or "")},
            staff=assignable_staff())
    if can_edit or (user.role == "officer" and application.assignee_id is None):
        add("note", NoteForm)
    if not can_edit:
        return forms
    if workflow.allowed_targets(status) - {workflow.Status.REPLIED}:
        add("move", TransitionForm)
    if not workflow.is_open(status):
        return forms
    add("identity", IdentityForm, {"method": application.identity_method})
    if status in DECIDING_STATUSES:
        for right in application.rights:
            add(f"decide-{right.right_code}", DecisionForm, {
                "outcome": right.outcome, "reason_code": right.reason_code or "",
                "justification": right.justification})
    for right in application.rights:
        if right.right_code in ACTIONS_FOR_RIGHT:
            add(f"action-{right.right_code}", ActionForm, right_code=right.right_code)
    if status == workflow.Status.DECIDED:
        add("reply", ReplyForm, {"sent_on": to_istanbul(utcnow()).date()})
        if user.role == "supervisor" and current_app.config["KVKK_FOUR_EYES"] \
                and application.approved_at is None and not took_part(user, application):
            add("approve", ApproveForm)
    return forms


def render_case(application: Application, *, forms: dict | None = None,
                revealed: str | None = None, refusal: str | None = None, status: int = 200):
    """Render the case page; `forms` replaces a form with the submitted one and its errors."""
    overrides = forms or {}
    now = utcnow()
    built = _case_forms(application, current_user, overrides)
    # Replying has its own form, which records how and when the reply went out.
    targets = [t for t in TRANSITION_TARGETS
               if t in workflow.allowed_targets(application.status)]
    notes = db.session.execute(
        select(CaseNote, User.name).join(User, User.id == CaseNote.author_id)
        .where(CaseNote.application_id == application.id).order_by(CaseNote.id)).all()
    response = make_response(render_template(
        "office/case.html",
        application=application,
        forms=built,
        failed=next(iter(overrides.values()), None),
        targets=targets,
        problems=workflow.decision_problems([r.outcome for r in application.rights],
                                            application.identity_status),
        four_eyes=current_app.config["KVKK_FOUR_EYES"],
        took_part=took_part(current_user, application),
        approver=db.session.get(User, application.approved_by_id)
        if application.approved_by_id else None,
        identity_checker=db.session.get(User, application.identity_checked_by_id)
        if application.identity_checked_by_id else None,
        left=days_left(application.statutory_due, now),
        due_soon=current_app.config["KVKK_DUE_SOON_DAYS"],
        masked_id=application.masked_tckn or mask_tckn(application.passport_no),
        revealed=revealed,
        refusal=refusal,
        timeline=build_timeline(db.session, application),
        notes=notes,
        actions_for_right=ACTIONS_FOR_RIGHT,
    ), status)
    # The page can carry an unmasked identity number: never keep it in a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/cases/<tracking_no>")
@roles_required(*READ_ROLES)
def case(tracking_no: str):
    return render_case(load_case(tracking_no))


@bp.post("/cases/<tracking_no>/reveal")
@roles_required(*WRITE_ROLES)
def case_reveal(tracking_no: str):
    """Show the unmasked identity number once, in this response only, and audit it."""
    application = load_case(tracking_no)
    if not RevealForm(prefix="reveal").validate_on_submit():
        abort(400)
    number = case_service.reveal_tckn(db.session, current_user, utcnow(), application,
                                      ip=client_ip())
    db.session.commit()
    return render_case(application, revealed=number)


@bp.get("/cases/<tracking_no>/attachments/<int:attachment_id>")
@writes_on_get
@roles_required(*READ_ROLES)
def case_attachment(tracking_no: str, attachment_id: int):
    """Send one attachment under its original name; every download is audited."""
    application = load_case(tracking_no)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.application_id != application.id:
        abort(404)
    path = upload_dir(current_app) / attachment.stored_name
    if not (attachment.stored_name.isalnum() and path.is_file()):
        abort(404)
    audit.record(db.session, case_service.user_actor(current_user, client_ip()), utcnow(),
                 "application.attachment_downloaded", application_id=application.id,
                 data={"attachment_id": attachment.id, "kind": attachment.kind,
                       "sha256": attachment.sha256})
    db.session.commit()
    response = send_file(path, mimetype=attachment.media_type, as_attachment=True,
                         download_name=attachment.original_name, max_age=0, etag=False,
                         conditional=False)
    response.headers["Cache-Control"] = "no-store"
    return response
