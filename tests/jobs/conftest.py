"""Builders for the deadline engine's tests: staff, cases at a chosen time, sweeps, SMTP."""

from __future__ import annotations

import secrets
import socket
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from kvkk_tracker.domain.deadlines import ISTANBUL
from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application, OutboxMessage, User

from .smtp import SmtpSink


def ist(y: int, m: int, d: int, hh: int = 10, mm: int = 0, ss: int = 0) -> datetime:
    """An Istanbul wall-clock moment as aware UTC."""
    return datetime(y, m, d, hh, mm, ss, tzinfo=ISTANBUL).astimezone(UTC)


@pytest.fixture
def make_staff(app):
    """Builder: a staff account (no real password hash: these tests never sign in)."""

    def build(role: str = "officer", email: str | None = None, active: bool = True) -> int:
        with app.app_context():
            user = User(email=email or f"{role}-{secrets.token_hex(3)}@kurum.example",
                        name=f"{role.title()} Kişi", role=role, password_hash="x",
                        active=active, session_token=secrets.token_hex(16),
                        created_at=datetime(2026, 1, 1, tzinfo=UTC))
            db.session.add(user)
            db.session.commit()
            return user.id

    return build


@pytest.fixture
def new_case(app, create_application):
    """Builder: an application received at `received` (Istanbul), optionally assigned."""

    def build(received: datetime, assignee_id: int | None = None, **overrides) -> int:
        tracking_no, _code = create_application(now=received, **overrides)
        with app.app_context():
            application = db.session.scalar(
                select(Application).where(Application.tracking_no == tracking_no))
            if assignee_id is not None:
                application.assignee_id = assignee_id
                db.session.commit()
            return application.id

    return build


def outbox_rows(app, kind: str | None = None) -> list[OutboxMessage]:
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind)
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
        return rows


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_sink():
    """A real SMTP server (aiosmtpd) on a free loopback port; stopped after the test."""
    sink = SmtpSink(free_port())
    sink.start()
    yield sink
    sink.stop()
