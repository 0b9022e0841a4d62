"""Forms on the case page. Every form that changes the application carries its version."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from ...clock import utcnow
from ...domain.deadlines import to_istanbul
from ...domain.decisions import ACTIONS, OUTCOMES, REASON_CODES, DecisionError, check_decision
from ...domain.identity import METHODS
from ...domain.rights import REPLY_CHANNELS
from ...i18n import current_language
from ..forms import SafeForm
from ..public.forms import ChoiceField, no_control_chars, strip
from .labels import ACTION_LABELS, OUTCOME_LABELS, case_error_message, reason_label

# What can be done to carry out each right; rights without an entry need no action record.
ACTIONS_FOR_RIGHT = {
    "d": ("rectified",),
    "e": ("erased", "anonymised"),
    "f": ("recipient_notified",),
    "other": ("rectified", "erased", "anonymised"),
}
TRANSITION_TARGETS = ("in_review", "awaiting_applicant", "decided", "closed", "withdrawn")


def _too_long():
    return Length(max=5000, message=_l("Use at most %(max)d characters."))


def present(form, field):
    """Require the field in the request, even when its value may be empty (e.g. "pool")."""
    if not field.raw_data:
        raise StopValidation(_l("Choose one of the listed options."))


def not_in_future(form, field):
    if field.data and field.data > to_istanbul(utcnow()).date():
        raise ValidationError(_l("This date is in the future."))


class VersionedForm(SafeForm):
    """A form that changes the application: it says which version the user saw."""

    version = IntegerField(widget=HiddenInput(), validators=[
        InputRequired(_l("This form is incomplete: reload the page and try again."))])


class TakeForm(VersionedForm):
    pass


class ApproveForm(VersionedForm):
    pass


class RevealForm(SafeForm):
    pass


class AssignForm(VersionedForm):
    assignee = ChoiceField(_l("Assign to"), validators=[present])

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.assignee.choices = [("", str(_l("Nobody: back to the pool")))] + [
            (str(user.id), user.name) for user in staff]


class TransitionForm(VersionedForm):
    target = ChoiceField(_l("Move to"), validators=[
        InputRequired(_l("Choose where to move the application."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.target.choices = [(t, t) for t in TRANSITION_TARGETS]


class IdentityForm(VersionedForm):
    method = ChoiceField(_l("Method"), validators=[
        InputRequired(_l("Choose a verification method."))])
    result = RadioField(_l("Result"), validators=[
        InputRequired(_l("Choose the result of the check."))])
    note = TextAreaField(_l("Note"), filters=[strip], validators=[no_control_chars,
                                                                  _too_long()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.method.choices = [(m.code, m.label(lang)) for m in METHODS]
        self.result.choices = [("verified", str(_l("Verified"))),
                               ("failed", str(_l("Verification failed")))]


class DecisionForm(VersionedForm):
    outcome = RadioField(_l("Outcome"), validators=[InputRequired(_l("Choose an outcome."))])
    reason_code = ChoiceField(_l("Reason"))
    justification = TextAreaField(_l("Justification"), filters=[strip],
                                  validators=[no_control_chars, _too_long()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = [(code, str(OUTCOME_LABELS[code])) for code in OUTCOMES]
        self.reason_code.choices = [("", str(_l("No reason (accepted)")))] + [
            (r.code, reason_label(r.code)) for r in REASON_CODES]

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        try:
            check_decision(self.outcome.data, self.reason_code.data or None,
                           self.justification.data)
        except DecisionError as error:
            getattr(self, error.field).errors.append(case_error_message(error.why))
            return False
        return True


class ActionForm(VersionedForm):
    action = ChoiceField(_l("Action taken"), validators=[InputRequired(_l("Choose an action."))])
    recipient = StringField(_l("Recipient notified"), filters=[strip],
                            validators=[no_control_chars, Length(max=300)])
    done_on = DateField(_l("Date"), validators=[
        InputRequired(_l("Enter the date it was done.")), not_in_future])
    proof = StringField(_l("Proof"), filters=[strip], validators=[no_control_chars,
                                                                  Length(max=500)])

    def __init__(self, *args, right_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ACTIONS_FOR_RIGHT.get(right_code, ACTIONS)
        self.action.choices = [(code, str(ACTION_LABELS[code])) for code in allowed]

    def validate_recipient(self, field):
        if self.action.data == "recipient_notified" and not field.data:
            raise StopValidation(case_error_message("recipient_required"))


class ReplyForm(VersionedForm):
    channel = ChoiceField(_l("Sent by"), validators=[
        InputRequired(_l("Choose how the reply was sent."))])
    sent_on = DateField(_l("Date sent"), validators=[
        InputRequired(_l("Enter the date the reply was sent.")), not_in_future])
    proof = StringField(_l("Proof of delivery"), filters=[strip],
                        validators=[no_control_chars, Length(max=500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.channel.choices = [(c.code, c.label(lang)) for c in REPLY_CHANNELS]


class NoteForm(SafeForm):
    body = TextAreaField(_l("Internal note"), filters=[strip], validators=[
        DataRequired(_l("Write the note.")), no_control_chars, _too_long()])


def attach_error(form, error) -> None:
    """Show a service's refusal (a CaseError) on the field it concerns, or on the form."""
    message = case_error_message(error.why)
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)
