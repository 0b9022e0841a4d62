"""The applicant answers a request for more information from the status page."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import ApplicantMessage, Application, Attachment, Notification
from kvkk_tracker.services import users as user_service

from ..office.conftest import CHEAP_HASHER, PASSWORD, apply_as, make_user, new_application
from .support import HTML_AS_PDF, PDF, PNG, csrf_token, page, stored_files, upload

ANSWER = "Kimliğimin fotokopisi ektedir; müşteri numaram 12345."


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    monkeypatch.setattr(user_service, "_hasher", CHEAP_HASHER)
    monkeypatch.setattr(user_service, "_dummy_hash",
                        lambda: CHEAP_HASHER.hash("not-a-real-password"))


@pytest.fixture
def officer(csrf_app):
    return make_user(csrf_app, "officer", name="Ayşe Hukukçu")


@pytest.fixture
def case(csrf_app, officer):
    """An application the officer has taken and moved to awaiting_applicant."""
    tracking_no, access_code = new_application(csrf_app, rights=("a", "e"))
    apply_as(csrf_app, officer, tracking_no, "take")
    apply_as(csrf_app, officer, tracking_no, "change_status", target="in_review")
    apply_as(csrf_app, officer, tracking_no, "change_status", target="awaiting_applicant")
    return tracking_no, access_code


def _unlock(client, tracking_no: str, access_code: str):
    """Look the application up the way the applicant does; return the unlocked page."""
    token = csrf_token(client.get("/status?lang=en"))
    response = client.post("/status?lang=en", data={
        "tracking_no": tracking_no, "access_code": access_code, "csrf_token": token})
    assert response.status_code == 200
    return response


def _answer(client, tracking_no: str, access_code: str, body: str = ANSWER, files=(),
            unlocked=None):
    unlocked = unlocked or _unlock(client, tracking_no, access_code)
    data = {"tracking_no": tracking_no, "access_code": access_code, "body": body,
            "csrf_token": csrf_token(unlocked)}
    if files:
        data["answer_files"] = list(files)
    return client.post("/status/answer?lang=en", data=data,
                       content_type="multipart/form-data")


def _counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (ApplicantMessage, Attachment, Notification))


def test_awaiting_page_offers_the_form_with_the_code_again(csrf_app, case):
    tracking_no, access_code = case
    shown = page(_unlock(csrf_app.test_client(), tracking_no, access_code))
    form = shown.find_all("form", action="/status/answer")
    assert form and form[0].get("enctype") == "multipart/form-data"
    assert shown.value("tracking_no") == tracking_no
    assert shown.value("access_code") == access_code
    assert shown.by_id("body").tag == "textarea"


def test_no_answer_form_unless_awaiting(csrf_app):
    tracking_no, access_code = new_application(csrf_app)
    shown = page(_unlock(csrf_app.test_client(), tracking_no, access_code))
    assert not shown.find_all("form", action="/status/answer")


def test_answer_with_attachment_lands_on_case_and_notifies(csrf_app, case, officer):
    tracking_no, access_code = case
    client = csrf_app.test_client()
    response = _answer(client, tracking_no, access_code,
                       files=[upload(PDF, "kimlik.pdf"), upload(PNG, "fatura.png")])
    assert response.status_code == 200
    shown = page(response)
    assert shown.by_testid("answer-received")
    assert shown.by_testid("status") == "Waiting for information from you"
    timeline = shown.find_all("ol", class_="timeline")[0].text()
    assert "You sent an answer" in timeline
    assert shown.value("body") == ""  # a fresh form for a further answer

    with csrf_app.app_context():
        application = db.session.scalar(
            select(Application).where(Application.tracking_no == tracking_no))
        assert application.status == "awaiting_applicant"
        messages = list(db.session.scalars(select(ApplicantMessage)))
        assert [m.body for m in messages] == [ANSWER]
        answers = [a for a in application.attachments if a.kind == "applicant_answer"]
        assert sorted((a.original_name, a.media_type) for a in answers) == [
            ("fatura.png", "image/png"), ("kimlik.pdf", "application/pdf")]
        notes = list(db.session.scalars(select(Notification)))
        assert [(n.user_id, n.kind) for n in notes] == [(officer.id, "applicant_answered")]
    assert len(stored_files(csrf_app)) == 2

    office = csrf_app.test_client()
    office.set_cookie("lang", "en")
    signed_in = office.post("/login", data={"email": officer.email, "password": PASSWORD,
                                            "csrf_token": csrf_token(office.get("/login"))})
    assert signed_in.status_code == 302
    case_page = office.get(f"/office/cases/{tracking_no}")
    assert case_page.status_code == 200
    html = case_page.get_data(as_text=True)
    assert "The applicant answered" in html
    assert "müşteri numaram 12345" in html
    assert "kimlik.pdf" in html


def test_text_only_and_file_only_answers_are_accepted(csrf_app, case):
    tracking_no, access_code = case
    client = csrf_app.test_client()
    assert _answer(client, tracking_no, access_code).status_code == 200
    assert _answer(client, tracking_no, access_code, body="",
                   files=[upload(PDF, "ek.pdf")]).status_code == 200
    assert _counts(csrf_app) == (2, 1, 2)


@pytest.mark.parametrize("tracking_no, access_code", [
    pytest.param(None, "0000-0000-0000-0000", id="wrong-code"),
    pytest.param("KVKK-2026-0000-0000", None, id="unknown-number"),
    pytest.param(None, "", id="no-code"),
])
def test_wrong_credentials_are_the_generic_404(csrf_app, case, tracking_no, access_code):
    real_no, real_code = case
    client = csrf_app.test_client()
    unlocked = _unlock(client, real_no, real_code)
    response = _answer(client, tracking_no or real_no,
                       real_code if access_code is None else access_code,
                       files=[upload(PDF, "kimlik.pdf")], unlocked=unlocked)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "We found no application with this tracking number and access code" in html
    assert ANSWER not in html
    assert _counts(csrf_app) == (0, 0, 0)
    assert stored_files(csrf_app) == []


def test_answer_refused_when_not_awaiting(csrf_app, case, officer):
    tracking_no, access_code = case
    client = csrf_app.test_client()
    unlocked = _unlock(client, tracking_no, access_code)
    # The officer moves on while the applicant still has the old page open.
    apply_as(csrf_app, officer, tracking_no, "change_status", target="in_review")
    response = _answer(client, tracking_no, access_code, files=[upload(PDF, "kimlik.pdf")],
                       unlocked=unlocked)
    assert response.status_code == 409
    shown = page(response)
    assert "not waiting for information from you" in shown.by_testid("answer-refused")
    assert not shown.find_all("form", action="/status/answer")
    assert _counts(csrf_app) == (0, 0, 0)
    assert stored_files(csrf_app) == []


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_empty_answer_is_a_field_error(csrf_app, case, body):
    tracking_no, access_code = case
    response = _answer(csrf_app.test_client(), tracking_no, access_code, body=body)
    assert response.status_code == 400
    assert page(response).field_errors("body") == ["Write your answer or attach a document."]
    assert _counts(csrf_app) == (0, 0, 0)


def test_disguised_file_is_a_field_error_and_nothing_is_saved(csrf_app, case):
    tracking_no, access_code = case
    response = _answer(csrf_app.test_client(), tracking_no, access_code,
                       files=[upload(PDF, "kimlik.pdf"), upload(HTML_AS_PDF, "fatura.pdf")])
    assert response.status_code == 400
    shown = page(response)
    assert shown.field_errors("answer_files") == ["fatura.pdf is not a PDF, JPEG or PNG file."]
    assert shown.value("body") == ANSWER  # what was typed is kept
    assert shown.value("access_code") == access_code  # and the form still works
    assert _counts(csrf_app) == (0, 0, 0)
    assert stored_files(csrf_app) == []


def test_too_many_or_too_large_files_are_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, KVKK_MAX_FILES=2, KVKK_MAX_FILE_BYTES=len(PDF) + 10)
    officer = make_user(app, "officer")
    tracking_no, access_code = new_application(app)
    for step in ("take",):
        apply_as(app, officer, tracking_no, step)
    apply_as(app, officer, tracking_no, "change_status", target="in_review")
    apply_as(app, officer, tracking_no, "change_status", target="awaiting_applicant")
    client = app.test_client()
    many = _answer(client, tracking_no, access_code,
                   files=[upload(PDF, f"{n}.pdf") for n in range(3)])
    assert many.status_code == 400
    assert page(many).field_errors("answer_files") == ["Attach at most 2 files."]
    large = _answer(client, tracking_no, access_code, files=[upload(PDF + bytes(50), "b.pdf")])
    assert large.status_code == 400
    assert "b.pdf is larger than" in page(large).field_errors("answer_files")[0]
    assert _counts(app) == (0, 0, 0)


def test_answer_needs_the_csrf_token(csrf_app, case):
    tracking_no, access_code = case
    client = csrf_app.test_client()
    _unlock(client, tracking_no, access_code)
    response = client.post("/status/answer?lang=en", data={
        "tracking_no": tracking_no, "access_code": access_code, "body": ANSWER})
    assert response.status_code == 400
    assert _counts(csrf_app) == (0, 0, 0)


def test_answer_shares_the_status_rate_limit(make_app):
    app = make_app(RATELIMIT_ENABLED=True, KVKK_RATELIMIT_STATUS="2 per minute")
    client = app.test_client()
    data = {"tracking_no": "KVKK-2026-0000-0000", "access_code": "0000-0000-0000-0000"}
    assert client.post("/status", data=data).status_code == 404
    assert client.post("/status/answer", data={**data, "body": "x"}).status_code == 404
    assert client.post("/status/answer", data={**data, "body": "x"}).status_code == 429
