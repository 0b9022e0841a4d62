"""The public site: landing, notices, the application form and the status page."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, session, url_for
from flask_babel import gettext as _

from ...clock import utcnow
from ...domain.rights import CHANNELS, RIGHTS
from ...domain.workflow import Status
from ...extensions import db, limiter
from ...services import applicant
from ...services.actors import public_actor
from ...services.attachments import FileStash
from ...services.cases import CaseError
from ...services.errors import NotFound
from ...services.status import find_for_applicant, public_timeline
from ..helpers import client_ip, format_size
from ..paths import upload_dir
from .forms import ApplicationForm
from .status_form import AnswerForm, StatusForm
from .submit import form_to_input, store_submission
from .uploads import read_files, read_uploads

bp = Blueprint("public", __name__)
bp.add_app_template_filter(format_size, "filesize")


def _limit(name: str):
    return limiter.limit(lambda: current_app.config[name], methods=["POST"])


# The lookup and the answer both take a tracking number and access code: one budget of guesses.
_status_limit = limiter.shared_limit(lambda: current_app.config["KVKK_RATELIMIT_STATUS"],
                                     scope="status", methods=["POST"])


@bp.get("/")
def index():
    return render_template("public/index.html", rights=RIGHTS, channels=CHANNELS)


@bp.get("/privacy")
def privacy():
    return render_template("public/privacy.html")


@bp.get("/cookies")
def cookies():
    return render_template("public/cookies.html")


@bp.route("/apply", methods=["GET", "POST"])
@_limit("KVKK_RATELIMIT_APPLY")
def apply():
    form = ApplicationForm()
    if form.is_submitted():
        valid = form.validate()
        files, file_errors = read_uploads(form)
        for name, messages in file_errors.items():
            getattr(form, name).errors = [*getattr(form, name).errors, *messages]
        if valid and not file_errors:
            submission, tracking_no = store_submission(
                public_actor(client_ip()), form_to_input(form, files),
                snapshot=lambda application: application.tracking_no)
            session["just_submitted"] = {"tracking_no": tracking_no,
                                         "access_code": submission.access_code}
            return redirect(url_for("public.confirmation"), code=303)
        return render_template("public/apply.html", form=form), 400
    return render_template("public/apply.html", form=form)


@bp.get("/apply/done")
def confirmation():
    shown = session.pop("just_submitted", None)
    if shown is None:
        return redirect(url_for("public.status"))
    application = find_for_applicant(db.session, shown["tracking_no"], shown["access_code"])
    return render_template("public/confirmation.html", application=application,
                           access_code=shown["access_code"])


def _not_found(form: StatusForm):
    form.form_errors.append(_(
        "We found no application with this tracking number and access code. Check "
        "both and try again."))
    return render_template("public/status.html", form=form), 404


def _status_result(application, access_code: str, answer_form: AnswerForm | None = None,
                   answered: bool = False, refused: str | None = None):
    """The unlocked status page; while we wait for the applicant it carries the answer form."""
    if application.status != Status.AWAITING_APPLICANT:
        answer_form = None
    elif answer_form is None:
        answer_form = AnswerForm(formdata=None, tracking_no=application.tracking_no,
                                 access_code=access_code)
    return render_template("public/status_result.html", application=application,
                           timeline=public_timeline(db.session, application),
                           answer_form=answer_form, answered=answered, refused=refused,
                           access_code=access_code)


@bp.route("/status", methods=["GET", "POST"])
@_status_limit
def status():
    form = StatusForm()
    if form.validate_on_submit():
        try:
            application = find_for_applicant(db.session, form.tracking_no.data,
                                             form.access_code.data)
        except NotFound:
            return _not_found(form)
        return _status_result(application, form.access_code.data)
    code = 400 if form.is_submitted() else 200
    return render_template("public/status.html", form=form), code


_ANSWER_ERRORS = {
    "not_awaiting_applicant": lambda: _(
        "We are not waiting for information from you on this application, so your answer "
        "was not saved."),
    "empty_answer": lambda: _("Write your answer or attach a document."),
}


@bp.post("/status/answer")
@_status_limit
def status_answer():
    """The applicant answers a request for more information; the code is checked again."""
    form = AnswerForm()
    try:
        application = find_for_applicant(db.session, form.tracking_no.data or "",
                                         form.access_code.data or "")
    except NotFound:
        return _not_found(StatusForm(formdata=None))
    access_code = form.access_code.data
    valid = form.validate()
    files, file_errors = read_files((("answer_files", "applicant_answer",
                                      form.answer_files.data),))
    for name, messages in file_errors.items():
        getattr(form, name).errors = [*getattr(form, name).errors, *messages]
    if not valid or file_errors:
        return _status_result(application, access_code, form), 400
    stash = FileStash(upload_dir(current_app))
    try:
        applicant.answer(db.session, public_actor(client_ip()), utcnow(), application,
                         form.body.data or "", files, stash)
        db.session.commit()
    except CaseError as error:
        db.session.rollback()
        stash.discard()
        explain = _ANSWER_ERRORS.get(error.why)
        message = explain() if explain else error.why
        if error.field == "body":
            form.body.errors = [*form.body.errors, message]
            return _status_result(application, access_code, form), 400
        return _status_result(application, access_code, refused=message), 409
    except BaseException:
        db.session.rollback()
        stash.discard()
        raise
    return _status_result(application, access_code, answered=True)
