"""Staff accounts: creation, password checks with lockout, disabling, the first-run admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kvkk_tracker.models import AuditEvent, User
from kvkk_tracker.services import users
from kvkk_tracker.services.actors import Actor
from tests.builders import FIXED_NOW

from .conftest import PASSWORD

ACTOR = Actor("system", "test")
POLICY = users.LockoutPolicy(max_failures=3, lock_minutes=15)


def test_creating_a_user_normalises_the_email_and_audits_without_the_password(session,
                                                                              audit_log):
    audit_log.start()
    user = users.create_user(session, ACTOR, FIXED_NOW, email="  Ayşe.Kaya@Example.COM.tr ",
                             name=" Ayşe Kaya ", role="officer", password=PASSWORD)
    assert (user.email, user.name, user.active, user.created_at) == (
        "ayşe.kaya@example.com.tr", "Ayşe Kaya", True, FIXED_NOW)
    assert user.password_hash.startswith("$argon2") and PASSWORD not in user.password_hash
    event = audit_log.one("user.created")
    assert event.data == {"user_id": user.id, "email": user.email, "role": "officer"}
    assert PASSWORD not in str(event.data)


@pytest.mark.parametrize(("kwargs", "field", "why"), [
    ({"role": "root"}, "role", "unknown_role"),
    ({"password": "short"}, "password", "too_short"),
    ({"email": "OFFICER1@example.com.tr"}, "email", "exists"),
])
def test_creation_refuses_bad_input(session, create_user, kwargs, field, why):
    create_user("officer", email="officer1@example.com.tr")
    arguments = {"email": "new@example.com.tr", "name": "Yeni", "role": "officer",
                 "password": PASSWORD, **kwargs}
    with pytest.raises(users.UserError) as raised:
        users.create_user(session, ACTOR, FIXED_NOW, **arguments)
    assert (raised.value.field, raised.value.why) == (field, why)


def test_the_right_password_signs_in_and_resets_the_failure_count(session, create_user):
    user = create_user(email="zeynep@example.com.tr")
    with pytest.raises(users.LoginFailed):
        users.authenticate(session, "zeynep@example.com.tr", "wrong", FIXED_NOW, None, POLICY)
    assert user.failed_logins == 1
    signed_in = users.authenticate(session, " Zeynep@Example.com.tr", PASSWORD, FIXED_NOW,
                                   "10.0.0.1", POLICY)
    assert signed_in is user
    assert (user.failed_logins, user.locked_until, user.last_login_at) == (0, None, FIXED_NOW)


def test_repeated_failures_lock_the_account_until_lock_minutes_pass(session, create_user,
                                                                    audit_log):
    user = create_user(email="ugur@example.com.tr")
    audit_log.start()
    for attempt in range(POLICY.max_failures):
        with pytest.raises(users.LoginFailed):
            users.authenticate(session, user.email, "wrong", FIXED_NOW + timedelta(
                seconds=attempt), "10.0.0.9", POLICY)
    locked_at = FIXED_NOW + timedelta(seconds=POLICY.max_failures - 1)
    assert user.locked_until == locked_at + timedelta(minutes=POLICY.lock_minutes)
    failures = audit_log.new_events()
    assert [e.action for e in failures] == ["login.failed"] * POLICY.max_failures
    assert failures[-1].data["locked_until"] == user.locked_until.isoformat()
    assert {e.ip for e in failures} == {"10.0.0.9"}

    # Even the right password is refused while locked...
    just_before = user.locked_until - timedelta(seconds=1)
    with pytest.raises(users.LockedOut) as raised:
        users.authenticate(session, user.email, PASSWORD, just_before, None, POLICY)
    assert raised.value.until == user.locked_until
    # ...and accepted once the lock has run out, judged by the `now` passed in.
    assert users.authenticate(session, user.email, PASSWORD, user.locked_until, None,
                              POLICY) is user
    assert user.locked_until is None


def test_the_default_policy_locks_after_five_failures(session, create_user):
    user = create_user()
    for _ in range(4):
        with pytest.raises(users.LoginFailed):
            users.authenticate(session, user.email, "wrong", FIXED_NOW, None)
    assert user.locked_until is None
    with pytest.raises(users.LoginFailed):
        users.authenticate(session, user.email, "wrong", FIXED_NOW, None)
    assert user.locked_until == FIXED_NOW + timedelta(minutes=15)


def test_an_unknown_email_fails_exactly_like_a_wrong_password(session, create_user, audit_log):
    create_user(email="real@example.com.tr")
    audit_log.start()
    for _ in range(POLICY.max_failures + 2):  # never turns into LockedOut
        with pytest.raises(users.LoginFailed) as raised:
            users.authenticate(session, "ghost@example.com.tr", PASSWORD, FIXED_NOW, None,
                               POLICY)
        assert type(raised.value) is users.LoginFailed
    with pytest.raises(users.LoginFailed) as wrong:
        users.authenticate(session, "real@example.com.tr", "wrong", FIXED_NOW, None, POLICY)
    assert type(wrong.value) is type(raised.value) and str(wrong.value) == str(raised.value)
    assert {e.data.get("why") for e in audit_log.new_events()[:-1]} == {"unknown"}


def test_a_disabled_account_cannot_sign_in_even_with_the_right_password(session, create_user,
                                                                        audit_log):
    user = create_user()
    token = user.session_token
    audit_log.start()
    users.disable_user(session, ACTOR, FIXED_NOW, user)
    assert audit_log.one("user.disabled").data == {"user_id": user.id}
    assert not user.active and user.session_token != token
    with pytest.raises(users.LoginFailed):
        users.authenticate(session, user.email, PASSWORD, FIXED_NOW, None, POLICY)


def test_changing_the_password_ends_old_sessions(session, create_user, audit_log):
    user = create_user()
    token = user.session_token
    with pytest.raises(users.UserError):
        users.set_password(session, ACTOR, FIXED_NOW, user, "short")
    audit_log.start()
    users.set_password(session, ACTOR, FIXED_NOW, user, "a brand new passphrase")
    assert user.session_token != token
    assert audit_log.one("user.password_changed").data == {"user_id": user.id}
    assert users.authenticate(session, user.email, "a brand new passphrase", FIXED_NOW,
                              None) is user


def test_a_successful_login_is_recorded(session, create_user, audit_log):
    user = create_user()
    audit_log.start()
    users.record_login(session, user, FIXED_NOW, "10.0.0.2")
    event = audit_log.one("login.succeeded")
    assert (event.actor, event.ip, event.data) == (f"user:{user.id}", "10.0.0.2",
                                                   {"user_id": user.id})


def test_the_first_admin_is_created_once_with_a_working_password(session):
    password = users.ensure_initial_admin(session, FIXED_NOW)
    assert password and len(password) >= users.MIN_PASSWORD_LENGTH
    admin = users.authenticate(session, "admin", password, FIXED_NOW, None)
    assert admin.role == "admin"
    assert users.ensure_initial_admin(session, FIXED_NOW) is None
    assert session.scalar(select(func.count()).select_from(User)) == 1
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created"))
    assert event.actor == "system:first-run" and password not in str(event.data)


def test_no_first_admin_when_anyone_exists(session, create_user):
    create_user("officer")
    assert users.ensure_initial_admin(session, FIXED_NOW) is None
