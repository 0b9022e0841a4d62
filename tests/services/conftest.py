"""Builders for service tests: staff, applications in any state, and audit bookkeeping.

Services take `now` explicitly, so tests pass FIXED_NOW (or a moment after it) instead of
freezing a clock. Services never commit; the builders commit so that each test starts from
rows that are really in the database.
"""

from __future__ import annotations

import itertools
import secrets
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from kvkk_tracker.models import Application, ApplicationRight, AuditEvent, User
from kvkk_tracker.services import users as user_service
from tests.builders import FIXED_NOW

PASSWORD = "correct horse battery staple"
LATER = FIXED_NOW + timedelta(hours=2)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Argon2 at production cost takes ~0.4 s a hash; the service logic is what is tested."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(user_service, "_hasher", cheap)
    monkeypatch.setattr(user_service, "_dummy_hash", lambda: cheap.hash("not-a-real-password"))


@pytest.fixture
def create_user(session):
    """Builder: a committed staff account; the password is PASSWORD unless given."""
    numbers = itertools.count(1)

    def build(role: str = "officer", *, name: str | None = None, email: str | None = None,
              active: bool = True, password: str = PASSWORD) -> User:
        n = next(numbers)
        user = User(email=email or f"{role}{n}@example.com.tr", name=name or f"{role.title()} {n}",
                    role=role, password_hash=user_service.hash_password(password), active=active,
                    session_token=secrets.token_hex(16), created_at=FIXED_NOW)
        session.add(user)
        session.commit()
        return user

    return build


@pytest.fixture
def new_application(session, create_application):
    """Builder: an application through the intake service, loaded into `session`.

    `status`, `assignee` and `identity` put it straight into a state (test set-up, not a
    workflow step: the workflow itself is what the tests exercise).
    """

    def build(*, status: str = "received", assignee: User | None = None,
              identity: str = "pending", **fields) -> Application:
        session.commit()  # SQLite: the builder's own transaction needs the write lock
        tracking_no, _code = create_application(**fields)
        application = session.scalar(
            select(Application).where(Application.tracking_no == tracking_no))
        application.status = status
        application.assignee_id = assignee.id if assignee else None
        application.identity_status = identity
        session.commit()
        return application

    return build


class AuditLog:
    """Count the events written since a mark: every mutating service writes exactly one."""

    def __init__(self, session):
        self.session = session
        self.mark = 0

    def start(self) -> None:
        self.session.flush()
        self.mark = self.session.scalar(select(func.max(AuditEvent.id))) or 0

    def new_events(self) -> list[AuditEvent]:
        self.session.flush()
        return list(self.session.scalars(
            select(AuditEvent).where(AuditEvent.id > self.mark).order_by(AuditEvent.id)))

    def one(self, action: str) -> AuditEvent:
        events = self.new_events()
        assert [e.action for e in events] == [action]
        return events[0]


@pytest.fixture
def audit_log(session) -> AuditLog:
    """Call `audit_log.start()` after the set-up, right before the operation under test."""
    return AuditLog(session)


def snapshot(session, application: Application) -> dict:
    """Return what the database holds for the application, its rights and the audit trail."""
    session.flush()
    row = session.execute(select(Application.__table__).where(
        Application.id == application.id)).mappings().one()
    table = ApplicationRight.__table__
    rights = session.execute(select(table).where(table.c.application_id == application.id)
                             .order_by(table.c.id)).mappings().all()
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    return {"application": dict(row), "rights": [dict(r) for r in rights], "events": events}
