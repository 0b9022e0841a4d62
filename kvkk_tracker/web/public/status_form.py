"""The status lookup form, and the applicant's answer on the status page."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ...services.applicant import MAX_ANSWER
from ..forms import SafeForm
from .forms import no_control_chars, strip


class StatusForm(SafeForm):
    tracking_no = StringField(_l("Tracking number"), validators=[
        DataRequired(_l("Enter your tracking number.")), Length(max=40)])
    access_code = PasswordField(_l("Access code"), validators=[
        DataRequired(_l("Enter your access code.")), Length(max=40)])


class AnswerForm(SafeForm):
    """The answer to a request for more information.

    The status lookup is a POST so the access code never lands in a URL; the answer therefore
    carries the number and code again (hidden) and the route checks them anew.
    """

    FILE_FIELDS = ("answer_files",)

    tracking_no = HiddenField(validators=[Length(max=40)])
    access_code = HiddenField(validators=[Length(max=40)])
    body = TextAreaField(_l("Your answer"), filters=[strip], validators=[
        no_control_chars,
        Length(max=MAX_ANSWER, message=_l("Use at most %(max)d characters."))])
    answer_files = MultipleFileField(_l("Documents"))
