"""Sign-in answers never tell a stranger whether an e-mail has an account, nor that it is locked.

An unknown e-mail, a wrong password and a locked account (even with the right password) get
the same status, the same page and the same amount of password hashing. The lock still holds,
and the audit trail still tells the three apart.
"""

from __future__ import annotations

import re

import pytest

from kvkk_tracker.services import users as user_service
from tests.office.conftest import CHEAP_HASHER, PASSWORD, audit_actions, make_user, text

MESSAGE = ("The e-mail or the password is wrong, or the account is locked for a while after too "
           "many failed attempts.")
MAX_FAILURES = 3


@pytest.fixture
def verifications(monkeypatch):
    """Count argon2 verifications: each costs ~0.5 s in production, so a path that skips one
    answers measurably sooner."""
    calls = []

    class Counting(type(CHEAP_HASHER)):
        def verify(self, stored, password):
            calls.append(stored)
            return super().verify(stored, password)

    hasher = Counting(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(user_service, "_hasher", hasher)
    dummy = hasher.hash("not-a-real-password")
    monkeypatch.setattr(user_service, "_dummy_hash", lambda: dummy)
    return calls


@pytest.fixture
def app(make_app):
    return make_app(KVKK_LOGIN_MAX_FAILURES=MAX_FAILURES)


def attempt(app, email: str, password: str):
    client = app.test_client()
    client.set_cookie("lang", "en")
    return client, client.post("/login", data={"email": email, "password": password})


def shown(response, email: str) -> str:
    """The page as a reader sees it, with the typed e-mail (echoed in its field) blanked."""
    page = text(response).replace(email, "EMAIL")
    return re.sub(r'name="csrf_token"[^>]*>', "", page)


def test_unknown_wrong_and_locked_get_the_same_answer(app, verifications):
    locked = make_user(app, "officer", email="locked@example.com.tr")
    real = make_user(app, "officer", email="real@example.com.tr")
    for _ in range(MAX_FAILURES):
        attempt(app, locked.email, "not the password")
    verifications.clear()

    cases = {
        "unknown": ("nobody@example.com.tr", PASSWORD),
        "wrong password": (real.email, "not the password"),
        "locked, wrong password": (locked.email, "not the password"),
        "locked, right password": (locked.email, PASSWORD),
    }
    answers = {}
    for name, (email, password) in cases.items():
        before = len(verifications)
        client, response = attempt(app, email, password)
        answers[name] = (response.status_code, shown(response, email),
                         sorted(response.headers.getlist("Set-Cookie")),
                         len(verifications) - before)
        assert MESSAGE in text(response), name
        assert client.get("/office/").status_code == 302, name  # not signed in

    assert {a[0] for a in answers.values()} == {401}
    assert len({a[1] for a in answers.values()}) == 1, "the pages differ"
    assert len({tuple(a[2]) for a in answers.values()}) == 1, "the cookies differ"
    assert {a[3] for a in answers.values()} == {1}, "one argon2 verification each"
    assert "Too many failed attempts" not in answers["locked, right password"][1]


def test_the_lock_still_holds_and_is_audited(app):
    officer = make_user(app, "officer")
    for _ in range(MAX_FAILURES):
        assert attempt(app, officer.email, "not the password")[1].status_code == 401
    client, response = attempt(app, officer.email, PASSWORD)
    assert response.status_code == 401
    assert client.get("/office/").status_code == 302
    actions = audit_actions(app)
    assert actions.count("login.failed") == MAX_FAILURES
    assert actions[-1] == "login.locked"
    assert "login.succeeded" not in actions
