"""The auditor blueprint: read-only reports, registers and exports for auditors and supervisors."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, session, url_for
from flask_login import current_user

from ...services.access import READER_ROLES

bp = Blueprint("auditor", __name__, url_prefix="/auditor")


@bp.before_request
def require_reader():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    from ..auth.routes import totp_required

    if totp_required(current_user) and not current_user.totp_enabled:
        session["totp_enrolment_required"] = True
        return redirect(url_for("office.enrol_totp"))
    if current_user.role not in READER_ROLES:
        abort(403)
    return None
