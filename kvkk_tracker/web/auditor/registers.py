"""Registers for auditors: the register of applications, the destruction log, the audit chain.

Everything here reads, except the audit-chain check: a POST, because running it is an action
that is recorded, but one that changes no case and no setting, so auditors may press it.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...clock import utcnow
from ...extensions import db
from ...services import registers, retention
from ...services.cases import user_actor
from ..forms import SafeForm
from ..helpers import client_ip
from .blueprint import bp
from .forms import RegisterForm


def _next_url(endpoint: str, page: registers.Page) -> str | None:
    if page.next_cursor is None:
        return None
    args = {k: v for k, v in request.args.items() if k != "after" and v}
    return url_for(endpoint, after=page.next_cursor.encode(), **args)


@bp.get("/register")
def register():
    """The register of applications (başvuru kayıt defteri), in order of receipt."""
    form = RegisterForm()
    valid, start, end = form.bounds()
    page = registers.Page()
    if valid:
        filters = registers.RegisterFilters(start, end, form.status.data or None,
                                            form.channel.data or None, form.right.data or None)
        page = registers.applications_page(
            db.session, filters, after=registers.Cursor.decode(request.args.get("after")),
            limit=registers.PAGE_SIZE)
    args = {k: v for k, v in request.args.items() if k != "after" and v}
    return render_template("auditor/register.html", form=form, page=page,
                           next_url=_next_url("auditor.register", page),
                           first_url=url_for("auditor.register", **args)), 200 if valid else 400


@bp.get("/destruction-log")
def destruction_log():
    """What the retention job destroyed, how and when (Erasure Regulation Art. 7(3))."""
    page = registers.destruction_page(
        db.session, after=registers.Cursor.decode(request.args.get("after")),
        limit=registers.PAGE_SIZE)
    return render_template("auditor/destruction_log.html", page=page,
                           last_run=retention.last_finished_run(db.session),
                           next_url=_next_url("auditor.destruction_log", page),
                           first_url=url_for("auditor.destruction_log"))


class VerifyForm(SafeForm):
    pass


@bp.get("/audit-chain")
def audit_chain():
    """The audit chain's size and the outcome of the last verification."""
    return render_template("auditor/audit_chain.html", form=VerifyForm(),
                           status=registers.chain_status(db.session))


@bp.post("/audit-chain/verify")
def verify_chain():
    """Walk the whole chain now; the outcome is recorded in the trail and shown on the page."""
    form = VerifyForm()
    if not form.validate_on_submit():
        return render_template("auditor/audit_chain.html", form=form,
                               status=registers.chain_status(db.session)), 400
    report = registers.verify_and_record(db.session, user_actor(current_user, client_ip()),
                                         utcnow())
    db.session.commit()
    if report.ok:
        flash(_("The audit trail is intact: %(count)d events checked.", count=report.count),
              "success")
    else:
        flash(_("The audit trail is broken at event #%(id)s.", id=report.bad_event_id), "error")
    return redirect(url_for("auditor.audit_chain"), 303)
