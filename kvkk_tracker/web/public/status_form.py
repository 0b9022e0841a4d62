"""The status lookup form."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..forms import SafeForm


class StatusForm(SafeForm):
    tracking_no = StringField(_l("Tracking number"), validators=[
        DataRequired(_l("Enter your tracking number.")), Length(max=40)])
    access_code = PasswordField(_l("Access code"), validators=[
        DataRequired(_l("Enter your access code.")), Length(max=40)])
