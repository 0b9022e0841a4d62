"""Logging applications from other channels, and the applicant's answer from the status page."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kvkk_tracker.domain.calendar import HolidayCalendar
from kvkk_tracker.domain.deadlines import DeadlinePolicy, compute_deadline
from kvkk_tracker.models import ApplicantMessage, Application, Notification
from kvkk_tracker.services import applicant
from kvkk_tracker.services.actors import public_actor
from kvkk_tracker.services.attachments import FileStash, IncomingFile
from kvkk_tracker.services.cases import CaseError
from kvkk_tracker.services.intake import ApplicationInput
from kvkk_tracker.services.office_intake import log_application
from tests.builders import FIXED_NOW, VALID_TCKN

PDF = b"%PDF-1.4\n% test\n"


@pytest.fixture
def stash(tmp_path) -> FileStash:
    return FileStash(Path(tmp_path) / "uploads")


def applicant_input(**overrides) -> ApplicationInput:
    fields = {"first_name": "Çağrı", "last_name": "Doğan", "nationality": "TR",
              "tckn": VALID_TCKN, "passport_no": None, "address": "Bornova/İzmir",
              "email": None, "phone": None, "relationship": "former_employee",
              "rights": ("b", "e"), "subject": "Kayıtlarımın silinmesi",
              "reply_channel": "post"}
    return ApplicationInput(**{**fields, **overrides})


def log(session, user, stash, **overrides):
    arguments = {"channel": "written", "received_at": FIXED_NOW - timedelta(days=2),
                 "receipt_evidence": " Gelen evrak 2026/118 ", "calendar": HolidayCalendar(),
                 "policy": DeadlinePolicy(), "stash": stash, "ip": "10.0.0.4", **overrides}
    return log_application(session, user, FIXED_NOW, applicant_input(), **arguments)


def test_a_posted_application_runs_from_its_receipt(session, create_user, stash, audit_log):
    officer = create_user()
    received = FIXED_NOW - timedelta(days=2)
    audit_log.start()
    logged = log(session, officer, stash, received_at=received)
    application = logged.submission.application
    expected = compute_deadline(received, HolidayCalendar(), DeadlinePolicy())
    assert (application.received_at, application.statutory_due, application.outer_due) == (
        received, expected.statutory_due, expected.outer_due)
    assert (application.channel, application.receipt_evidence, application.logged_by_id) == (
        "written", "Gelen evrak 2026/118", officer.id)
    assert application.created_at == FIXED_NOW and logged.overdue_days == 0
    event = audit_log.one("application.received")
    assert (event.actor, event.ip, event.data["channel"]) == (
        f"user:{officer.id}", "10.0.0.4", "written")


def test_an_old_receipt_is_created_overdue_never_refused(session, create_user, stash):
    logged = log(session, create_user(), stash, received_at=FIXED_NOW - timedelta(days=45))
    assert logged.overdue_days == 15
    assert logged.submission.application.status == "received"


@pytest.mark.parametrize(("overrides", "why"), [
    ({"channel": "web"}, "unknown_channel"),
    ({"channel": "pigeon"}, "unknown_channel"),
    ({"received_at": FIXED_NOW + timedelta(minutes=1)}, "received_in_future"),
    ({"receipt_evidence": "  "}, "evidence_required"),
])
def test_logging_refuses_bad_receipts(session, create_user, stash, overrides, why):
    with pytest.raises(CaseError) as raised:
        log(session, create_user(), stash, **overrides)
    assert raised.value.why == why
    assert session.scalar(select(func.count()).select_from(Application)) == 0


def test_the_applicant_answers_while_awaiting(session, create_user, new_application, stash,
                                              audit_log):
    officer = create_user()
    application = new_application(status="awaiting_applicant", assignee=officer)
    audit_log.start()
    message = applicant.answer(
        session, public_actor("10.9.9.9"), FIXED_NOW, application, "  Ekte belge var.  ",
        [IncomingFile("applicant_answer", "kimlik.pdf", PDF, "application/pdf")], stash)
    assert (message.body, message.created_at) == ("Ekte belge var.", FIXED_NOW)
    assert [a.kind for a in application.attachments] == ["applicant_answer"]
    notification = session.scalar(select(Notification))
    assert (notification.user_id, notification.kind) == (officer.id, "applicant_answered")
    event = audit_log.one("application.applicant_answered")
    assert event.public and event.data == {"message_id": message.id, "attachments": 1}
    assert application.status == "awaiting_applicant"  # the officer moves it on


def test_an_answer_on_a_pool_case_notifies_nobody(session, new_application, stash):
    application = new_application(status="awaiting_applicant")
    applicant.answer(session, public_actor(None), FIXED_NOW, application, "Cevap", [], stash)
    assert session.scalar(select(func.count()).select_from(Notification)) == 0


@pytest.mark.parametrize(("status", "body", "why"), [
    ("in_review", "Cevap", "not_awaiting_applicant"),
    ("closed", "Cevap", "not_awaiting_applicant"),
    ("awaiting_applicant", "   ", "empty_answer"),
])
def test_answers_only_while_awaiting_and_not_empty(session, new_application, stash, status,
                                                   body, why):
    application = new_application(status=status)
    with pytest.raises(CaseError) as raised:
        applicant.answer(session, public_actor(None), FIXED_NOW, application, body, [], stash)
    assert raised.value.why == why
    assert session.scalar(select(func.count()).select_from(ApplicantMessage)) == 0
