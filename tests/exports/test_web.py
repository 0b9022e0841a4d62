"""The exports page: who may download what, the audit of every download, bad periods."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import AuditEvent
from tests.office.conftest import login, text

from .conftest import PASSPORT, VALID_TCKN, read_csv


def export_events(app) -> list[AuditEvent]:
    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent).where(
            AuditEvent.action.like("export.%")).order_by(AuditEvent.id)))
        db.session.expunge_all()
        return events


def signed_in(app, user):
    return login(app.test_client(), user)


def test_an_auditor_sees_the_exports_and_no_unmasking(app, dataset):
    page = text(signed_in(app, dataset.auditor).get("/auditor/exports"))
    for title in ("Applications", "Decisions", "Reminders sent", "Audit events",
                  "Destruction log"):
        assert title in page
    assert 'name="identity"' not in page
    assert "Masked: first 3 and last 2 digits" in page
    client = signed_in(app, dataset.auditor)
    client.set_cookie("lang", "tr")
    page = text(client.get("/auditor/exports"))
    assert "<h1>Dışa aktarımlar</h1>" in page and "Maskeli: ilk 3 ve son 2 hane" in page


def test_a_supervisor_is_offered_unmasked(app, dataset):
    page = text(signed_in(app, dataset.supervisor).get("/auditor/exports"))
    assert 'name="identity"' in page and "Unmasked" in page


def test_an_auditor_downloads_a_masked_csv_and_it_is_audited(app, dataset):
    client = signed_in(app, dataset.auditor)
    response = client.get("/auditor/exports/download?export=applications&format=csv"
                          "&date_from=01.04.2026&date_to=")
    assert response.status_code == 200
    assert response.is_streamed  # sent as it is written, never built whole in memory
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="kvkk-applications-20260401-')
    assert disposition.endswith('.csv"')
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_data()
    rows = read_csv(data, delimiter=",")  # the client reads English: ISO style
    assert rows[0][0] == "Tracking no" and len(rows) == 3
    assert VALID_TCKN.encode() not in data and PASSPORT.encode() not in data
    [event] = export_events(app)
    assert event.action == "export.created"
    assert event.actor == f"user:{dataset.auditor.id}"
    assert event.data == {"export": "applications", "format": "csv", "masked": True,
                          "period": {"from": "2026-04-01", "to": None}, "language": "en",
                          "via": "web", "rows": None}


def test_an_auditor_cannot_unmask(app, dataset):
    client = signed_in(app, dataset.auditor)
    response = client.get("/auditor/exports/download?export=applications&format=csv"
                          "&identity=unmasked")
    assert response.status_code == 403
    assert VALID_TCKN not in text(response)
    assert export_events(app) == []


def test_a_supervisor_unmasks_under_an_event_of_its_own(app, dataset):
    client = signed_in(app, dataset.supervisor)
    response = client.get("/auditor/exports/download?export=applications&format=xlsx"
                          "&identity=unmasked")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('-unmasked.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    numbers = {row[9] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert numbers == {VALID_TCKN, PASSPORT}
    [event] = export_events(app)
    assert event.action == "export.unmasked" and event.data["masked"] is False
    assert event.actor == f"user:{dataset.supervisor.id}"


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_officers_and_admins_cannot_reach_exports(app, dataset, role):
    client = signed_in(app, getattr(dataset, role))
    assert client.get("/auditor/exports").status_code == 403
    response = client.get("/auditor/exports/download?export=applications&format=csv")
    assert response.status_code == 403
    assert export_events(app) == []


def test_anonymous_users_are_sent_to_sign_in(app, dataset):
    response = app.test_client().get("/auditor/exports/download?export=audit&format=csv")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(("lang", "messages"), [
    ("en", ("Enter a date such as 31.12.2026.", "The end date is before the start date.")),
    ("tr", ("31.12.2026 gibi bir tarih girin.", "Bitiş tarihi başlangıç tarihinden önce.")),
])
def test_a_bad_period_is_explained_on_the_field_and_kept(app, dataset, lang, messages):
    client = signed_in(app, dataset.auditor)
    client.set_cookie("lang", lang)
    bad_date, backwards = messages
    response = client.get("/auditor/exports/download?export=audit&format=csv"
                          "&date_from=31.02.2026&date_to=01.01.2026")
    assert response.status_code == 400
    page = text(response)
    assert bad_date in page and 'value="31.02.2026"' in page and 'value="01.01.2026"' in page
    response = client.get("/auditor/exports/download?export=audit&format=csv"
                          "&date_from=02.01.2026&date_to=01.01.2026")
    assert response.status_code == 400 and backwards in text(response)
    assert 'value="02.01.2026"' in text(response)
    assert export_events(app) == []


def test_unknown_exports_and_formats_are_field_errors(app, dataset):
    client = signed_in(app, dataset.auditor)
    response = client.get("/auditor/exports/download?export=users&format=ods")
    assert response.status_code == 400
    assert text(response).count("Choose one of the listed options.") >= 2


def test_auditors_can_post_nothing_here(app, dataset):
    client = signed_in(app, dataset.auditor)
    for path in ("/auditor/exports", "/auditor/exports/download"):
        assert client.post(path, data={"export": "audit", "format": "csv"}).status_code == 405
