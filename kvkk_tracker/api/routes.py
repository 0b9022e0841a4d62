"""JSON intake API for call centres and document systems."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _

from ..clock import utcnow
from ..extensions import csrf, db, limiter
from ..services import letters
from ..services.actors import api_actor
from ..services.errors import NotFound
from ..services.status import find_for_applicant, public_timeline
from ..web.helpers import client_ip, writes_on_get
from ..web.pdf_response import pdf_response, receipt_filename
from ..web.public.forms import ApplicationForm
from ..web.public.submit import form_to_input, store_submission
from .openapi import openapi_document
from .payload import payload_to_formdata
from .serialize import status_object

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


# The status and the receipt both take a tracking number and access code: one budget of guesses.
_status_limit = limiter.shared_limit(lambda: current_app.config["KVKK_RATELIMIT_API_STATUS"],
                                     scope="api_status")


def _errors(errors: dict, status: int):
    return jsonify({"errors": errors}), status


@bp.post("/requests")
@limiter.limit(lambda: current_app.config["KVKK_RATELIMIT_API_SUBMIT"])
def create_request():
    try:
        payload = request.get_json(silent=True)
    except RecursionError:  # deeply nested arrays; silent= only covers ValueError
        payload = None
    if not isinstance(payload, dict):
        return _errors({"_body": [_("The request body must be a JSON object.")]}, 400)
    formdata, errors = payload_to_formdata(payload)
    form = ApplicationForm(formdata=formdata, meta={"csrf": False})
    if not form.validate() or errors:
        merged = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        for name, messages in errors.items():
            merged[name] = messages
        return _errors(merged, 422)
    submission, body = store_submission(api_actor(client_ip()), form_to_input(form, []),
                                        snapshot=status_object)
    body["access_code"] = submission.access_code
    return jsonify(body), 201


def _applicant_application(tracking_no: str):
    """Return the application the X-Access-Code opens, or None: one answer for both failures."""
    try:
        return find_for_applicant(db.session, tracking_no,
                                  request.headers.get("X-Access-Code", ""))
    except NotFound:
        return None


def _no_match():
    return _errors({"_request": [_("No application matches this tracking number and "
                                   "access code.")]}, 404)


@bp.get("/requests/<tracking_no>")
@_status_limit
def get_request(tracking_no: str):
    application = _applicant_application(tracking_no)
    if application is None:
        return _no_match()
    body = status_object(application)
    body["timeline"] = [{"at": e.occurred_at.isoformat(), "event": e.action}
                        for e in public_timeline(db.session, application)]
    return jsonify(body)


@bp.get("/requests/<tracking_no>/receipt.pdf")
@writes_on_get
@_status_limit
def get_receipt(tracking_no: str):
    """The acknowledgement of receipt; answers exactly like the status call when refused."""
    application = _applicant_application(tracking_no)
    if application is None:
        return _no_match()
    data, letter = letters.hand_out_receipt(db.session, api_actor(client_ip()), utcnow(),
                                            application, config=current_app.config)
    db.session.commit()
    return pdf_response(data, receipt_filename(application), letter.sha256)


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
