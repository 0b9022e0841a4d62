"""Lifting a sign-in lock: by an admin's unlock, or by setting a new password."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kvkk_tracker.services import users
from kvkk_tracker.services.actors import Actor
from tests.builders import FIXED_NOW

from .conftest import PASSWORD

ADMIN = Actor("user", "1", "10.0.0.5")
POLICY = users.LockoutPolicy(max_failures=3, lock_minutes=15)


def lock(session, user) -> None:
    for _ in range(POLICY.max_failures):
        with pytest.raises(users.LoginFailed):
            users.authenticate(session, user.email, "wrong", FIXED_NOW, None, POLICY)
    assert users.is_locked(user, FIXED_NOW)


def test_an_unlock_lifts_the_lock_at_once_and_is_audited(session, create_user, audit_log):
    user = create_user()
    lock(session, user)
    until = user.locked_until
    user.failed_logins = 2  # a failure counted after the lock ran out once before
    audit_log.start()
    users.unlock_user(session, ADMIN, FIXED_NOW + timedelta(minutes=1), user)
    event = audit_log.one("user.unlocked")
    assert (event.actor, event.ip) == ("user:1", "10.0.0.5")
    assert event.data == {"user_id": user.id, "locked_until": until.isoformat()}
    assert (user.locked_until, user.failed_logins) == (None, 0)
    # The right password works straight away, well before the lock would have run out.
    assert users.authenticate(session, user.email, PASSWORD, FIXED_NOW + timedelta(minutes=1),
                              None, POLICY) is user


@pytest.mark.parametrize("locked_until", [None, FIXED_NOW, FIXED_NOW - timedelta(hours=1)])
def test_an_account_not_locked_now_is_refused_and_nothing_recorded(session, create_user,
                                                                   audit_log, locked_until):
    user = create_user()
    user.locked_until = locked_until
    audit_log.start()
    with pytest.raises(users.UserError) as raised:
        users.unlock_user(session, ADMIN, FIXED_NOW, user)
    assert (raised.value.field, raised.value.why) == ("user", "not_locked")
    assert audit_log.new_events() == []
    assert user.locked_until == locked_until


def test_a_new_password_lifts_the_lock_in_the_same_audited_action(session, create_user,
                                                                  audit_log):
    user = create_user()
    lock(session, user)
    until = user.locked_until
    audit_log.start()
    users.set_password(session, ADMIN, FIXED_NOW, user, "a brand new passphrase")
    event = audit_log.one("user.password_changed")
    assert event.data == {"user_id": user.id, "unlocked": True,
                          "locked_until": until.isoformat()}
    assert (user.locked_until, user.failed_logins) == (None, 0)
    assert users.authenticate(session, user.email, "a brand new passphrase", FIXED_NOW, None,
                              POLICY) is user


def test_a_new_password_restarts_the_failure_count_of_an_unlocked_account(session, create_user,
                                                                          audit_log):
    user = create_user()
    with pytest.raises(users.LoginFailed):
        users.authenticate(session, user.email, "wrong", FIXED_NOW, None, POLICY)
    audit_log.start()
    users.set_password(session, ADMIN, FIXED_NOW, user, "a brand new passphrase")
    assert audit_log.one("user.password_changed").data == {"user_id": user.id}
    assert user.failed_logins == 0


def test_a_too_short_password_leaves_the_lock_in_place(session, create_user, audit_log):
    user = create_user()
    lock(session, user)
    until = user.locked_until
    audit_log.start()
    with pytest.raises(users.UserError):
        users.set_password(session, ADMIN, FIXED_NOW, user, "short")
    assert user.locked_until == until
    assert audit_log.new_events() == []
