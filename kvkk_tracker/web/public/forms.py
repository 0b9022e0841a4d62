"""The public Art. 11 application form. The JSON API validates through the same form."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from stdnum.tr import tckimlik
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from ...domain.rights import RELATIONSHIPS, REPLY_CHANNELS, RIGHTS
from ...i18n import current_language
from ..forms import SafeForm
from .countries import country_choices

PHONE_RE = re.compile(r"^\+?[0-9 ()\-]{7,20}$")
PASSPORT_RE = re.compile(r"^[A-Za-z0-9\-]{5,30}$")
# Control characters (other than newline and tab in long texts) have no place in a letter.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_chars(form, field):
    if isinstance(field.data, str) and CONTROL_RE.search(field.data):
        raise StopValidation(_l("Remove the invisible control characters from this field."))


class ChoiceField(SelectField):
    """A select whose unknown-value message is ours, in the user's language."""

    def pre_validate(self, form):
        if not self.raw_data:
            return  # InputRequired says what is missing
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError(_l("Choose one of the listed options."))


class MultiChoiceField(SelectMultipleField):
    def pre_validate(self, form):
        known = {value for value, _label in self.choices}
        unknown = [value for value in self.data or [] if value not in known]
        if unknown:
            raise ValidationError(_l("Unknown choice: %(values)s.", values=", ".join(unknown)))


def strip(value):
    return value.strip() if isinstance(value, str) else value


def optional_unless_email_reply(form, field):
    """Let the e-mail stay empty, unless the applicant wants the reply by e-mail.

    A plain Optional() would stop the chain on an empty field before any check of the reply
    channel could run.
    """
    if field.data:
        return
    if form.reply_channel.data == "email":
        raise StopValidation(_l("Enter your e-mail address so that we can reply by e-mail."))
    field.errors[:] = []
    raise StopValidation()


class ApplicationForm(SafeForm):
    FILE_FIELDS = ("power_of_attorney", "attachments")

    first_name = StringField(_l("First name"), filters=[strip], validators=[
        DataRequired(_l("Enter your first name.")), no_control_chars,
        Length(max=100, message=_l("Use at most %(max)d characters."))])
    last_name = StringField(_l("Last name"), filters=[strip], validators=[
        DataRequired(_l("Enter your last name.")), no_control_chars,
        Length(max=100, message=_l("Use at most %(max)d characters."))])
    nationality = ChoiceField(_l("Nationality"), default="TR", validators=[
        InputRequired(_l("Choose your nationality."))])
    tckn = StringField(_l("T.C. identity number"), filters=[strip])
    passport_no = StringField(_l("Passport or foreign identity number"), filters=[strip])
    address = TextAreaField(_l("Address for notification"), filters=[strip], validators=[
        DataRequired(_l("Enter an address where we can notify you.")), no_control_chars,
        Length(max=1000, message=_l("Use at most %(max)d characters."))])
    email = StringField(_l("E-mail"), filters=[strip], validators=[
        optional_unless_email_reply, Length(max=254, message=_l("Use at most %(max)d characters.")),
        Email(_l("Enter a valid e-mail address, such as ad@ornek.com.tr."),
              check_deliverability=False)])
    phone = StringField(_l("Phone"), filters=[strip], validators=[Optional()])
    relationship = ChoiceField(_l("Your relationship to us"), validators=[
        InputRequired(_l("Choose your relationship to us."))])
    rights = MultiChoiceField(_l("Rights you want to use"), validators=[
        DataRequired(_l("Choose at least one right."))])
    subject = TextAreaField(_l("Subject and details of your request"), filters=[strip],
                            validators=[
        DataRequired(_l("Describe what you are asking for.")),
        Length(max=5000, message=_l("Use at most %(max)d characters."))])
    reply_channel = ChoiceField(_l("How should we reply?"), validators=[
        InputRequired(_l("Choose how we should reply."))])
    representative_name = StringField(_l("Representative's full name"), filters=[strip],
                                      validators=[Optional(), no_control_chars, Length(
                                          max=200, message=_l("Use at most %(max)d characters."))])
    power_of_attorney = FileField(_l("Power of attorney"))
    attachments = MultipleFileField(_l("Supporting documents"))
    declaration = BooleanField(_l(
        "I have read the privacy notice, and I declare that the information I have given is "
        "correct and that this application concerns my own personal data or those of the "
        "person I represent."), validators=[
        DataRequired(_l("You must confirm the declaration to apply."))])
    # Honeypot: hidden from people and assistive technology; bots fill it in.
    website = StringField("Website")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.nationality.choices = list(country_choices(lang))
        self.relationship.choices = [(c.code, c.label(lang)) for c in RELATIONSHIPS]
        self.rights.choices = [(r.code, r.label(lang)) for r in RIGHTS]
        self.reply_channel.choices = [(c.code, c.label(lang)) for c in REPLY_CHANNELS]

    def validate_rights(self, field):
        if field.data and len(field.data) != len(set(field.data)):
            field.data = list(dict.fromkeys(field.data))

    def validate_tckn(self, field):
        if self.nationality.data != "TR":
            field.data = None
            return
        if not field.data:
            raise StopValidation(_l("Enter your 11-digit T.C. identity number."))
        if not (len(field.data) == 11 and field.data.isascii() and field.data.isdigit()):
            raise StopValidation(_l("A T.C. identity number has exactly 11 digits."))
        if not tckimlik.is_valid(field.data):
            raise StopValidation(_l("This T.C. identity number is not valid: check the digits."))

    def validate_passport_no(self, field):
        if self.nationality.data == "TR":
            field.data = None
            return
        if not field.data:
            raise StopValidation(_l(
                "Enter your passport number, or your foreign identity number if you have one."))
        if not PASSPORT_RE.match(field.data):
            raise StopValidation(_l(
                "Use 5 to 30 letters, digits or hyphens for the passport or identity number."))
        field.data = field.data.upper()

    def validate_phone(self, field):
        if field.data and not PHONE_RE.match(field.data):
            raise StopValidation(_l("Enter a phone number with digits, such as 0532 123 45 67."))

    def validate_website(self, field):
        if field.data:
            raise StopValidation(_l("This field must stay empty."))

    def validate_subject(self, field):
        if field.data and CONTROL_RE.search(field.data):
            raise StopValidation(_l("Remove the invisible control characters from this field."))
