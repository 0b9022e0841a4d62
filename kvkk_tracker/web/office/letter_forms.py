"""Forms for letters and for the inventory entries chosen on a case."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ...domain.inventory import INVENTORY_RIGHTS, LEGAL_BASES_BY_CODE
from ...services.letters import MAX_DETAILS, MAX_REASON
from ..forms import SafeForm
from ..public.forms import ChoiceField, no_control_chars, strip
from .case_forms import VersionedForm


class FinaliseForm(VersionedForm):
    details = TextAreaField(_l("Details for the letter"), filters=[strip], validators=[
        no_control_chars,
        Length(max=MAX_DETAILS, message=_l("Use at most %(max)d characters."))])
    reason = TextAreaField(_l("Why a corrected version"), filters=[strip], validators=[
        no_control_chars,
        Length(max=MAX_REASON, message=_l("Use at most %(max)d characters."))])


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        # Unknown ids get a field message, not WTForms' English "not a valid choice".
        known = {value for value, _label in self.choices}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_l("One of the chosen entries is not in the list; reload the "
                                    "page and choose again."))


def entry_label(entry) -> str:
    """Tell entries apart at a glance: category, purpose, legal basis; retired ones say so."""
    basis = LEGAL_BASES_BY_CODE.get(entry.legal_basis)
    purpose = entry.purpose if len(entry.purpose) <= 90 else entry.purpose[:89] + "…"
    label = f"{entry.category}: {purpose} (KVKK m. {basis.article if basis else '?'})"
    return label if entry.active else f"{label}, {_l('retired')}"


def _ids(values):
    return [int(v) for v in values if str(v).isdigit()] if values else []


class InventorySelectionForm(SafeForm):
    right = ChoiceField(_l("Right"), validators=[InputRequired(_l("Choose the right."))])
    entries = CheckboxesField(_l("Inventory entries that concern the applicant"))

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.right.choices = [(code, code) for code in INVENTORY_RIGHTS]
        self.entries.choices = [(str(entry.id), entry_label(entry)) for entry in entries]

    @property
    def entry_ids(self) -> list[int]:
        return _ids(self.entries.data)
