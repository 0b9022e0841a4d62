"""Login forms."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from ..forms import SafeForm
from ..public.forms import no_control_chars


class LoginForm(SafeForm):
    email = StringField(_l("E-mail or user name"), validators=[
        DataRequired(_l("Enter your e-mail or user name.")), no_control_chars,
        Length(max=254)])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password.")), Length(max=500)])


class TotpForm(SafeForm):
    code = StringField(_l("Six-digit code"), validators=[
        DataRequired(_l("Enter the code from your authenticator app.")),
        Regexp(r"^\s*\d{6}\s*$", message=_l("The code has six digits."))])
