"""One applicant's whole journey in a real chromium: apply in Turkish, then track it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kvkk_tracker.extensions import db
from kvkk_tracker.i18n import format_date
from kvkk_tracker.models import Application

from ..builders import VALID_TCKN

pytestmark = pytest.mark.browser

TRACKING_RE = re.compile(r"^KVKK-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
ACCESS_CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")
DATE_RE = re.compile(r"\d{2}\.\d{2}\.\d{4}")


def test_apply_then_track_in_turkish(page: Page, live_server):
    page.goto(f"{live_server.url}/apply")
    expect(page.locator("html")).to_have_attribute("lang", "tr")

    page.fill("#first_name", "Işıl Gülşah")
    page.fill("#last_name", "Çağlayan Öztürk")
    page.select_option("#nationality", "TR")
    page.fill("#tckn", VALID_TCKN)
    page.select_option("#relationship", "customer")
    page.fill("#address", "Kızılay Mah. Atatürk Blv. No: 5, Çankaya/Ankara")
    page.fill("#email", "isil@example.com.tr")
    page.select_option("#reply_channel", "email")
    page.check("#rights-a")
    page.check("#rights-cc")
    page.fill("#subject", "Hangi kişisel verilerimin işlendiğini öğrenmek istiyorum.")
    page.check("#declaration")
    page.get_by_role("button", name="Başvuruyu gönder").click()

    expect(page).to_have_url(f"{live_server.url}/apply/done")
    tracking_no = page.get_by_test_id("tracking-no").inner_text().strip()
    access_code = page.get_by_test_id("access-code").inner_text().strip()
    assert TRACKING_RE.match(tracking_no), tracking_no
    assert ACCESS_CODE_RE.match(access_code), access_code

    with live_server.app.app_context():
        stored = db.session.scalars(
            select(Application).where(Application.tracking_no == tracking_no)).one()
        assert (stored.first_name, stored.last_name) == ("Işıl Gülşah", "Çağlayan Öztürk")
        assert stored.tckn == VALID_TCKN
        assert stored.status == "received"
        assert sorted(stored.right_codes) == ["a", "cc"]
        due = format_date(stored.statutory_due)
    expect(page.get_by_test_id("statutory-due")).to_contain_text(due)

    page.goto(f"{live_server.url}/status")
    page.fill("#tracking_no", tracking_no)
    page.fill("#access_code", access_code)
    page.get_by_role("button", name="Durumu göster").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(tracking_no)
    status = page.get_by_test_id("status")
    expect(status).to_have_text("Alındı")
    expect(status.locator(".status-received")).to_have_count(1)
    deadline = page.get_by_test_id("statutory-due")
    expect(deadline).to_contain_text(due)
    assert DATE_RE.search(deadline.inner_text())
