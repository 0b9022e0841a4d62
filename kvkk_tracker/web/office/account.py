"""The signed-in user's own account: two-factor enrolment."""

from __future__ import annotations

import pyotp
from flask import flash, redirect, render_template, session
from flask_babel import gettext as _
from flask_login import current_user

from ...clock import utcnow
from ...extensions import db
from ...services import audit
from ...services.cases import user_actor
from ..auth.forms import TotpForm
from ..auth.routes import home_for
from ..helpers import client_ip
from .blueprint import bp

ENROL_KEY = "totp_enrol_pending"


@bp.route("/account/totp", methods=["GET", "POST"])
def enrol_totp():
    secret = session.get(ENROL_KEY) or pyotp.random_base32()
    session[ENROL_KEY] = secret
    uri = pyotp.TOTP(secret).provisioning_uri(name=current_user.email,
                                              issuer_name="kvkk-tracker")
    form = TotpForm()
    if form.validate_on_submit():
        if pyotp.TOTP(secret).verify(form.code.data.strip(), valid_window=1):
            current_user.totp_secret = secret
            current_user.totp_enabled = True
            audit.record(db.session, user_actor(current_user, client_ip()), utcnow(),
                         "user.totp_enrolled", data={"user_id": current_user.id})
            db.session.commit()
            session.pop(ENROL_KEY, None)
            session.pop("totp_enrolment_required", None)
            flash(_("Two-factor sign-in is now on for your account."), "success")
            return redirect(home_for(current_user))
        form.code.errors = [*form.code.errors, _("This code is wrong or has expired.")]
        return render_template("office/enrol_totp.html", form=form, secret=secret, uri=uri), 400
    return render_template("office/enrol_totp.html", form=form, secret=secret, uri=uri)
