"""The applicant's documents: the receipt from the confirmation and status pages, the reply
letter from /status once replied and only after identity has been verified; and the API."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import AuditEvent, Letter
from tests.builders import form_data
from tests.office.conftest import load, login, make_user, new_application, text
from tests.web.support import csrf_token

from .builders import decide, finalise, stored
from .pdftext import pdf_text


def hidden_fields(html: str, testid: str) -> dict:
    form = html.split(f'data-testid="{testid}"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))


def test_receipt_from_the_confirmation_page_with_csrf_on(csrf_app):
    client = csrf_app.test_client()
    token = csrf_token(client.get("/apply"))
    assert client.post("/apply", data=form_data(rights=["a", "b"], csrf_token=token)
                       ).status_code == 303
    done = text(client.get("/apply/done"))
    fields = hidden_fields(done, "receipt-form")
    assert set(fields) == {"csrf_token", "tracking_no", "access_code"}
    action = re.search(r'action="([^"]+)"[^>]*data-testid="receipt-form"', done).group(1)
    assert action == "/status/receipt.pdf"  # the code travels in the body, never the URL
    response = client.post(action, data=fields)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    data = response.get_data()
    body = pdf_text(data)
    assert fields["tracking_no"] in body and "TASLAK" not in body
    # Frozen at the first download: the same bytes every time, hash in the header.
    again = client.post(action, data={**fields, "csrf_token": csrf_token(client.get("/status"))})
    assert again.get_data() == data
    assert again.headers["X-Letter-SHA256"] == hashlib.sha256(data).hexdigest()
    with csrf_app.app_context():
        assert db.session.query(Letter).count() == 1


def test_receipt_refused_for_a_wrong_code_like_the_status_page(app):
    no, code = new_application(app)
    client = app.test_client()
    wrong = client.post("/status/receipt.pdf", data={"tracking_no": no,
                                                     "access_code": "AAAA-AAAA-AAAA-AAAA"})
    unknown = client.post("/status/receipt.pdf", data={"tracking_no": "KVKK-2026-0000-0000",
                                                       "access_code": code})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.mimetype == "text/html"
    with app.app_context():
        assert db.session.query(Letter).count() == 0
    status_page = text(client.post("/status", data={"tracking_no": no, "access_code": code}))
    assert hidden_fields(status_page, "receipt-form")["access_code"] == code
    assert 'data-testid="download-reply"' not in status_page


def _reply_download(client, no, code):
    return client.post("/status/reply.pdf", data={"tracking_no": no, "access_code": code})


def test_reply_letter_only_once_replied(app):
    officer = make_user(app, "officer")
    no, code = new_application(app, rights=("a",), assignee=officer)
    decide(app, officer, no)
    letter_id = finalise(app, officer, no)
    client = app.test_client()
    refused = _reply_download(client, no, code)
    assert refused.status_code == 409
    assert refused.mimetype == "text/html" and "%PDF" not in text(refused)

    staff = login(app.test_client(), officer)
    assert staff.post(f"/office/cases/{no}/reply", data={
        "reply-version": load(app, no).version, "reply-channel": "post",
        "reply-sent_on": load(app, no).received_at.date().isoformat(),
        "reply-proof": "RR1"}).status_code == 303
    page = text(client.post("/status", data={"tracking_no": no, "access_code": code}))
    assert 'data-testid="download-reply"' in page
    response = _reply_download(client, no, code)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    letter = stored(app, letter_id)
    assert response.get_data() == letter.pdf
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "application.letter_downloaded"))
        assert event.actor.startswith("public:") and event.data["letter_id"] == letter_id
    assert _reply_download(client, no, "AAAA-AAAA-AAAA-AAAA").status_code == 404


def test_no_reply_letter_download_when_identity_is_not_verified(app):
    officer = make_user(app, "officer")
    no, code = new_application(app, rights=("a",), assignee=officer)
    decide(app, officer, no, outcome="rejected", identity="failed")
    finalise(app, officer, no, kind="identity_rejection",
             details="Kayıtlı telefonunuza gönderilen kod doğrulanmadı.")
    staff = login(app.test_client(), officer)
    assert staff.post(f"/office/cases/{no}/reply", data={
        "reply-version": load(app, no).version, "reply-channel": "post",
        "reply-sent_on": load(app, no).received_at.date().isoformat()}).status_code == 303
    assert load(app, no).status == "replied"
    client = app.test_client()
    assert _reply_download(client, no, code).status_code == 409
    page = text(client.post("/status", data={"tracking_no": no, "access_code": code}))
    assert 'data-testid="download-reply"' not in page


def test_api_receipt_pdf_and_identical_refusals(app):
    no, code = new_application(app)
    client = app.test_client()
    url = f"/api/v1/requests/{no}/receipt.pdf"
    response = client.get(url, headers={"X-Access-Code": code})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert no in pdf_text(response.get_data())
    assert response.headers["X-Letter-SHA256"] == hashlib.sha256(response.get_data()).hexdigest()

    answers = [
        client.get(url, headers={"X-Access-Code": "AAAA-AAAA-AAAA-AAAA"}),
        client.get(url),
        client.get("/api/v1/requests/KVKK-2026-0000-0000/receipt.pdf",
                   headers={"X-Access-Code": code}),
        client.get(f"/api/v1/requests/{no}", headers={"X-Access-Code": "AAAA-AAAA-AAAA-AAAA"}),
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.get_data() for a in answers}) == 1
    assert {a.mimetype for a in answers} == {"application/json"}


def test_api_receipt_shares_the_status_rate_limit(make_app):
    app = make_app(RATELIMIT_ENABLED=True, KVKK_RATELIMIT_API_STATUS="3 per minute")
    client = app.test_client()
    headers = {"X-Access-Code": "AAAA-AAAA-AAAA-AAAA"}
    codes = [client.get("/api/v1/requests/KVKK-2026-0000-0000", headers=headers).status_code,
             client.get("/api/v1/requests/KVKK-2026-0000-0000/receipt.pdf",
                        headers=headers).status_code,
             client.get("/api/v1/requests/KVKK-2026-0000-0001/receipt.pdf",
                        headers=headers).status_code,
             client.get("/api/v1/requests/KVKK-2026-0000-0000/receipt.pdf",
                        headers=headers).status_code]
    assert codes == [404, 404, 404, 429]


def test_status_page_downloads_share_the_status_rate_limit(make_app):
    app = make_app(RATELIMIT_ENABLED=True, KVKK_RATELIMIT_STATUS="3 per minute")
    client = app.test_client()
    guess = {"tracking_no": "KVKK-2026-0000-0000", "access_code": "AAAA-AAAA-AAAA-AAAA"}
    codes = [client.post("/status", data=guess).status_code,
             client.post("/status/receipt.pdf", data=guess).status_code,
             client.post("/status/reply.pdf", data=guess).status_code,
             client.post("/status/receipt.pdf", data=guess).status_code]
    assert codes == [404, 404, 404, 429]
