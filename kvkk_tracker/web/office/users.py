"""User administration for the admin role: list, create, disable. No case content."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from ...clock import utcnow
from ...extensions import db
from ...models import ROLES, User
from ...services import users as user_service
from ...services.cases import user_actor
from ..forms import SafeForm
from ..helpers import client_ip
from .blueprint import bp, roles_required


class UserForm(SafeForm):
    email = StringField(_l("E-mail"), validators=[
        DataRequired(_l("Enter an e-mail address.")),
        Email(_l("Enter a valid e-mail address, such as ad@ornek.com.tr."),
              check_deliverability=False), Length(max=254)])
    name = StringField(_l("Full name"), validators=[
        DataRequired(_l("Enter the person's name.")), Length(max=200)])
    title = StringField(_l("Title"), validators=[Length(max=200)])
    role = SelectField(_l("Role"))
    password = PasswordField(_l("Initial password"), validators=[
        DataRequired(_l("Enter a password.")),
        Length(min=user_service.MIN_PASSWORD_LENGTH, max=500,
               message=_l("Use at least %(min)d characters."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set here, not in the field: WTForms 3.3 deprecates tuple choices in the constructor.
        self.role.choices = [(r, r) for r in ROLES]


@bp.route("/admin/users", methods=["GET", "POST"])
@roles_required("admin")
def users():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user_service.create_user(
                db.session, user_actor(current_user, client_ip()), utcnow(),
                email=form.email.data, name=form.name.data, role=form.role.data,
                password=form.password.data, title=form.title.data or None)
        except user_service.UserError as error:
            db.session.rollback()
            form.email.errors = [*form.email.errors, _("A user with this e-mail exists.")] \
                if error.field == "email" else form.email.errors
        else:
            db.session.commit()
            flash(_("User created."), "success")
            return redirect(url_for("office.users"))
    status = 400 if form.is_submitted() else 200
    listing = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template("office/users.html", form=form, users=listing), status


@bp.post("/admin/users/<int:user_id>/disable")
@roles_required("admin")
def disable_user(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or user.id == current_user.id:
        flash(_("This user cannot be disabled here."), "error")
        return redirect(url_for("office.users"))
    user_service.disable_user(db.session, user_actor(current_user, client_ip()), utcnow(), user)
    db.session.commit()
    flash(_("User disabled."), "success")
    return redirect(url_for("office.users"))
