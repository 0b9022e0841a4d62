"""Builders for the office tests: staff users, applications, signed-in clients."""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from kvkk_tracker.clock import utcnow
from kvkk_tracker.domain.calendar import HolidayCalendar
from kvkk_tracker.domain.deadlines import DeadlinePolicy
from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application, AuditEvent
from kvkk_tracker.services import cases as case_service
from kvkk_tracker.services import users as user_service
from kvkk_tracker.services.actors import Actor, public_actor
from kvkk_tracker.services.attachments import FileStash, IncomingFile
from kvkk_tracker.services.intake import ApplicationInput, submit_application
from tests.builders import VALID_TCKN
from tests.conftest import _make_app

PASSWORD = "correct horse battery staple"
PDF = b"%PDF-1.4\n% a tiny test file\n"
TEST_ACTOR = Actor("system", "test")


CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Argon2 at production cost takes ~0.4 s per hash: far too slow for hundreds of logins."""
    monkeypatch.setattr(user_service, "_hasher", CHEAP_HASHER)
    monkeypatch.setattr(user_service, "_dummy_hash",
                        lambda: CHEAP_HASHER.hash("not-a-real-password"))


@contextmanager
def shared_app(db_template, tmp_path_factory, build, **overrides):
    """Yield (app, build(app)) for a module whose tests only read what `build` made.

    One database for many tests keeps the suite fast; tests that change data use `app`.
    """
    app, url = _make_app(db_template, tmp_path_factory.mktemp("shared"), **overrides)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(user_service, "_hasher", CHEAP_HASHER)
            made = build(app)
        yield app, made
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        db_template.drop_clone(url)


@dataclass(frozen=True)
class Staff:
    id: int
    email: str
    name: str
    role: str
    totp_secret: str | None = None


def make_user(app, role: str = "officer", *, name: str | None = None, email: str | None = None,
              totp: bool | None = None) -> Staff:
    """Create a staff account (committed). Admins get two-factor enrolled unless told not to."""
    totp = role == "admin" if totp is None else totp
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(
            user_service.User)) or 0
        name = name or f"{role.title()} {count + 1}"
        email = email or f"{role}{count + 1}@example.com.tr"
        user = user_service.create_user(db.session, TEST_ACTOR, utcnow(), email=email,
                                        name=name, role=role, password=PASSWORD)
        if totp:
            user.totp_secret = pyotp.random_base32()
            user.totp_enabled = True
        db.session.commit()
        return Staff(user.id, user.email, user.name, role, user.totp_secret)


def login(client, user: Staff, password: str = PASSWORD):
    """Sign in through the real login form (and the second factor when enrolled).

    The client reads English from then on (the lang cookie), so tests can assert English text.
    """
    client.set_cookie("lang", "en")
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    if user.totp_secret:
        assert "/login/totp" in response.headers["Location"]
        response = client.post("/login/totp",
                               data={"code": pyotp.TOTP(user.totp_secret).now()})
        assert response.status_code == 302
    return client


def new_application(app, *, received_days_ago: float = 1, channel: str = "web",
                    files: tuple[IncomingFile, ...] = (), assignee: Staff | None = None,
                    **overrides) -> tuple[str, str]:
    """Store an application received some days ago; return (tracking_no, access_code)."""
    fields = {
        "first_name": "Işıl", "last_name": "Çağlayan", "nationality": "TR",
        "tckn": VALID_TCKN, "passport_no": None, "address": "Kızılay, Çankaya/Ankara",
        "email": "isil@example.com.tr", "phone": None, "relationship": "customer",
        "rights": ("a",), "subject": "Hangi verilerimi işliyorsunuz?",
        "reply_channel": "email",
    }
    fields.update(overrides)
    now = utcnow()
    with app.app_context():
        submission = submit_application(
            db.session, public_actor("127.0.0.1"), now,
            ApplicationInput(**fields, files=files), channel=channel,
            calendar=HolidayCalendar(), policy=DeadlinePolicy(),
            stash=FileStash(Path(app.config["KVKK_UPLOAD_DIR"])),
            received_at=now - timedelta(days=received_days_ago))
        if assignee is not None:
            submission.application.assignee_id = assignee.id
        db.session.commit()
        return submission.application.tracking_no, submission.access_code


def pdf_file(name: str = "kimlik.pdf", kind: str = "evidence") -> IncomingFile:
    return IncomingFile(kind, name, PDF, "application/pdf")


def load(app, tracking_no: str) -> Application:
    """Return a detached snapshot of the application as stored now."""
    with app.app_context():
        application = db.session.scalar(
            select(Application).where(Application.tracking_no == tracking_no))
        for right in application.rights:
            _ = right.actions
        _ = application.attachments
        db.session.expunge_all()
        return application


def audit_actions(app, tracking_no: str | None = None) -> list[str]:
    with app.app_context():
        query = select(AuditEvent.action).order_by(AuditEvent.id)
        if tracking_no is not None:
            query = query.join(Application, Application.id == AuditEvent.application_id).where(
                Application.tracking_no == tracking_no)
        return list(db.session.scalars(query))


def apply_as(app, user: Staff, tracking_no: str, operation, **kwargs) -> None:
    """Run a services.cases operation directly, as `user`, and commit."""
    with app.app_context():
        application = db.session.scalar(
            select(Application).where(Application.tracking_no == tracking_no))
        staff = db.session.get(user_service.User, user.id)
        getattr(case_service, operation)(db.session, staff, utcnow(), application, **kwargs)
        db.session.commit()


def text(response) -> str:
    return response.get_data(as_text=True)


def flashes(html: str) -> list[str]:
    return re.findall(r'<p class="flash flash-\w+">(.*?)</p>', html, re.S)


@pytest.fixture
def create_user(app):
    """Builder: create_user("supervisor") makes a committed staff account in `app`."""

    def build(role: str = "officer", **kwargs) -> Staff:
        return make_user(app, role, **kwargs)

    return build


@pytest.fixture
def signed_in(app):
    """Builder: signed_in(user) returns a fresh test client logged in as that user."""

    def build(user: Staff):
        return login(app.test_client(), user)

    return build
