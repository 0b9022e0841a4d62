"""The applicant's letters: the receipt (başvuru alındı belgesi) and the final reply.

Both are POSTs that carry the tracking number and access code again, as the status lookup
does, so that the code never lands in a URL, a log or the browser history; they share the
status page's budget of guesses.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from wtforms import HiddenField
from wtforms.validators import Length

from ...clock import utcnow
from ...extensions import db
from ...services import letters
from ...services.actors import public_actor
from ...services.errors import NotFound
from ...services.status import find_for_applicant
from ..forms import SafeForm
from ..helpers import client_ip
from ..pdf_response import pdf_response, receipt_filename
from .routes import _not_found, _status_limit, _status_result, bp
from .status_form import StatusForm


class LetterRequestForm(SafeForm):
    tracking_no = HiddenField(validators=[Length(max=40)])
    access_code = HiddenField(validators=[Length(max=40)])


def _applicant_letter():
    form = LetterRequestForm()
    try:
        if not form.validate():
            raise NotFound()
        application = find_for_applicant(db.session, form.tracking_no.data or "",
                                         form.access_code.data or "")
    except NotFound:
        return None, None, _not_found(StatusForm(formdata=None))
    return application, form.access_code.data, None


@bp.post("/status/receipt.pdf")
@_status_limit
def status_receipt():
    """The acknowledgement of receipt, frozen the first time anyone asks for it."""
    application, _code, refused = _applicant_letter()
    if refused is not None:
        return refused
    data, letter = letters.hand_out_receipt(db.session, public_actor(client_ip()), utcnow(),
                                            application, config=current_app.config)
    db.session.commit()
    return pdf_response(data, receipt_filename(application), letter.sha256)


@bp.post("/status/reply.pdf")
@_status_limit
def status_reply():
    """The reply letter that was sent: once replied, and only to a verified applicant."""
    application, access_code, refused = _applicant_letter()
    if refused is not None:
        return refused
    letter = letters.delivered_reply(db.session, application)
    if letter is None:
        return _status_result(application, access_code, refused=_(
            "The reply letter can be downloaded here once we have replied and your identity "
            "has been verified.")), 409
    data = letters.stored_pdf(db.session, letter)
    letters.record_download(db.session, public_actor(client_ip()), utcnow(), letter)
    db.session.commit()
    return pdf_response(data, f"{application.tracking_no}-cevap-yazisi.pdf", letter.sha256)


def reply_available(application) -> bool:
    return letters.delivered_reply(db.session, application) is not None


@bp.context_processor
def _citizen_letters():
    return {"reply_letter_available": reply_available}
