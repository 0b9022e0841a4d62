"""An admin sees which accounts are locked, and lifts a lock: by unlocking it, or by setting a
new password. Neither changes what a stranger learns at the sign-in form."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import AuditEvent, User
from tests.auth.test_enumeration import MESSAGE

from .conftest import PASSWORD, flashes, login, make_user, text

MAX_FAILURES = 3
NEW_PASSWORD = "a brand new passphrase"
# 09:30 UTC is 12:30 in Istanbul (UTC+3 all year).
FAR_AHEAD = datetime(2099, 6, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def app(make_app):
    return make_app(KVKK_LOGIN_MAX_FAILURES=MAX_FAILURES)


@pytest.fixture
def admin(app):
    return make_user(app, "admin")


def lock_by_failing(app, user) -> None:
    client = app.test_client()
    for _ in range(MAX_FAILURES):
        assert client.post("/login", data={"email": user.email,
                                           "password": "wrong"}).status_code == 401


def locked_until(app, user) -> datetime | None:
    with app.app_context():
        return db.session.get(User, user.id).locked_until


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        found = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        db.session.expunge_all()
        return found


def sign_in(app, user, password: str = PASSWORD):
    client = app.test_client()
    client.set_cookie("lang", "en")
    return client.post("/login", data={"email": user.email, "password": password})


def row(page: str, email: str) -> str:
    return re.search(rf'<tr data-testid="user-row" data-email="{re.escape(email)}">(.*?)</tr>',
                     page, re.S).group(1)


def test_the_users_page_shows_a_lock_in_istanbul_time_with_an_unlock_button(app, admin):
    locked = make_user(app, "officer", email="locked@example.com.tr")
    make_user(app, "officer", email="free@example.com.tr")
    with app.app_context():
        db.session.get(User, locked.id).locked_until = FAR_AHEAD
        db.session.commit()
    page = text(login(app.test_client(), admin).get("/office/admin/users"))
    locked_row = row(page, "locked@example.com.tr")
    assert "Locked until 01.06.2099 12:30" in locked_row
    assert f'action="/office/admin/users/{locked.id}/unlock"' in locked_row
    assert 'name="csrf_token"' in locked_row
    free_row = row(page, "free@example.com.tr")
    assert 'data-testid="unlock"' not in free_row and "Locked" not in free_row


def test_a_lock_that_has_run_out_is_not_shown(app, admin):
    past = make_user(app, "officer", email="past@example.com.tr")
    with app.app_context():
        db.session.get(User, past.id).locked_until = datetime(2020, 1, 1, tzinfo=UTC)
        db.session.commit()
    page = text(login(app.test_client(), admin).get("/office/admin/users"))
    assert 'data-testid="unlock"' not in row(page, "past@example.com.tr")


def test_the_lock_column_reads_turkish(app, admin):
    locked = make_user(app, "officer", email="locked@example.com.tr")
    with app.app_context():
        db.session.get(User, locked.id).locked_until = FAR_AHEAD
        db.session.commit()
    client = login(app.test_client(), admin)
    client.set_cookie("lang", "tr")
    page = text(client.get("/office/admin/users"))
    assert "01.06.2099 12:30 tarihine kadar kilitli" in row(page, "locked@example.com.tr")
    assert "Kilidi aç" in page and "Yeni parola belirle" in page


def test_unlocking_lets_the_person_sign_in_at_once_and_is_audited(app, admin):
    officer = make_user(app, "officer")
    lock_by_failing(app, officer)
    until = locked_until(app, officer)
    assert until is not None
    # Locked: the right password gets the same answer as a stranger's guess.
    refused = sign_in(app, officer)
    assert refused.status_code == 401 and MESSAGE in text(refused)

    client = login(app.test_client(), admin)
    response = client.post(f"/office/admin/users/{officer.id}/unlock", follow_redirects=True)
    assert response.status_code == 200
    assert flashes(text(response)) == [f"{officer.email} can sign in again."]
    assert 'data-testid="unlock"' not in text(response)
    assert locked_until(app, officer) is None
    (event,) = events(app, "user.unlocked")
    assert event.actor == f"user:{admin.id}"
    assert event.data == {"user_id": officer.id, "locked_until": until.isoformat()}
    with app.app_context():
        assert db.session.get(User, officer.id).failed_logins == 0
    assert sign_in(app, officer).status_code == 302


def test_unlocking_an_account_that_is_not_locked_says_so_and_records_nothing(app, admin):
    officer = make_user(app, "officer")
    client = login(app.test_client(), admin)
    for user_id in (officer.id, 999_999):
        response = client.post(f"/office/admin/users/{user_id}/unlock", follow_redirects=True)
        assert flashes(text(response)) == ["This account is not locked."]
    assert events(app, "user.unlocked") == []


def test_only_admins_unlock(app):
    officer = make_user(app, "officer")
    lock_by_failing(app, officer)
    supervisor = login(app.test_client(), make_user(app, "supervisor"))
    assert supervisor.post(f"/office/admin/users/{officer.id}/unlock").status_code == 403
    assert locked_until(app, officer) is not None


def test_a_new_password_set_by_the_admin_lifts_the_lock(app, admin):
    officer = make_user(app, "officer")
    lock_by_failing(app, officer)
    until = locked_until(app, officer)
    client = login(app.test_client(), admin)
    page = text(client.get("/office/admin/users"))
    assert f'<option value="{officer.id}">' in page
    assert f'<option value="{admin.id}">' not in page  # their own would end their session
    response = client.post("/office/admin/users/password",
                           data={"reset-user": str(officer.id), "reset-password": NEW_PASSWORD},
                           follow_redirects=True)
    assert response.status_code == 200
    assert flashes(text(response)) == [
        f"New password set for {officer.email}; their open sessions have ended.",
        "The account was locked: the lock is lifted too."]
    assert locked_until(app, officer) is None
    (event,) = events(app, "user.password_changed")
    assert event.actor == f"user:{admin.id}"
    assert event.data == {"user_id": officer.id, "unlocked": True,
                          "locked_until": until.isoformat()}
    assert events(app, "user.unlocked") == []  # one action, one event
    assert sign_in(app, officer).status_code == 401  # the old password is gone
    assert sign_in(app, officer, NEW_PASSWORD).status_code == 302


def test_a_new_password_for_an_unlocked_account_says_nothing_of_a_lock(app, admin):
    officer = make_user(app, "officer")
    client = login(app.test_client(), admin)
    response = client.post("/office/admin/users/password",
                           data={"reset-user": str(officer.id), "reset-password": NEW_PASSWORD},
                           follow_redirects=True)
    assert flashes(text(response)) == [
        f"New password set for {officer.email}; their open sessions have ended."]
    assert events(app, "user.password_changed")[0].data == {"user_id": officer.id}


@pytest.mark.parametrize(("data", "errors"), [
    ({}, ["Choose a user.", "Enter a password."]),
    ({"reset-user": "OWN", "reset-password": NEW_PASSWORD}, ["Choose one of the listed options."]),
    ({"reset-user": "999999", "reset-password": NEW_PASSWORD},
     ["Choose one of the listed options."]),
    ({"reset-user": "OFFICER", "reset-password": "short"}, ["Use at least 12 characters."]),
])
def test_a_refused_new_password_says_why_and_changes_nothing(app, admin, data, errors):
    officer = make_user(app, "officer")
    lock_by_failing(app, officer)
    ids = {"OWN": str(admin.id), "OFFICER": str(officer.id)}
    data = {k: ids.get(v, v) for k, v in data.items()}
    response = login(app.test_client(), admin).post("/office/admin/users/password", data=data)
    assert response.status_code == 400
    summary = re.search(r'<div class="error-summary".*?</div>', text(response), re.S).group(0)
    assert [re.sub(r"<[^>]+>", "", m).split(": ", 1)[1]
            for m in re.findall(r"<li>(.*?)</li>", summary)] == errors
    assert locked_until(app, officer) is not None
    assert events(app, "user.password_changed") == []
    assert sign_in(app, officer, NEW_PASSWORD).status_code == 401
