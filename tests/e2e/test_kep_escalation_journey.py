"""Journey 2: a KEP application logged late in its 30 days, escalated by the sweep,
reassigned by a supervisor, and answered on day 30 — in a real chromium, CSRF on, mail
delivered to a real SMTP server.

The server runs on the real clock, so the application is logged as received 30 days before
today and the sweep travels back with `kvkk-tracker sweep --now` to day 29 (no sleeping):
day 29 is when the sweep escalates it to the supervisors, and today is day 30, when the reply
goes out.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import Page, expect

from kvkk_tracker.clock import utcnow
from kvkk_tracker.domain.deadlines import ISTANBUL, to_istanbul

from ..office.conftest import PASSWORD, load, make_user
from .conftest import fill_applicant

pytestmark = pytest.mark.browser


def sign_in(page: Page, url: str, user) -> None:
    """Sign out whoever is signed in, as a person would, then sign in as `user`."""
    page.goto(f"{url}/login")
    if page.url != f"{url}/login":
        page.locator("form[action='/logout'] button").click()
        expect(page).to_have_url(f"{url}/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{url}/office/")


def test_kep_application_escalated_reassigned_and_answered_on_day_30(
        page: Page, journey, check_accessibility):
    app = journey.app
    first = make_user(app, "officer", name="Ayşe Hukukçu", email="ayse@kurum.example")
    second = make_user(app, "officer", name="Burak Hukukçu", email="burak@kurum.example")
    supervisor = make_user(app, "supervisor", name="Selin Amir", email="selin@kurum.example")
    today = to_istanbul(utcnow()).date()
    received_on = today - timedelta(days=30)

    # Day 30 minus 30: the KEP message arrived; the first officer logs it and takes it.
    sign_in(page, journey.url, first)
    page.get_by_role("link", name="Başvuru kaydet").first.click()
    page.select_option("#channel", "kep")
    page.fill("#received_date", received_on.isoformat())
    page.fill("#received_time", "10:15")
    page.fill("#receipt_evidence", "KEP-20260101-000123")
    fill_applicant(page)
    page.check("#take")
    page.get_by_role("button", name="Başvuruyu kaydet").click()
    expect(page.get_by_test_id("assignee")).to_have_text(first.name)
    tracking_no = page.url.rsplit("/", 1)[1]
    check_accessibility(page)
    stored = load(app, tracking_no)
    assert (stored.channel, stored.receipt_evidence) == ("kep", "KEP-20260101-000123")
    assert stored.statutory_due == received_on + timedelta(days=30) == today

    # Day 29: the sweep finds two days or less left and escalates to the supervisors.
    day_29 = datetime.combine(received_on + timedelta(days=29), time(11, 0), tzinfo=ISTANBUL)
    swept = journey.cli("sweep", "--now", day_29.isoformat())
    assert f"queued {tracking_no} d2 -> " in swept and supervisor.email in swept
    journey.cli("outbox", "flush", "--now", day_29.isoformat())
    [escalated] = [m for m in journey.smtp.to(supervisor.email) if tracking_no in str(m)]
    assert journey.smtp.to(first.email), "the assignee is reminded as well"
    assert "<kvkk@kurum.example>" in escalated["From"]

    # The supervisor reassigns it: the first officer is away.
    sign_in(page, journey.url, supervisor)
    page.goto(f"{journey.url}/office/cases/{tracking_no}")
    page.select_option("#assign-assignee", str(second.id))
    page.get_by_test_id("assign").click()
    expect(page.get_by_test_id("assignee")).to_have_text(second.name)

    # Day 30: the second officer verifies, decides, finalises the letter and sends it by KEP.
    sign_in(page, journey.url, second)
    page.get_by_role("link", name=tracking_no).click()
    page.get_by_test_id("move-in_review").click()
    expect(page.get_by_test_id("case-status")).to_have_attribute(
        "class", "status status-in_review")
    page.select_option("#identity-method", "kep")
    page.check("#identity-result-verified")
    page.get_by_test_id("save-identity").click()
    page.check("#decide-a-outcome-accepted")
    page.get_by_test_id("decide-a").click()
    page.get_by_test_id("move-decided").click()
    expect(page.get_by_test_id("case-status")).to_have_attribute(
        "class", "status status-decided")
    page.get_by_test_id("finalise-reply").locator("xpath=..").locator("summary").click()
    page.get_by_test_id("finalise-reply").locator("button[type=submit]").click()
    expect(page.get_by_test_id("letter-version")).to_have_count(1)
    check_accessibility(page)
    page.select_option("#reply-channel", "kep")
    expect(page.locator("#reply-sent_on")).to_have_value(today.isoformat())
    page.fill("#reply-proof", "KEP-20260131-000456")
    page.get_by_test_id("record-reply").click()
    expect(page.get_by_test_id("case-status")).to_have_attribute(
        "class", "status status-replied")

    answered = load(app, tracking_no)
    assert answered.status == "replied" and answered.assignee_id == second.id
    assert to_istanbul(answered.replied_at).date() == today == answered.statutory_due
