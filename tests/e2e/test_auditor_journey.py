"""Journey 3: an auditor checks the reports and the audit trail, downloads an export (XLSX)
and a case's evidence pack from the register, in a real chromium."""

from __future__ import annotations

import hashlib
import json
import zipfile

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from kvkk_tracker.clock import utcnow
from kvkk_tracker.domain.deadlines import to_istanbul
from kvkk_tracker.extensions import db
from kvkk_tracker.models import User
from kvkk_tracker.services.replies import record_reply

from ..letters.builders import decide, finalise
from ..office.conftest import load, make_user, new_application
from .test_kep_escalation_journey import sign_in

pytestmark = pytest.mark.browser


def replied_case(app, officer) -> str:
    tracking_no, _code = new_application(app, rights=("a",), assignee=officer,
                                         received_days_ago=3)
    decide(app, officer, tracking_no)
    finalise(app, officer, tracking_no)
    with app.app_context():
        application = db.session.merge(load(app, tracking_no))
        now = utcnow()
        record_reply(db.session, db.session.get(User, officer.id), now, application,
                     channel="post", sent_on=to_istanbul(now).date(), proof="RR123456789TR")
        db.session.commit()
    return tracking_no


def test_auditor_checks_reports_and_downloads_export_and_evidence(
        page: Page, journey, check_accessibility, tmp_path):
    app = journey.app
    officer = make_user(app, "officer", name="Ayşe Hukukçu")
    auditor = make_user(app, "auditor", name="Deniz Denetçi")
    answered = replied_case(app, officer)
    for channel in ("web", "kep"):
        new_application(app, channel=channel, received_days_ago=1)

    sign_in(page, journey.url, auditor)
    page.get_by_role("link", name="Raporlar ve kayıtlar").click()
    expect(page).to_have_url(f"{journey.url}/auditor/reports")
    expect(page.locator('[data-figure="received"]')).to_have_text("3")
    check_accessibility(page)

    nav = page.get_by_role("navigation", name="Denetim")
    nav.get_by_role("link", name="Denetim izi").click()
    page.get_by_test_id("verify-chain").click()
    expect(page.get_by_test_id("last-check")).to_contain_text("sağlam")
    check_accessibility(page)

    nav.get_by_role("link", name="Dışa aktarımlar").click()
    page.select_option("#export", "applications")
    page.select_option("#format", "xlsx")
    with page.expect_download() as export:
        page.get_by_test_id("export-form").locator("button[type=submit]").click()
    workbook_path = tmp_path / "applications.xlsx"
    export.value.save_as(workbook_path)
    sheet = openpyxl.load_workbook(workbook_path, read_only=True).worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len([row for row in values if any(row)]) == 4  # the header and three applications
    assert any(answered in row for row in values)

    nav.get_by_role("link", name="Başvuru kayıt defteri").click()
    row = page.get_by_test_id("register-row").filter(has_text=answered)
    with page.expect_download() as pack:
        row.get_by_role("link", name="ZIP").click()
    pack_path = tmp_path / "evidence.zip"
    pack.value.save_as(pack_path)
    with zipfile.ZipFile(pack_path) as archive:
        manifest = json.loads(archive.read(f"{answered}/manifest.json"))
        names = {entry["name"] for entry in manifest["files"]}
        assert {"timeline.pdf", "decisions.json", "letters/reply-v1.pdf"} <= names
        for entry in manifest["files"]:
            data = archive.read(f"{answered}/{entry['name']}")
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
