"""The exports page: pick an export, a format and a period, and download it as it is written.

Downloads are GETs: they change nothing but the audit trail (as viewing an attachment does),
so auditors may take them while every POST stays refused to them. Unmasked identity numbers
are for supervisors only; an auditor asking for them gets 403.
"""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, stream_with_context
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField

from ...clock import utcnow
from ...domain.deadlines import to_istanbul
from ...exports import (
    EXPORTS,
    WRITERS,
    ExportRefused,
    ExportRequest,
    Period,
    check_allowed,
    open_table,
    record_export,
)
from ...extensions import db
from ...i18n import current_language
from ...services.cases import user_actor
from ..helpers import client_ip, writes_on_get
from ..public.forms import ChoiceField
from .blueprint import bp
from .forms import QueryForm, optional_range


class ExportForm(QueryForm):
    export = ChoiceField(_l("Export"))
    format = ChoiceField(_l("Format"))
    date_from = StringField(_l("From (inclusive)"))
    date_to = StringField(_l("To (inclusive)"))
    identity = ChoiceField(_l("Identity numbers"), default="masked")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        lang = current_language()
        self.export.choices = [(e.name, e.title(lang)) for e in EXPORTS.values()]
        self.format.choices = [(w.name, w.label) for w in WRITERS.values()]
        self.identity.choices = [("masked", str(_l("Masked"))),
                                 ("unmasked", str(_l("Unmasked (supervisors only; audited)")))]

    def export_request(self) -> ExportRequest | None:
        """Return what was asked for, or None with a message on each bad field."""
        self.validate()
        for field in (self.export, self.format):
            if not self.errors.get(field.name) and not field.raw_data:
                field.errors = [_l("Choose one of the listed options.")]
        start, end = optional_range(self.date_from, self.date_to)
        if self.errors:
            return None
        return ExportRequest(self.export.data, self.format.data, Period(start, end),
                             masked=self.identity.data != "unmasked", lang=current_language())


def _page(form: ExportForm, status: int = 200):
    return render_template("auditor/exports.html", form=form, exports=EXPORTS.values(),
                           lang=current_language(),
                           pdf_max_rows=format_decimal(
                               current_app.config["KVKK_EXPORT_PDF_MAX_ROWS"]),
                           may_unmask=current_user.role == "supervisor"), status


@bp.get("/exports")
def exports():
    """List the exports, their columns and what is masked, with the download form."""
    return _page(ExportForm())


@bp.get("/exports/download")
@writes_on_get
def export_download():
    """Audit the export, then stream it: the first bytes leave before the last row is read."""
    form = ExportForm()
    request = form.export_request()
    if request is None:
        return _page(form, 400)
    try:
        check_allowed(current_user.role, request)
    except ExportRefused:
        abort(403)
    now = utcnow()
    record_export(db.session, user_actor(current_user, client_ip()), now, request, via="web")
    db.session.commit()
    writer = WRITERS[request.fmt]
    table = open_table(db.session, request, taken_at=now,
                       taken_by=f"{current_user.name} <{current_user.email}>")

    def body():
        try:
            yield from writer.chunks(table)
        finally:
            table.close()

    filename = f"{request.filename(to_istanbul(now).date())}.{writer.extension}"
    response = Response(stream_with_context(body()), mimetype=writer.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
