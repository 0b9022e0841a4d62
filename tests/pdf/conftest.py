"""Builders for letter tests: real applications, decided through the real services."""

from __future__ import annotations

import io
import secrets
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from kvkk_tracker.models import Application, User
from kvkk_tracker.pdf import letter_context
from kvkk_tracker.services import cases
from tests.builders import FIXED_NOW

# The letter is dated two weeks after receipt: within the 30 days.
LETTER_NOW = FIXED_NOW + timedelta(days=14)

INVENTORY = [
    {"right": "b", "category": "Kimlik", "purpose": "Sözleşmenin kurulması ve ifası",
     "legal_basis": "KVKK m. 5/2-c", "retention": "Sözleşme sonrası 10 yıl",
     "recipients_domestic": "", "recipients_abroad": ""},
    {"right": "c", "category": "İletişim", "purpose": "Müşteri ilişkileri yönetimi",
     "legal_basis": "KVKK m. 5/2-f", "retention": "", "recipients_domestic": "",
     "recipients_abroad": ""},
    {"right": "cc", "category": "İletişim", "purpose": "", "legal_basis": "", "retention": "",
     "recipients_domestic": "Kargo şirketi (Yurtiçi Lojistik A.Ş.)",
     "recipients_abroad": "Bulut hizmet sağlayıcısı (İrlanda)"},
]


@pytest.fixture
def officer(session):
    user = User(email="gulsen@example.com.tr", name="Gülşen Öztürk",
                title="Kişisel Verileri Koruma Uzmanı", role="officer", password_hash="x",
                session_token=secrets.token_hex(16), created_at=FIXED_NOW)
    session.add(user)
    session.commit()
    return user


@pytest.fixture
def case(app, session, create_application, officer):
    """Builder: an application with decisions, taken and decided by `officer`.

    `decisions` maps a right code to (outcome, reason_code, justification); `actions` is a
    list of (right_code, action, recipient) recorded on LETTER_NOW's previous day.
    """

    def build(rights=("a", "b", "c", "cc", "e", "f"), decisions=None, actions=(),
              identity="verified", **fields) -> Application:
        tracking_no, _ = create_application(rights=tuple(rights), **fields)
        application = session.scalar(
            select(Application).where(Application.tracking_no == tracking_no))
        now = FIXED_NOW + timedelta(days=1)
        cases.take(session, officer, now, application)
        if identity != "pending":
            cases.verify_identity(session, officer, now, application, method="kep",
                                  result=identity)
        for code, (outcome, reason, why) in (decisions or {}).items():
            cases.decide_right(session, officer, now, application, right_code=code,
                               outcome=outcome, reason_code=reason, justification=why)
        for code, action, recipient in actions:
            cases.record_action(session, officer, now, application, right_code=code,
                                action=action, recipient=recipient,
                                done_on=date(2026, 4, 10))
        session.commit()
        return application

    return build


@pytest.fixture
def context_for(app, session, officer):
    def build(application, kind="reply", now=LETTER_NOW, **kwargs):
        kwargs.setdefault("config", app.config)
        return letter_context(session, application, kind, now=now, officer=officer, **kwargs)

    return build


def pdf_text(pdf: bytes) -> list[str]:
    """Return the text of each page, as a reader of the PDF would extract it."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Join lines: extraction breaks lines where the layout did."""
    return " ".join(text.split())
