"""An auditor signs in, reads the reports page with its charts and downloads a CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from ..office.conftest import PASSWORD, make_user, new_application

pytestmark = pytest.mark.browser


def test_auditor_reads_the_reports_and_downloads_a_csv(page: Page, live_server, tmp_path):
    app = live_server.app
    auditor = make_user(app, "auditor", name="Deniz Denetçi")
    for channel in ("web", "kep"):
        new_application(app, channel=channel, received_days_ago=1)

    page.goto(f"{live_server.url}/login")
    page.fill("#email", auditor.email)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/office/")

    # The browser speaks Turkish; the navigation leads to the reports (this year by default).
    page.get_by_role("link", name="Raporlar ve kayıtlar").click()
    expect(page).to_have_url(f"{live_server.url}/auditor/reports")
    expect(page.locator('[data-figure="received"]')).to_have_text("2")
    chart = page.locator("svg#chart-received")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("role", "img")
    expect(chart.locator("title").first).to_have_text("Aylara göre başvurular")
    assert chart.bounding_box()["height"] > 50
    expect(chart.locator("rect.bar")).to_have_count(12)  # the twelve months up to now

    # A bad custom period is explained in place, keeping what was typed.
    page.select_option("#kind", "custom")
    page.fill("#date_from", "32.01.2026")
    page.get_by_role("button", name="Göster").click()
    expect(page.locator("#date_from-error")).to_have_text("31.12.2026 gibi bir tarih girin.")
    expect(page.locator("#date_from")).to_have_value("32.01.2026")

    # The CSV comes from the exports page, one link away.
    page.get_by_role("navigation", name="Denetim").get_by_role(
        "link", name="Dışa aktarımlar").click()
    expect(page).to_have_url(f"{live_server.url}/auditor/exports")
    page.select_option("#export", "applications")
    page.select_option("#format", "csv")
    with page.expect_download() as info:
        page.get_by_test_id("export-form").locator("button[type=submit]").click()
    path = tmp_path / "applications.csv"
    info.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3  # the header and the two applications
