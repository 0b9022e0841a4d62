"""Letters in a real chromium, CSRF on: the officer finalises the reply letter and records the
reply; the applicant downloads the receipt and the reply letter from the status page."""

from __future__ import annotations

import hashlib

import pytest
from playwright.sync_api import Page, expect

from kvkk_tracker.extensions import db
from kvkk_tracker.models import Letter

from ..letters.builders import decide
from ..office.conftest import PASSWORD, load, make_user, new_application

pytestmark = pytest.mark.browser


def test_finalise_reply_then_applicant_downloads(page: Page, live_server, tmp_path):
    app = live_server.app
    officer = make_user(app, "officer", name="Ayşe Yılmaz")
    tracking_no, access_code = new_application(app, rights=("a",), assignee=officer)
    decide(app, officer, tracking_no)

    page.goto(f"{live_server.url}/login")
    page.fill("#email", officer.email)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.goto(f"{live_server.url}/office/cases/{tracking_no}")

    # Recording the reply before the letter is final is refused, with the reason.
    page.select_option("#reply-channel", "post")
    page.fill("#reply-proof", "RR123456789TR")
    page.get_by_test_id("record-reply").click()
    expect(page.locator(".error-summary")).to_contain_text("cevap yazısını kesinleştirin")

    page.get_by_test_id("finalise-reply").locator("xpath=..").locator("summary").click()
    page.get_by_test_id("finalise-reply").locator("button[type=submit]").click()
    expect(page.get_by_test_id("letter-version")).to_have_count(1)

    page.select_option("#reply-channel", "post")
    page.fill("#reply-proof", "RR123456789TR")
    page.get_by_test_id("record-reply").click()
    expect(page.get_by_test_id("case-status")).to_have_attribute(
        "class", "status status-replied")

    applicant = page.context.browser.new_context(locale="tr-TR").new_page()
    applicant.goto(f"{live_server.url}/status")
    applicant.fill("#tracking_no", tracking_no)
    applicant.fill("#access_code", access_code)
    applicant.locator("main form button[type=submit]").click()
    with applicant.expect_download() as receipt:
        applicant.get_by_test_id("download-receipt").click()
    assert receipt.value.path().read_bytes().startswith(b"%PDF")
    with applicant.expect_download() as reply:
        applicant.get_by_test_id("download-reply").click()
    data = reply.value.path().read_bytes()
    assert access_code not in applicant.url
    with app.app_context():
        letter = db.session.query(Letter).filter_by(application_id=load(app, tracking_no).id,
                                                    kind="reply").one()
        assert hashlib.sha256(data).hexdigest() == letter.sha256
