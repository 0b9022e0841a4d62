"""Staff sign-in: wrong passwords, lockout, two-factor, idle timeout, disabled accounts."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlparse

import pyotp

from .conftest import PASSWORD, audit_actions, flashes, login, make_user, text


def path(response) -> str:
    return urlparse(response.headers["Location"]).path


def sign_in(client, user, password=PASSWORD, **query):
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return client.post(f"/login{suffix}", data={"email": user.email, "password": password})


WRONG = ("The e-mail or the password is wrong, or the account is locked for a while after too "
         "many failed attempts.")


def test_a_wrong_password_is_401_with_a_message(app):
    officer = make_user(app, "officer")
    client = app.test_client()
    client.set_cookie("lang", "en")
    response = sign_in(client, officer, "not the password")
    assert response.status_code == 401
    assert WRONG in text(response)
    unknown = client.post("/login", data={"email": "nobody@example.com", "password": "x" * 12})
    assert unknown.status_code == 401
    assert WRONG in text(unknown)
    assert audit_actions(app).count("login.failed") == 2
    response = sign_in(client, officer)
    assert response.status_code == 302 and path(response) == "/office/"
    assert audit_actions(app)[-1] == "login.succeeded"


def test_the_account_locks_after_too_many_failures(make_app):
    app = make_app(KVKK_LOGIN_MAX_FAILURES=3)
    officer = make_user(app, "officer")
    client = app.test_client()
    client.set_cookie("lang", "en")
    for _ in range(3):
        assert sign_in(client, officer, "wrong password!").status_code == 401
    locked = sign_in(client, officer)  # even the right password is refused now...
    # ...with the answer a wrong password gets: tests/auth/test_enumeration.py
    assert locked.status_code == 401
    assert WRONG in text(locked)
    assert client.get("/office/").status_code == 302


def test_admins_must_enrol_two_factor_and_then_need_a_code(app):
    admin = make_user(app, "admin", totp=False)
    client = app.test_client()
    client.set_cookie("lang", "en")
    response = sign_in(client, admin)
    assert response.status_code == 302
    response = client.get(response.headers["Location"])
    assert response.status_code == 302 and path(response) == "/office/account/totp"
    # Every office page leads back to the enrolment until it is done.
    assert path(client.get("/office/admin/users")) == "/office/account/totp"
    page = text(client.get("/office/account/totp"))
    assert "Your role requires two-factor sign-in" in page
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert client.post("/office/account/totp", data={"code": "000000"}).status_code == 400
    response = client.post("/office/account/totp", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and path(response) == "/office/admin/users"
    assert client.get("/office/admin/users").status_code == 200
    assert "user.totp_enrolled" in audit_actions(app)

    client.post("/logout")
    response = sign_in(client, admin)
    assert path(response) == "/login/totp"
    assert client.get("/office/admin/users").status_code == 302  # not signed in yet
    wrong = client.post("/login/totp", data={"code": "123456"})
    assert wrong.status_code == 401 and "This code is wrong or has expired." in text(wrong)
    response = client.post("/login/totp", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and path(response) == "/office/admin/users"


def test_officers_need_no_second_factor_unless_the_setting_says_so(make_app):
    relaxed = make_app()
    client = relaxed.test_client()
    response = sign_in(client, make_user(relaxed, "officer"))
    assert path(response) == "/office/"
    assert client.get("/office/").status_code == 200

    strict = make_app(KVKK_TOTP_REQUIRED_ROLES=("officer", "admin"))
    client = strict.test_client()
    sign_in(client, make_user(strict, "officer"))
    assert path(client.get("/office/")) == "/office/account/totp"


def test_an_idle_session_times_out(make_app):
    app = make_app(PERMANENT_SESSION_LIFETIME=timedelta(seconds=60))
    client = login(app.test_client(), make_user(app, "officer"))
    assert client.get("/office/").status_code == 200
    with client.session_transaction() as session:
        session["last_seen"] -= 30
    assert client.get("/office/").status_code == 200  # still within the minute
    with client.session_transaction() as session:
        session["last_seen"] -= 61
    response = client.get("/office/")
    assert response.status_code == 302 and path(response) == "/login"
    page = text(client.get(response.headers["Location"]))
    assert "You were signed out after a period of inactivity." in " ".join(flashes(page))
    assert client.get("/office/").status_code == 302


def test_disabling_a_user_ends_their_session(app):
    officer = make_user(app, "officer")
    admin = make_user(app, "admin")
    officer_client = login(app.test_client(), officer)
    assert officer_client.get("/office/").status_code == 200
    admin_client = login(app.test_client(), admin)
    response = admin_client.post(f"/office/admin/users/{officer.id}/disable")
    assert response.status_code == 302
    assert "User disabled." in " ".join(flashes(text(admin_client.get("/office/admin/users"))))
    response = officer_client.get("/office/")
    assert response.status_code == 302 and path(response) == "/login"
    assert sign_in(app.test_client(), officer).status_code == 401


def test_the_next_parameter_never_leaves_the_site(app):
    officer = make_user(app, "officer")
    response = sign_in(app.test_client(), officer, next="//evil.example/steal")
    assert response.headers["Location"] == "/office/"
    response = sign_in(app.test_client(), officer, next="/office/?overdue=1")
    assert response.headers["Location"] == "/office/?overdue=1"


def test_sign_out(app):
    client = login(app.test_client(), make_user(app, "officer"))
    response = client.post("/logout")
    assert response.status_code == 302 and path(response) == "/login"
    assert client.get("/office/").status_code == 302
