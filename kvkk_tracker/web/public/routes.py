"""The public site: landing, notices, the application form and the status page."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, session, url_for
from flask_babel import gettext as _

from ...domain.rights import CHANNELS, RIGHTS
from ...extensions import db, limiter
from ...services.actors import public_actor
from ...services.errors import NotFound
from ...services.status import find_for_applicant, public_timeline
from ..helpers import client_ip, format_size
from .forms import ApplicationForm
from .status_form import StatusForm
from .submit import form_to_input, store_submission
from .uploads import read_uploads

bp = Blueprint("public", __name__)
bp.add_app_template_filter(format_size, "filesize")


def _limit(name: str):
    return limiter.limit(lambda: current_app.config[name], methods=["POST"])


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


@bp.route("/status", methods=["GET", "POST"])
@_limit("KVKK_RATELIMIT_STATUS")
def status():
    form = StatusForm()
    if form.validate_on_submit():
        try:
            application = find_for_applicant(db.session, form.tracking_no.data,
                                             form.access_code.data)
        except NotFound:
            form.form_errors.append(_(
                "We found no application with this tracking number and access code. Check "
                "both and try again."))
            return render_template("public/status.html", form=form), 404
        return render_template("public/status_result.html", application=application,
                               timeline=public_timeline(db.session, application))
    code = 400 if form.is_submitted() else 200
    return render_template("public/status.html", form=form), code
