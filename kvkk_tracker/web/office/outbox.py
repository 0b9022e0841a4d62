"""The admin's view of undeliverable e-mail: dead outbox messages with their errors."""

from __future__ import annotations

from flask import render_template

from ...extensions import db
from ...services import outbox as outbox_service
from .blueprint import bp, roles_required


@bp.get("/admin/outbox")
@roles_required("admin")
def outbox():
    """List the dead messages (newest first) and the outbox counts; read-only."""
    return render_template("office/outbox.html",
                           counts=outbox_service.counts(db.session),
                           messages=outbox_service.dead_messages(db.session, limit=200))
