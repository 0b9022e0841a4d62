"""Staff login and logout, with lockout, two-factor codes and idle timeout."""

from __future__ import annotations

import pyotp
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_user, logout_user

from ...clock import utcnow
from ...extensions import db, limiter, login_manager
from ...models import User
from ...services import users as user_service
from ..helpers import begin_read_only, client_ip
from .forms import LoginForm, TotpForm

bp = Blueprint("auth", __name__)
PENDING_2FA = "pending_2fa_user"
LAST_SEEN = "last_seen"


def init_login(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    _protect_signed_in_sessions_only()

    @login_manager.user_loader
    def _load(user_key: str) -> User | None:
        user_id, _sep, token = user_key.partition(":")
        if not user_id.isdigit():
            return None
        # The idle-timeout hook below loads the user before any blueprint hook runs: begin
        # a GET's read-only transaction here, or the page would hold the write lock.
        began = begin_read_only()
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or user.session_token != token:
            if began:
                # No such user: the database may be empty, and the first-run hook, which
                # runs next, would create the first admin in a transaction that cannot write.
                db.session.rollback()
            return None
        return user

    @app.before_request
    def _idle_timeout():
        if not current_user.is_authenticated:
            return None
        now = utcnow().timestamp()
        idle = current_app.config["PERMANENT_SESSION_LIFETIME"]
        seen = session.get(LAST_SEEN, now)
        if now - seen > idle.total_seconds():
            logout_user()
            session.clear()
            flash(_("You were signed out after a period of inactivity."), "info")
            return redirect(url_for("auth.login", next=request.path))
        session[LAST_SEEN] = now
        return None


def _protect_signed_in_sessions_only() -> None:
    """Run Flask-Login's session protection only where there is a login to protect.

    A public visitor's session holds just a CSRF token. "Strong" protection counts it as failed
    and answers every page with a Set-Cookie deleting remember_token, a cookie the cookie page
    rightly does not list.
    """

    def failed() -> bool:
        remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        if "_user_id" not in session and remember_cookie not in request.cookies:
            return False
        return LoginManager._session_protection_failed(login_manager)

    login_manager._session_protection_failed = failed


def totp_required(user: User) -> bool:
    return user.role in current_app.config["KVKK_TOTP_REQUIRED_ROLES"]


def _start_session(user: User) -> None:
    session.clear()
    session.permanent = True
    login_user(user)
    session[LAST_SEEN] = utcnow().timestamp()
    user_service.record_login(db.session, user, utcnow(), client_ip())
    db.session.commit()


def home_for(user: User) -> str:
    return url_for("office.users") if user.role == "admin" else url_for("office.queue")


def _safe_next(user: User) -> str:
    target = request.args.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return home_for(user)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["KVKK_RATELIMIT_LOGIN"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        policy = user_service.LockoutPolicy(current_app.config["KVKK_LOGIN_MAX_FAILURES"],
                                            current_app.config["KVKK_LOGIN_LOCK_MINUTES"])
        try:
            user = user_service.authenticate(db.session, form.email.data, form.password.data,
                                             utcnow(), client_ip(), policy)
        except user_service.LoginFailed:
            # One answer for an unknown e-mail, a wrong password and a locked account (a
            # LockedOut is a LoginFailed), or the answer would tell who has an account here.
            # The audit trail still tells them apart.
            db.session.commit()
            form.form_errors.append(_("The e-mail or the password is wrong, or the account is "
                                      "locked for a while after too many failed attempts."))
            return render_template("auth/login.html", form=form), 401
        db.session.commit()
        if user.totp_enabled:
            session.clear()
            session[PENDING_2FA] = user.get_id()
            return redirect(url_for("auth.totp", next=request.args.get("next")))
        _start_session(user)
        return redirect(_safe_next(user))
    code = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), code


@bp.route("/login/totp", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["KVKK_RATELIMIT_LOGIN"], methods=["POST"])
def totp():
    pending = session.get(PENDING_2FA, "")
    user_id, _sep, token = pending.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or user.session_token != token or not user.totp_enabled:
        return redirect(url_for("auth.login"))
    form = TotpForm()
    if form.validate_on_submit():
        if pyotp.TOTP(user.totp_secret).verify(form.code.data.strip(), valid_window=1):
            _start_session(user)
            return redirect(_safe_next(user))
        form.code.errors = [*form.code.errors, _("This code is wrong or has expired.")]
        return render_template("auth/totp.html", form=form), 401
    return render_template("auth/totp.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))

