"""axe-core on every public page and the main office pages: no serious or critical findings."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ..office.conftest import PASSWORD, make_user, new_application

pytestmark = pytest.mark.browser

PUBLIC = ("/", "/apply", "/status", "/privacy", "/cookies", "/login")


def test_public_pages(page: Page, journey, check_accessibility):
    for path in PUBLIC:
        page.goto(journey.url + path)
        check_accessibility(page)
    # The form with every error shown, and a status lookup that fails.
    page.goto(journey.url + "/apply")
    page.get_by_role("button", name="Başvuruyu gönder").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_accessibility(page)
    page.goto(journey.url + "/status")
    page.fill("#tracking_no", "KVKK-2026-0000-0000")
    page.fill("#access_code", "AAAA-AAAA-AAAA-AAAA")
    page.get_by_role("button", name="Durumu göster").click()
    check_accessibility(page)
    for path in ("/?lang=en", "/apply", "/status"):  # English (the choice is kept in a cookie)
        page.goto(journey.url + path)
        check_accessibility(page)


def sign_in(page: Page, url: str, user) -> None:
    page.goto(f"{url}/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()


def test_main_office_pages(page: Page, journey, check_accessibility):
    app = journey.app
    officer = make_user(app, "officer", name="Ayşe Hukukçu")
    supervisor = make_user(app, "supervisor", name="Selin Amir")
    tracking_no, _code = new_application(app, rights=("a", "e"), assignee=officer)
    new_application(app, rights=("b",))

    sign_in(page, journey.url, officer)
    for path in ("/office/", f"/office/cases/{tracking_no}", "/office/applications/new"):
        page.goto(journey.url + path)
        check_accessibility(page)
    page.goto(f"{journey.url}/office/applications/new")
    page.get_by_role("button", name="Başvuruyu kaydet").click()
    check_accessibility(page)  # every field error shown

    page.context.clear_cookies()
    sign_in(page, journey.url, supervisor)
    for path in ("/office/", f"/office/cases/{tracking_no}", "/auditor/reports",
                 "/auditor/exports", "/auditor/register", "/auditor/audit-chain"):
        page.goto(journey.url + path)
        check_accessibility(page)
