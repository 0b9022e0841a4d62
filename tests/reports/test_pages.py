"""The reports page, its PDF, the registers and the audit-chain check, as auditors use them."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application, AuditEvent
from kvkk_tracker.services import registers, retention
from kvkk_tracker.services.actors import system_actor
from tests.builders import VALID_TCKN
from tests.office.conftest import PASSWORD, apply_as, login, make_user, new_application, text

from .conftest import NOW


@pytest.fixture
def auditor(dataset, monkeypatch):
    # Reports are "as of now": the dataset's fixed today (20.01.2026) makes F overdue.
    import kvkk_tracker.web.auditor.reports as reports_view

    monkeypatch.setattr(reports_view, "utcnow", lambda: NOW)
    return login(dataset.app.test_client(), dataset.users["auditor"])


def figure(page: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">(.*?)</dd>', page, re.S).group(1).strip()


def test_the_reports_page_shows_the_years_figures(auditor):
    page = text(auditor.get("/auditor/reports?kind=year&year=2025"))
    assert figure(page, "received") == "9"
    assert figure(page, "overdue") == "1"
    assert figure(page, "on_time").startswith("66.7%")
    assert figure(page, "on_time_outer").startswith("83.3%")
    assert figure(page, "median_days") == "25.5"
    assert figure(page, "p90_days") == "35"
    assert figure(page, "late") == "2"
    assert "What each figure counts" in page
    for caption in ("By channel", "By officer", "By right", "By outcome", "By reason code"):
        assert caption in page
    assert "Ayşe Officer" in page and "Burak Officer" in page
    link = re.search(r'<a href="([^"]+)" data-testid="report-pdf">', page).group(1)
    assert link.replace("&amp;", "&") == "/auditor/reports.pdf?kind=year&year=2025"


def test_the_late_replies_are_listed_most_days_late_first(dataset, auditor):
    page = text(auditor.get("/auditor/reports?kind=year&year=2025"))
    rows = re.findall(r'<tr data-testid="late-row">(.*?)</tr>', page, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(?:<a [^>]*>)?([^<]*)", row) for row in rows]
    # B: due 09.04, sent 14.04, 5 days, after its outer limit too; C: due 31.05 (Saturday),
    # sent 02.06, 2 days, within the outer limit (02.06).
    assert cells == [
        [dataset.tracking["B"], "10.03.2025", "09.04.2025", "09.04.2025", "14.04.2025", "5", "no"],
        [dataset.tracking["C"], "01.05.2025", "31.05.2025", "02.06.2025", "02.06.2025", "2",
         "yes"],
    ]


def test_charts_are_accessible_svg_with_a_table_beside_each(auditor):
    page = text(auditor.get("/auditor/reports?kind=year&year=2025"))
    charts = re.findall(r'<svg class="chart" id="([\w-]+)" role="img" '
                        r'aria-labelledby="\1-t \1-d"', page)
    assert charts == ["chart-received", "chart-on-time", "chart-days"]
    assert '<title id="chart-received-t">Applications per month</title>' in page
    assert page.count("The chart's data as a table") == 3
    # The monthly table lists every month of the year, March with its two applications.
    assert re.search(r'<th scope="row">03\.2025</th><td class="num">2</td>', page)
    assert "<script" not in page.split("<main", 1)[1]


def test_a_period_with_nothing_received_says_so(auditor):
    page = text(auditor.get("/auditor/reports?kind=month&year=2025&month=9"))
    assert 'data-testid="empty"' in page
    assert "<svg" not in page


@pytest.mark.parametrize(("query", "field", "message"), [
    ("kind=year&year=20x5", "year", "Enter a year between 2016 and 2100."),
    ("kind=custom&date_from=31.02.2025&date_to=01.03.2025", "date_from",
     "Enter a date such as 31.12.2026."),
    ("kind=custom&date_from=01.03.2025&date_to=01.02.2025", "date_to",
     "The end date is before the start date."),
    ("kind=custom&date_from=2016-01-01&date_to=2026-01-01", "date_to",
     "Choose at most five years."),
    ("kind=week&year=2025", "kind", "Choose one of the listed options."),
])
def test_a_bad_period_gets_a_field_error_and_keeps_what_was_typed(auditor, query, field,
                                                                  message):
    response = auditor.get(f"/auditor/reports?{query}")
    assert response.status_code == 400
    page = text(response)
    assert re.search(rf'id="{field}-error">\s*<li>{re.escape(message)}</li>', page)
    typed = dict(pair.split("=") for pair in query.split("&"))[field]
    if field != "kind":
        assert f'value="{typed}"' in page
    assert 'data-figure="received"' not in page


def test_period_errors_are_in_turkish_by_default(dataset):
    client = login(dataset.app.test_client(), dataset.users["auditor"])
    client.set_cookie("lang", "tr")
    page = text(client.get("/auditor/reports?kind=custom&date_from=bugün&date_to="))
    assert "31.12.2026 gibi bir tarih girin." in page
    assert 'value="bugün"' in page


def test_a_custom_period_accepts_typed_and_picked_dates(auditor):
    page = text(auditor.get("/auditor/reports?kind=custom&date_from=01.12.2025"
                            "&date_to=2025-12-31"))
    assert figure(page, "received") == "2"  # E and G
    assert "Period: 01.12.2025 – 31.12.2025" in page


def test_the_report_pdf_has_the_figures_and_the_charts(auditor, tmp_path):
    response = auditor.get("/auditor/reports.pdf?kind=year&year=2025")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "kvkk-report-2025-01-01_2025-12-31.pdf" in response.headers["Content-Disposition"]
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    words = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "KVKK compliance report" in words
    assert "Applications per month" in words
    assert "Distribution of days to reply" in words
    assert re.search(r"Received\s+9", words)


def test_the_register_filters_masks_and_pages(dataset, auditor, monkeypatch):
    monkeypatch.setattr(registers, "PAGE_SIZE", 4)
    seen, url = [], "/auditor/register"
    while url:
        page = text(auditor.get(url))
        seen += re.findall(r'<a href="/office/cases/([\w-]+)">', page)
        assert VALID_TCKN not in page
        assert "172******60" in page
        nxt = re.search(r'href="([^"]+)" rel="next"', page)
        url = nxt.group(1).replace("&amp;", "&") if nxt else None
    # All ten cases once each, in order of receipt: J (2024) first, G (29.12.2025) last.
    order = ["J", "A", "B", "C", "D", "H", "I", "F", "E", "G"]
    assert seen == [dataset.tracking[key] for key in order]
    page = text(auditor.get("/auditor/register?channel=kep&right=a"))
    assert re.findall(r'<a href="/office/cases/([\w-]+)">', page) == [
        dataset.tracking["I"], dataset.tracking["F"]]
    # The reply date shown is the day the reply went out (14.04.2025), not the day it was
    # recorded (15.04.2025).
    page = text(auditor.get("/auditor/register?date_from=10.03.2025&date_to=10.03.2025"))
    assert "<td>14.04.2025</td>" in page and "15.04.2025" not in page
    page = text(auditor.get("/auditor/register?date_from=01.12.2025&status=received"))
    assert re.findall(r'<a href="/office/cases/([\w-]+)">', page) == [dataset.tracking["G"]]


def test_a_bad_register_filter_is_explained(auditor):
    response = auditor.get("/auditor/register?date_from=yesterday&channel=fax")
    assert response.status_code == 400
    page = text(response)
    assert "Enter a date such as 31.12.2026." in page
    assert "Choose one of the listed options." in page
    assert 'value="yesterday"' in page


def test_the_destruction_log_pages_through_what_retention_destroyed(app, monkeypatch):
    officer = make_user(app, "officer")
    numbers = []
    for _ in range(3):
        number, _code = new_application(app, received_days_ago=2000, assignee=officer)
        apply_as(app, officer, number, "change_status", target="withdrawn")
        numbers.append(number)
    with app.app_context():
        settings = retention.RetentionSettings.from_config(app.config)
        actor = system_actor("retention")
        run = retention.start_run(db.session, actor, datetime.now(UTC), settings)
        for number in numbers:
            application = db.session.scalar(
                select(Application).where(Application.tracking_no == number))
            retention.anonymise(db.session, run, actor, datetime.now(UTC), application,
                                Path(app.config["KVKK_UPLOAD_DIR"]))
        retention.finish_run(run, datetime.now(UTC))
        db.session.commit()
    monkeypatch.setattr(registers, "PAGE_SIZE", 2)
    client = login(app.test_client(), make_user(app, "auditor"))
    first = text(client.get("/auditor/destruction-log"))
    assert first.count('data-testid="destruction-row"') == 2
    nxt = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = text(client.get(nxt))
    assert second.count('data-testid="destruction-row"') == 1
    shown = re.findall(r"<td>(KVKK-[\w-]+)</td>", first + second)
    assert sorted(shown) == sorted(numbers)
    assert "anonymisation" in first and "system:retention" in first
    assert re.search(r"Last finished run: [\d.: ]+, 3 applications and 0 files", first)


def test_the_destruction_log_is_empty_at_first(auditor):
    page = text(auditor.get("/auditor/destruction-log"))
    assert "Nothing has been destroyed yet." in page
    assert "The retention job has not finished a run yet." in page


def test_an_auditor_checks_the_audit_chain_and_the_check_is_recorded(app):
    new_application(app)
    client = login(app.test_client(), make_user(app, "auditor"))
    assert "never run" in text(client.get("/auditor/audit-chain"))
    response = client.post("/auditor/audit-chain/verify")
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert re.search(r"The audit trail is intact: \d+ events checked\.", page)
    assert "intact (" in page
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "audit.chain_verified"))
        assert event.data["ok"] is True and event.actor.startswith("user:")


def test_a_tampered_audit_trail_is_reported_with_its_first_bad_event(app):
    new_application(app)
    new_application(app)
    with app.app_context():
        first = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id).limit(1))
        db.session.execute(update(AuditEvent).where(AuditEvent.id == first)
                           .values(ip="10.6.6.6"))
        db.session.commit()
    client = login(app.test_client(), make_user(app, "supervisor"))
    page = text(client.post("/auditor/audit-chain/verify", follow_redirects=True))
    assert f"The audit trail is broken at event #{first}." in page
    assert f"broken at event #{first}" in page and "event content changed" in page


def test_auditors_cannot_post_anything_but_the_chain_check(dataset, auditor):
    """Every POST route answers 403 to an auditor, whatever is sent, except these."""
    allowed = {
        "auditor.verify_chain",  # reads the chain; records that it was read
        "auth.login", "auth.logout", "auth.totp",  # signing in and out
        "office.enrol_totp",  # their own second factor
    }
    app = dataset.app
    number = dataset.tracking["E"]
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in allowed or \
                not rule.endpoint.startswith(("office.", "auditor.", "auth.")):
            continue
        values = {name: {"tracking_no": number, "user_id": 1, "right_code": "a",
                         "attachment_id": 1, "kind": "reply", "letter_id": 1,
                         "entry_id": 1}.get(name, "1") for name in rule.arguments}
        response = auditor.post(_build(app, rule.endpoint, values),
                                data={"version": "1", "target": "closed", "outcome": "accepted"})
        assert response.status_code == 403, (rule.endpoint, response.status_code)


def _build(app, endpoint, values):
    from flask import url_for

    with app.test_request_context():
        return url_for(endpoint, **values)


def test_the_report_pdf_renders_without_a_request_for_the_cli_and_exports(dataset, tmp_path):
    from kvkk_tracker.domain.reporting import Period
    from kvkk_tracker.web.auditor.reports import report_pdf

    with dataset.app.app_context():
        pdf = report_pdf(Period.quarter(2025, 4), NOW, lang="tr")
    path = tmp_path / "q4.pdf"
    path.write_bytes(pdf)
    words = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "KVKK uyum raporu" in words
    assert "Dönem: 01.10.2025 – 31.12.2025" in words
    assert "%100" in words  # Turkish percent: both replies of Q4 on time


def test_the_chain_check_needs_the_forms_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    auditor = make_user(app, "auditor")
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      text(client.get("/login"))).group(1)
    client.post("/login", data={"email": auditor.email, "password": PASSWORD,
                                "csrf_token": token})
    page = text(client.get("/auditor/audit-chain"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/auditor/audit-chain/verify").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "audit.chain_verified")) is None
    response = client.post("/auditor/audit-chain/verify", data={"csrf_token": token})
    assert response.status_code == 303


@pytest.mark.parametrize("url", [
    "/auditor/reports?kind=year&year=2025",
    "/auditor/reports?kind=custom&date_from=x&date_to=y&year=z",
    "/auditor/register",
    "/auditor/register?date_from=x&status=nope",
    "/auditor/destruction-log",
    "/auditor/audit-chain",
])
def test_auditor_pages_label_every_control_and_run_no_script(auditor, url):
    from tests.office.test_page_quality import check

    check(text(auditor.get(url)))  # CSRF on the chain check: see test_the_chain_check_needs...


@pytest.mark.parametrize("query", ["lang=en", "kind=month&year=2025", "kind=quarter",
                                   "kind=custom&date_from=01.01.2025&date_to=31.12.2025&x=1"])
def test_missing_period_fields_fall_back_to_today(auditor, query):
    assert auditor.get(f"/auditor/reports?{query}").status_code == 200
