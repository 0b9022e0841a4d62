"""Logging an application that came by post, KEP and the other channels (Tebliğ Art. 5)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from kvkk_tracker.clock import utcnow
from kvkk_tracker.domain.deadlines import ISTANBUL, days_left
from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application
from kvkk_tracker.web.office import log as log_view
from tests.builders import INVALID_TCKN, form_data
from tests.conftest import count_applications

from .conftest import PDF, audit_actions, flashes, login, make_user, text


def logged(received: datetime, **overrides) -> dict:
    local = received.astimezone(ISTANBUL)
    data = form_data(channel="kep", received_date=local.date().isoformat(),
                     received_time=local.strftime("%H:%M"), receipt_evidence="KEP-2026-0042")
    data.pop("declaration")
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def officer(app):
    return make_user(app, "officer", name="Ayşe Yılmaz")


@pytest.fixture
def client(app, officer):
    return login(app.test_client(), officer)


def stored(app, tracking_no: str | None = None) -> Application:
    with app.app_context():
        query = select(Application).order_by(Application.id.desc())
        if tracking_no:
            query = query.where(Application.tracking_no == tracking_no)
        application = db.session.scalars(query).first()
        _ = application.attachments
        db.session.expunge_all()
        return application


def test_a_kep_application_received_40_days_ago_is_created_overdue(app, client, officer):
    received = utcnow() - timedelta(days=40)
    response = client.post("/office/applications/new", data=logged(received))
    assert response.status_code == 303
    application = stored(app)
    assert response.headers["Location"].endswith(f"/office/cases/{application.tracking_no}")
    day0 = received.astimezone(ISTANBUL).date()
    assert application.statutory_due == day0 + timedelta(days=30)
    assert days_left(application.statutory_due, utcnow()) < 0
    assert (application.channel, application.status) == ("kep", "received")
    assert application.receipt_evidence == "KEP-2026-0042"
    assert application.logged_by_id == officer.id and application.assignee_id is None
    assert application.language == "tr"
    page = text(client.get(response.headers["Location"]))
    warning = [m for m in flashes(page) if "overdue" in m]
    assert warning and "registered all the same" in warning[0]
    assert "access code" in " ".join(flashes(page))
    assert 'class="overdue"' in page
    assert audit_actions(app, application.tracking_no) == ["application.received"]


def test_the_deadline_runs_from_the_receipt_time_not_from_now(app, client):
    # 23:30 in Istanbul is already the next day in no UTC sense, but the clock is Istanbul's.
    local = (utcnow() - timedelta(days=5)).astimezone(ISTANBUL).replace(
        hour=23, minute=30, second=0, microsecond=0)
    response = client.post("/office/applications/new", data=logged(local))
    assert response.status_code == 303
    application = stored(app)
    assert application.received_at == local.astimezone(UTC)
    assert application.statutory_due == local.date() + timedelta(days=30)
    assert application.statutory_due != utcnow().astimezone(ISTANBUL).date() + timedelta(days=30)
    assert not any("overdue" in m for m in flashes(text(client.get(
        response.headers["Location"]))))


def test_a_future_receipt_date_is_a_field_error(app, client):
    before = count_applications(app)
    response = client.post("/office/applications/new",
                           data=logged(utcnow() + timedelta(days=2)))
    assert response.status_code == 400
    page = text(response)
    assert "The receipt date cannot be in the future." in page
    assert 'id="received_date-error"' in page
    assert 'aria-describedby="received_date-hint received_date-error"' in page
    assert count_applications(app) == before


def test_a_future_receipt_time_today_is_a_field_error(app, client, monkeypatch):
    morning = datetime(2026, 4, 1, 7, 0, tzinfo=UTC)  # 10:00 in Istanbul
    monkeypatch.setattr(log_view, "utcnow", lambda: morning)
    response = client.post("/office/applications/new",
                           data=logged(morning, received_time="11:00"))
    assert response.status_code == 400
    assert "The receipt time cannot be in the future." in text(response)
    assert 'id="received_time-error"' in text(response)
    assert client.post("/office/applications/new",
                       data=logged(morning, received_time="09:59")).status_code == 303


@pytest.mark.parametrize(("field", "value", "message"), [
    ("receipt_evidence", "  ", "Enter the registry number or the KEP receipt."),
    ("channel", "web", "Choose one of the listed options."),
    ("tckn", INVALID_TCKN, "This T.C. identity number is not valid"),
    ("rights", [], "Choose at least one right."),
    ("received_date", "2015-12-31", "before KVKK was published"),
])
def test_the_applicant_and_receipt_fields_are_validated(app, client, field, value, message):
    response = client.post("/office/applications/new",
                           data=logged(utcnow() - timedelta(days=1), **{field: value}))
    assert response.status_code == 400
    assert message in text(response)
    assert count_applications(app) == 0


def test_a_receipt_scan_is_kept_and_checked_by_content(app, client, upload_dir):
    data = logged(utcnow() - timedelta(days=1), take="y")
    data["receipt_scan"] = (io.BytesIO(PDF), "tarama.pdf")
    response = client.post("/office/applications/new", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 303
    application = stored(app)
    assert [(a.kind, a.original_name, a.media_type) for a in application.attachments] == [
        ("receipt_scan", "tarama.pdf", "application/pdf")]
    assert application.assignee_id is not None  # taken at once
    assert audit_actions(app, application.tracking_no) == ["application.received",
                                                           "application.assigned"]

    files_before = sorted(upload_dir.iterdir())
    data = logged(utcnow() - timedelta(days=1))
    data["receipt_scan"] = (io.BytesIO(b"MZ\x90\x00 not a scan"), "tarama.pdf")
    response = client.post("/office/applications/new", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "tarama.pdf is not a PDF, JPEG or PNG file." in text(response)
    assert sorted(upload_dir.iterdir()) == files_before
    assert count_applications(app) == 1


def test_files_are_discarded_when_the_transaction_fails(app, client, upload_dir, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(log_view.case_service, "take", broken)
    data = logged(utcnow() - timedelta(days=1), take="y")
    data["receipt_scan"] = (io.BytesIO(PDF), "tarama.pdf")
    with pytest.raises(RuntimeError):
        client.post("/office/applications/new", data=data, content_type="multipart/form-data")
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []
    assert count_applications(app) == 0


def test_the_form_is_accessible_and_offers_every_channel_but_web(client):
    page = text(client.get("/office/applications/new"))
    for channel in ("written", "kep", "e_signature", "mobile_signature", "registered_email"):
        assert f'<option value="{channel}"' in page
    assert '<option value="web"' not in page
    assert 'type="date"' in page and 'type="time"' in page
    assert 'name="declaration"' not in page and 'name="website"' not in page
    for name in ("channel", "received_date", "received_time", "receipt_evidence",
                 "receipt_scan", "first_name", "tckn", "subject", "take"):
        assert f'<label for="{name}">' in page
    assert "<legend>" in page
