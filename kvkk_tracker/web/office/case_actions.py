"""What officers and supervisors do on the case page: thin views over services.cases.

Every change goes through `_apply`: check the form, check the version the user saw, call the
service, commit. A refused move or a concurrent edit rolls everything back, so nothing of the
attempt is stored, and the user is told why.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ...clock import utcnow
from ...domain.deadlines import to_istanbul
from ...domain.workflow import InvalidTransition
from ...extensions import db
from ...models import Application, User
from ...services import access
from ...services import cases as case_service
from ...services.cases import CaseError, ConcurrentEdit, Forbidden
from ...services.replies import record_reply
from ..helpers import client_ip
from ..labels import right_label
from .blueprint import bp, roles_required
from .case import WRITE_ROLES, assignable_staff, find_case, load_case, render_case
from .case_forms import (
    ACTIONS_FOR_RIGHT,
    ActionForm,
    ApproveForm,
    AssignForm,
    DecisionForm,
    IdentityForm,
    NoteForm,
    ReplyForm,
    TakeForm,
    TransitionForm,
    VersionedForm,
    attach_error,
)
from .labels import office_status_label, transition_message


def _back(application: Application):
    return redirect(url_for("office.case", tracking_no=application.tracking_no), code=303)


def _conflict(application: Application, error: ConcurrentEdit):
    """Tell the second writer who got there first, and show them the current state."""
    who = error.changed_by or _("Someone")
    when = to_istanbul(error.changed_at).strftime("%H:%M") if error.changed_at else "?"
    flash(_("%(name)s changed this application at %(time)s; the page has been reloaded with "
            "their changes — check and try again.", name=who, time=when), "error")
    if not access.can_view(current_user, application):
        return redirect(url_for("office.queue"), code=303)
    return _back(application)


def _gone(tracking_no: str):
    """Answer a change to a case the user could see when they loaded it, but no longer can.

    That happens when another officer took it from the pool first. The user is told so,
    without a name; anything else about a case out of their view stays a 404.
    """
    application = find_case(tracking_no)
    submitted = request.form.get("take-version", "")
    if application is None or not submitted.isdigit() or int(submitted) >= application.version:
        abort(404)
    flash(_("Someone else took this application in the meantime; it is no longer in your "
            "queue."), "error")
    return redirect(url_for("office.queue"), code=303)


def _apply(tracking_no: str, key: str, make_form: Callable[[Application], object],
           operation: Callable[[Application, object], None], done: Callable[[], str]):
    application = find_case(tracking_no)
    if key == "take" and application is not None \
            and not access.can_view(current_user, application):
        return _gone(tracking_no)
    application = load_case(tracking_no)
    form = make_form(application)
    if not form.validate_on_submit():
        return render_case(application, forms={key: form}, status=400)
    if isinstance(form, VersionedForm) and form.version.data != application.version:
        return _conflict(application, ConcurrentEdit(application))
    try:
        operation(application, form)
        db.session.commit()
    except ConcurrentEdit as error:
        db.session.rollback()
        return _conflict(application, error)
    except StaleDataError:  # a writer committed between our read and our write
        db.session.rollback()
        return _conflict(application, ConcurrentEdit(application))
    except InvalidTransition as error:
        db.session.rollback()
        return render_case(application, forms={key: form},
                           refusal=transition_message(error.why), status=409)
    except CaseError as error:
        db.session.rollback()
        attach_error(form, error)
        return render_case(application, forms={key: form}, status=400)
    except Forbidden:
        db.session.rollback()
        abort(403)
    flash(done(), "success")
    if not access.can_view(current_user, application):
        return redirect(url_for("office.queue"), code=303)
    return _back(application)


def _common(form) -> dict:
    return {"expected_version": form.version.data, "ip": client_ip()}


@bp.post("/cases/<tracking_no>/take")
@roles_required(*WRITE_ROLES)
def case_take(tracking_no: str):
    return _apply(
        tracking_no, "take", lambda app: TakeForm(prefix="take"),
        lambda app, form: case_service.take(db.session, current_user, utcnow(), app,
                                            **_common(form)),
        lambda: _("You took this application. It is now in your queue."))


@bp.post("/cases/<tracking_no>/assign")
@roles_required(*WRITE_ROLES)
def case_assign(tracking_no: str):
    if not access.can_assign(current_user):
        abort(403)

    def operation(app, form):
        assignee = db.session.get(User, int(form.assignee.data)) if form.assignee.data else None
        case_service.assign(db.session, current_user, utcnow(), app, assignee, **_common(form))

    return _apply(tracking_no, "assign",
                  lambda app: AssignForm(prefix="assign", staff=assignable_staff()),
                  operation, lambda: _("Assignment saved."))


@bp.post("/cases/<tracking_no>/move")
@roles_required(*WRITE_ROLES)
def case_move(tracking_no: str):
    moved = {}

    def operation(app, form):
        case_service.change_status(db.session, current_user, utcnow(), app, form.target.data,
                                   four_eyes=current_app.config["KVKK_FOUR_EYES"],
                                   **_common(form))
        moved["to"] = form.target.data

    return _apply(tracking_no, "move", lambda app: TransitionForm(prefix="move"), operation,
                  lambda: _("Status changed to “%(status)s”.",
                            status=office_status_label(moved["to"])))


@bp.post("/cases/<tracking_no>/approve")
@roles_required(*WRITE_ROLES)
def case_approve(tracking_no: str):
    return _apply(
        tracking_no, "approve", lambda app: ApproveForm(prefix="approve"),
        lambda app, form: case_service.approve(db.session, current_user, utcnow(), app,
                                               **_common(form)),
        lambda: _("Decision approved. The reply may now go out."))


@bp.post("/cases/<tracking_no>/identity")
@roles_required(*WRITE_ROLES)
def case_identity(tracking_no: str):
    return _apply(
        tracking_no, "identity", lambda app: IdentityForm(prefix="identity"),
        lambda app, form: case_service.verify_identity(
            db.session, current_user, utcnow(), app, method=form.method.data,
            result=form.result.data, note=form.note.data or None, **_common(form)),
        lambda: _("Identity check saved."))


def _requested(application: Application, right_code: str) -> None:
    if right_code not in application.right_codes:
        abort(404)


@bp.post("/cases/<tracking_no>/rights/<right_code>/decision")
@roles_required(*WRITE_ROLES)
def case_decide(tracking_no: str, right_code: str):
    def make_form(app):
        _requested(app, right_code)
        return DecisionForm(prefix=f"decide-{right_code}")

    return _apply(
        tracking_no, f"decide-{right_code}", make_form,
        lambda app, form: case_service.decide_right(
            db.session, current_user, utcnow(), app, right_code=right_code,
            outcome=form.outcome.data, reason_code=form.reason_code.data or None,
            justification=form.justification.data or None, **_common(form)),
        lambda: _("Decision saved for %(right)s.", right=right_label(right_code)))


@bp.post("/cases/<tracking_no>/rights/<right_code>/actions")
@roles_required(*WRITE_ROLES)
def case_action(tracking_no: str, right_code: str):
    def make_form(app):
        _requested(app, right_code)
        if right_code not in ACTIONS_FOR_RIGHT:
            abort(404)
        return ActionForm(prefix=f"action-{right_code}", right_code=right_code)

    return _apply(
        tracking_no, f"action-{right_code}", make_form,
        lambda app, form: case_service.record_action(
            db.session, current_user, utcnow(), app, right_code=right_code,
            action=form.action.data, done_on=form.done_on.data,
            recipient=form.recipient.data or None, proof=form.proof.data or None,
            **_common(form)),
        lambda: _("Action recorded."))


@bp.post("/cases/<tracking_no>/reply")
@roles_required(*WRITE_ROLES)
def case_reply(tracking_no: str):
    return _apply(
        tracking_no, "reply", lambda app: ReplyForm(prefix="reply"),
        lambda app, form: record_reply(
            db.session, current_user, utcnow(), app, channel=form.channel.data,
            sent_on=form.sent_on.data, proof=form.proof.data or None,
            four_eyes=current_app.config["KVKK_FOUR_EYES"], **_common(form)),
        lambda: _("Reply recorded: the application is now replied."))


@bp.post("/cases/<tracking_no>/notes")
@roles_required(*WRITE_ROLES)
def case_note(tracking_no: str):
    # Notes only add a row: they cannot overwrite anyone's work, so they carry no version.
    return _apply(
        tracking_no, "note", lambda app: NoteForm(prefix="note"),
        lambda app, form: case_service.add_note(db.session, current_user, utcnow(), app,
                                                form.body.data, ip=client_ip()),
        lambda: _("Note added."))
