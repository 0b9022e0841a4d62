"""User administration for the admin role: list, create, set a password, unlock, disable.

No case content.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length

from ...clock import utcnow
from ...extensions import db
from ...models import ROLES, User
from ...services import users as user_service
from ...services.cases import user_actor
from ..forms import SafeForm
from ..helpers import client_ip
from ..public.forms import ChoiceField
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


class PasswordForm(SafeForm):
    """A new password an admin sets for someone else (who forgot theirs, or is locked out)."""

    user = ChoiceField(_l("User"), validators=[InputRequired(_l("Choose a user."))])
    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a password.")),
        Length(min=user_service.MIN_PASSWORD_LENGTH, max=500,
               message=_l("Use at least %(min)d characters."))])

    def __init__(self, listing, admin_id: int, *args, **kwargs):
        super().__init__(*args, prefix="reset", **kwargs)
        # Not the admin's own: that would end the session they are using.
        self.user.choices = [("", str(_l("Choose…")))] + [
            (str(u.id), f"{u.name} <{u.email}>") for u in listing if u.id != admin_id]


def _listing():
    return db.session.scalars(select(User).order_by(User.email)).all()


def _page(form: UserForm, password_form: PasswordForm, listing, status: int):
    config = current_app.config
    lockout = user_service.LockoutPolicy(config["KVKK_LOGIN_MAX_FAILURES"],
                                         config["KVKK_LOGIN_LOCK_MINUTES"])
    return render_template("office/users.html", form=form, password_form=password_form,
                           users=listing, now=utcnow(), lockout=lockout,
                           is_locked=user_service.is_locked), status


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
    listing = _listing()
    return _page(form, PasswordForm(listing, current_user.id, formdata=None), listing,
                 400 if form.is_submitted() else 200)


@bp.post("/admin/users/password")
@roles_required("admin")
def user_password():
    listing = _listing()
    form = PasswordForm(listing, current_user.id)
    if form.validate_on_submit():
        user = db.session.get(User, int(form.user.data))
        now = utcnow()
        was_locked = user_service.is_locked(user, now)
        user_service.set_password(db.session, user_actor(current_user, client_ip()), now, user,
                                  form.password.data)
        db.session.commit()
        flash(_("New password set for %(email)s; their open sessions have ended.",
                email=user.email), "success")
        if was_locked:
            flash(_("The account was locked: the lock is lifted too."), "success")
        return redirect(url_for("office.users"))
    return _page(UserForm(formdata=None), form, listing, 400)


@bp.post("/admin/users/<int:user_id>/unlock")
@roles_required("admin")
def unlock_user(user_id: int):
    user = db.session.get(User, user_id)
    try:
        if user is None:
            raise user_service.UserError("user", "unknown")
        user_service.unlock_user(db.session, user_actor(current_user, client_ip()), utcnow(),
                                 user)
    except user_service.UserError:
        db.session.rollback()
        # A second click, or a lock that ran out meanwhile: nothing to lift.
        flash(_("This account is not locked."), "error")
    else:
        db.session.commit()
        flash(_("%(email)s can sign in again.", email=user.email), "success")
    return redirect(url_for("office.users"))


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
