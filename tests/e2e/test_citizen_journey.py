"""Journey 1: a citizen applies in Turkish and is acknowledged by e-mail; an officer takes the
case, verifies identity and decides; a supervisor approves (four eyes); the reply letter is
finalised and e-mailed as a PDF; the citizen sees "Cevaplandı" on /status and downloads the
same letter. Real chromium, CSRF on, mail through a real SMTP server."""

from __future__ import annotations

import hashlib

import pytest
from playwright.sync_api import Page, expect

from kvkk_tracker.extensions import db
from kvkk_tracker.models import Letter
from kvkk_tracker.web.labels import status_label

from ..office.conftest import load, make_user
from .conftest import fill_applicant
from .test_kep_escalation_journey import sign_in

pytestmark = pytest.mark.browser
CITIZEN = "isil.caglayan@example.com.tr"


@pytest.fixture
def journey(journey_factory):
    return journey_factory(KVKK_FOUR_EYES=True)


def text_of(message) -> str:
    return "\n".join(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
                     for part in message.walk() if part.get_content_type() == "text/plain")


def pdf_attachments(message) -> list[bytes]:
    return [part.get_payload(decode=True) for part in message.walk()
            if part.get_content_type() == "application/pdf"]


def test_citizen_applies_and_downloads_the_reply(page: Page, journey, check_accessibility):
    app = journey.app
    officer = make_user(app, "officer", name="Ayşe Hukukçu")
    supervisor = make_user(app, "supervisor", name="Selin Amir")

    # The citizen applies in Turkish.
    page.goto(f"{journey.url}/apply")
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    fill_applicant(page, email=CITIZEN, reply_channel="email")
    page.check("#declaration")
    page.get_by_role("button", name="Başvuruyu gönder").click()
    tracking_no = page.get_by_test_id("tracking-no").inner_text().strip()
    access_code = page.get_by_test_id("access-code").inner_text().strip()
    check_accessibility(page)

    journey.cli("outbox", "flush")
    [ack] = journey.smtp.to(CITIZEN)
    assert tracking_no in text_of(ack)
    assert access_code not in text_of(ack)  # the code was shown once, never mailed

    # The officer takes it, verifies identity and decides.
    sign_in(page, journey.url, officer)
    page.get_by_role("link", name=tracking_no).click()
    page.get_by_test_id("take").click()
    expect(page.get_by_test_id("assignee")).to_have_text(officer.name)
    page.get_by_test_id("move-in_review").click()
    page.select_option("#identity-method", "records_code")
    page.check("#identity-result-verified")
    page.get_by_test_id("save-identity").click()
    page.check("#decide-a-outcome-accepted")
    page.get_by_test_id("decide-a").click()
    page.get_by_test_id("move-decided").click()
    expect(page.get_by_test_id("approval-pending")).to_be_visible()

    # The supervisor approves.
    sign_in(page, journey.url, supervisor)
    page.goto(f"{journey.url}/office/cases/{tracking_no}")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("approved")).to_contain_text(supervisor.name)

    # The officer finalises the reply letter and sends it by e-mail.
    sign_in(page, journey.url, officer)
    page.goto(f"{journey.url}/office/cases/{tracking_no}")
    page.get_by_test_id("finalise-reply").locator("xpath=..").locator("summary").click()
    page.get_by_test_id("finalise-reply").locator("button[type=submit]").click()
    expect(page.get_by_test_id("letter-version")).to_have_count(1)
    page.select_option("#reply-channel", "email")
    page.get_by_test_id("record-reply").click()
    expect(page.get_by_test_id("case-status")).to_have_attribute(
        "class", "status status-replied")

    journey.cli("outbox", "flush")
    [mailed] = [m for m in journey.smtp.to(CITIZEN) if pdf_attachments(m)]
    [attached] = pdf_attachments(mailed)
    with app.app_context():
        letter = db.session.query(Letter).filter_by(
            application_id=load(app, tracking_no).id, kind="reply").one()
        assert hashlib.sha256(attached).hexdigest() == letter.sha256

    # The citizen follows it on /status and downloads the same letter.
    citizen = page.context.browser.new_context(locale="tr-TR").new_page()
    citizen.goto(f"{journey.url}/status")
    citizen.fill("#tracking_no", tracking_no)
    citizen.fill("#access_code", access_code)
    citizen.get_by_role("button", name="Durumu göster").click()
    with app.test_request_context("/?lang=tr"):
        replied = status_label("replied")
    expect(citizen.get_by_test_id("status")).to_have_text(replied)
    check_accessibility(citizen)
    with citizen.expect_download() as download:
        citizen.get_by_test_id("download-reply").click()
    assert download.value.path().read_bytes() == attached
