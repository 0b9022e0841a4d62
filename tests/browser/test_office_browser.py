"""An officer works one web application from the pool to a decision in a real chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application
from kvkk_tracker.web.office.labels import office_status_label

from ..office.conftest import PASSWORD, make_user, new_application

pytestmark = pytest.mark.browser


def test_officer_takes_verifies_decides(page: Page, live_server):
    app = live_server.app
    officer = make_user(app, "officer", name="Ayşe Hukukçu")
    tracking_no, _code = new_application(app, rights=("a", "e"))

    page.goto(f"{live_server.url}/login")
    page.fill("#email", officer.email)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/office/")

    # The application waits in the pool; the officer opens it and takes it.
    page.get_by_role("link", name=tracking_no).click()
    expect(page).to_have_url(f"{live_server.url}/office/cases/{tracking_no}")
    expect(page.get_by_test_id("assignee")).not_to_contain_text(officer.name)
    page.get_by_test_id("take").click()
    expect(page.get_by_test_id("assignee")).to_have_text(officer.name)
    expect(page.get_by_test_id("case-status")).to_have_attribute(
        "class", "status status-received")

    page.get_by_test_id("move-in_review").click()
    expect(page.get_by_test_id("case-status")).to_have_attribute(
        "class", "status status-in_review")

    page.select_option("#identity-method", "records_code")
    page.check("#identity-result-verified")
    page.get_by_test_id("save-identity").click()
    with app.app_context():
        stored = db.session.scalars(
            select(Application).where(Application.tracking_no == tracking_no)).one()
        assert (stored.identity_method, stored.identity_status) == ("records_code", "verified")

    undecided = page.get_by_test_id("outcome-a").inner_text().strip()
    page.check("#decide-a-outcome-accepted")
    page.get_by_test_id("decide-a").click()
    expect(page.get_by_test_id("outcome-a")).not_to_have_text(undecided)

    page.check("#decide-e-outcome-rejected")
    page.select_option("#decide-e-reason_code", "no_data_held")
    page.fill("#decide-e-justification", "Başvurana ait silinecek kişisel veri bulunmamaktadır.")
    page.get_by_test_id("decide-e").click()
    expect(page.get_by_test_id("refusal")).to_have_count(0)

    expect(page.get_by_test_id("outcome-e")).not_to_have_text(undecided)

    page.get_by_test_id("move-decided").click()
    status = page.get_by_test_id("case-status")
    expect(status).to_have_attribute("class", "status status-decided")
    with app.test_request_context("/?lang=tr"):
        expect(status).to_have_text(office_status_label("decided"))

    with app.app_context():
        stored = db.session.scalars(
            select(Application).where(Application.tracking_no == tracking_no)).one()
        assert stored.status == "decided"
        assert stored.assignee_id == officer.id
        assert stored.identity_status == "verified"
        decided = {r.right_code: (r.outcome, r.reason_code, r.justification)
                   for r in stored.rights}
        assert decided == {
            "a": ("accepted", None, None),
            "e": ("rejected", "no_data_held",
                  "Başvurana ait silinecek kişisel veri bulunmamaktadır."),
        }
