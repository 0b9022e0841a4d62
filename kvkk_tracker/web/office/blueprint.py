"""The office blueprint: login is required on every endpoint unless allow-listed."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, redirect, request, session, url_for
from flask_login import current_user

bp = Blueprint("office", __name__, url_prefix="/office")
# Endpoints reachable while a required second factor is still being enrolled.
ENROLMENT_ENDPOINTS = frozenset({"office.enrol_totp"})


@bp.before_request
def require_login():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    from ..auth.routes import totp_required

    if (totp_required(current_user) and not current_user.totp_enabled
            and request.endpoint not in ENROLMENT_ENDPOINTS):
        session["totp_enrolment_required"] = True
        return redirect(url_for("office.enrol_totp"))
    return None


def roles_required(*roles: str):
    """Allow only these roles; everyone else gets 403."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate
