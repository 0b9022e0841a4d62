"""The admin's dead-mail page: admins only, with each message's error."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from kvkk_tracker.extensions import db
from kvkk_tracker.services import outbox
from kvkk_tracker.services import users as user_service
from tests.office.conftest import login, make_user

from .conftest import ist


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(user_service, "_hasher", cheap)
    monkeypatch.setattr(user_service, "_dummy_hash", lambda: cheap.hash("not-a-real-password"))


@pytest.fixture
def dead_mail(app):
    with app.app_context():
        message = outbox.queue(db.session, ist(2026, 4, 1), kind="reminder", dedupe_key="x",
                               recipient="yok@example.com.tr", subject="[KVKK] Hatırlatma",
                               body="b")
        message.state, message.attempts = "dead", 12
        message.last_error = "SMTP 550: 5.1.1 no such mailbox"
        db.session.commit()


@pytest.mark.parametrize(("role", "status"), [
    (None, 302), ("officer", 403), ("supervisor", 403), ("auditor", 403), ("admin", 200)])
def test_only_admins_see_dead_mail(app, dead_mail, role, status):
    client = app.test_client()
    if role is not None:
        login(client, make_user(app, role))
    response = client.get("/office/admin/outbox")
    assert response.status_code == status
    if role is None:
        assert "/login" in response.headers["Location"]
    if status == 200:
        page = response.get_data(as_text=True)
        assert "yok@example.com.tr" in page and "SMTP 550: 5.1.1 no such mailbox" in page
        assert "01.04.2026 10:00" in page  # shown in Istanbul time
