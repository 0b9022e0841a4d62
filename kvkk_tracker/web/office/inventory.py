"""The processing inventory (veri envanteri), kept by admins: list, add, edit, retire.

Nothing is ever deleted: letters and cases may cite an entry, so retiring hides it from new
choices and keeps it, and every edit is audited with the old values.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput

from ...clock import utcnow
from ...domain.inventory import LEGAL_BASES, LEGAL_BASES_BY_CODE
from ...extensions import db
from ...i18n import current_language
from ...models import InventoryEntry
from ...services import inventory as inventory_service
from ...services.cases import CaseError
from ..forms import SafeForm
from ..helpers import client_ip
from ..public.forms import ChoiceField, no_control_chars, strip
from .blueprint import bp, roles_required
from .labels import case_error_message

PER_PAGE = 25


def legal_basis_label(code: str) -> str:
    basis = LEGAL_BASES_BY_CODE.get(code)
    return basis.label(current_language()) if basis else code


@bp.context_processor
def _inventory_labels():
    return {"legal_basis_label": legal_basis_label}


def _length(limit: int):
    return Length(max=limit, message=_l("Use at most %(max)d characters."))


class EntryForm(SafeForm):
    category = StringField(_l("Data category"), filters=[strip], validators=[
        DataRequired(_l("Name the data category, e.g. Kimlik or İletişim.")), no_control_chars,
        _length(200)])
    purpose = TextAreaField(_l("Purpose of processing"), filters=[strip], validators=[
        DataRequired(_l("Say why these data are processed.")), no_control_chars,
        _length(2000)])
    legal_basis = ChoiceField(_l("Legal basis (KVKK Art. 5/6)"), validators=[
        InputRequired(_l("Choose the legal basis."))])
    retention = StringField(_l("Retention period"), filters=[strip], validators=[
        DataRequired(_l("Say how long the data are kept, e.g. 10 yıl.")), no_control_chars,
        _length(300)])
    recipients_domestic = TextAreaField(_l("Recipients in Türkiye (Art. 8)"), filters=[strip],
                                        validators=[no_control_chars, _length(2000)])
    recipients_abroad = TextAreaField(_l("Recipients abroad (Art. 9)"), filters=[strip],
                                      validators=[no_control_chars, _length(2000)])
    version = IntegerField(widget=HiddenInput(), default=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.legal_basis.choices = [("", str(_l("Choose…")))] + [
            (basis.code, basis.label(lang)) for basis in LEGAL_BASES]

    def to_input(self) -> inventory_service.EntryInput:
        return inventory_service.EntryInput(
            category=self.category.data or "", purpose=self.purpose.data or "",
            legal_basis=self.legal_basis.data or "", retention=self.retention.data or "",
            recipients_domestic=self.recipients_domestic.data or None,
            recipients_abroad=self.recipients_abroad.data or None)


class RetireForm(SafeForm):
    confirm = BooleanField(_l("Yes, retire this entry"), validators=[
        DataRequired(_l("Tick the box to confirm."))])


def _page() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


@bp.get("/admin/inventory")
@roles_required("admin")
def inventory():
    page = _page()
    include_retired = request.args.get("retired") == "1"
    entries, total = inventory_service.page_of_entries(
        db.session, page=page, per_page=PER_PAGE, include_retired=include_retired)
    pages = max(1, -(-total // PER_PAGE))
    return render_template("office/inventory.html", entries=entries, total=total, page=page,
                           pages=pages, include_retired=include_retired,
                           retire_form=RetireForm(formdata=None))


def _save(form: EntryForm, operation):
    """Run the service; a refusal lands on its field and nothing is saved."""
    try:
        operation()
        db.session.commit()
    except CaseError as error:
        db.session.rollback()
        field = getattr(form, error.field or "", None)
        message = case_error_message(error.why)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)
        return False
    return True


@bp.route("/admin/inventory/new", methods=["GET", "POST"])
@roles_required("admin")
def inventory_new():
    form = EntryForm()
    if form.validate_on_submit() and _save(form, lambda: inventory_service.create_entry(
            db.session, current_user, utcnow(), form.to_input(), ip=client_ip())):
        flash(_("Inventory entry added."), "success")
        return redirect(url_for("office.inventory"), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("office/inventory_form.html", form=form, entry=None), status


def _entry(entry_id: int) -> InventoryEntry:
    entry = db.session.get(InventoryEntry, entry_id)
    if entry is None:
        abort(404)
    return entry


@bp.route("/admin/inventory/<int:entry_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def inventory_edit(entry_id: int):
    entry = _entry(entry_id)
    form = EntryForm(obj=entry) if request.method == "GET" else EntryForm()
    if form.validate_on_submit():
        if form.version.data != entry.version:
            form.form_errors.append(_("Someone changed this entry while you were editing it. "
                                      "The page now shows their version; check and try again."))
            return render_template("office/inventory_form.html",
                                   form=EntryForm(formdata=None, obj=entry), entry=entry), 409
        if _save(form, lambda: inventory_service.update_entry(
                db.session, current_user, utcnow(), entry, form.to_input(),
                expected_version=form.version.data, ip=client_ip())):
            flash(_("Inventory entry saved."), "success")
            return redirect(url_for("office.inventory"), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("office/inventory_form.html", form=form, entry=entry), status


@bp.post("/admin/inventory/<int:entry_id>/retire")
@roles_required("admin")
def inventory_retire(entry_id: int):
    entry = _entry(entry_id)
    form = RetireForm()
    if not form.validate_on_submit():
        return render_template("office/inventory_form.html",
                               form=EntryForm(formdata=None, obj=entry), entry=entry,
                               retire_form=form), 400
    if _save(form, lambda: inventory_service.retire_entry(db.session, current_user, utcnow(),
                                                         entry, ip=client_ip())):
        flash(_("Inventory entry retired. Cases and letters that cite it keep it."), "success")
    else:
        flash(" ".join(str(m) for m in form.form_errors), "error")
    return redirect(url_for("office.inventory"), code=303)
