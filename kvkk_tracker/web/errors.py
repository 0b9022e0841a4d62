"""Friendly error pages, and JSON errors under /api/: a user never sees a raw error."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .helpers import format_size


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("The request could not be processed"),
              _("Something in the request was not as expected. Go back and try again.")),
        403: (_("No access"), _("Your account does not have access to this page.")),
        404: (_("Page not found"), _("There is no page at this address.")),
        405: (_("Not allowed"), _("This address does not accept this kind of request.")),
        413: (_("Files too large"), ""),
        429: (_("Too many attempts"),
              _("You have made too many requests in a short time. Wait a minute and try "
                "again.")),
        500: (_("Something went wrong"),
              _("We could not complete your request. Nothing was saved. Try again later.")),
    }


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(code: int, title: str | None = None, message: str | None = None):
    default_title, default_message = _messages().get(code, _messages()[400])
    code = code if 400 <= code < 600 else 500
    title, message = title or default_title, message or default_message
    if _wants_json():
        return jsonify({"errors": {"_request": [message]}}), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return _render(400, _("The form has expired"),
                       _("For your security the form could not be accepted: it was open too "
                         "long or your browser blocked cookies. Go back, reload the page and "
                         "send it again."))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        code = error.code or 500
        if code == 413:
            # The request as a whole was too big, so name both limits: each file fitting the
            # per-file one does not mean that all of them together fit.
            return _render(413, message=_(
                "What you sent is larger than we accept. Attach smaller or fewer files (at "
                "most %(file)s each, %(total)s in all) and try again.",
                file=format_size(app.config["KVKK_MAX_FILE_BYTES"]),
                total=format_size(app.config["MAX_CONTENT_LENGTH"])))
        return _render(code)

    @app.errorhandler(InternalServerError)
    def _internal(_error):
        return _render(500)
