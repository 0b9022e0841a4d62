"""The public application form: a successful application, as the applicant sees it."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application, AuditEvent

from ..builders import FIXED_NOW, form_data
from ..conftest import count_applications
from .support import (
    ACCESS_CODE_RE,
    DATE_RE,
    JPEG,
    PDF,
    PNG,
    TRACKING_RE,
    assert_friendly_error,
    csrf_token,
    page,
    stored_files,
    upload,
)


@pytest.fixture
def frozen_now(monkeypatch):
    """Receive every application at FIXED_NOW: 01.04.2026 10:00 in Istanbul."""
    monkeypatch.setattr("kvkk_tracker.web.public.submit.utcnow", lambda: FIXED_NOW)
    return FIXED_NOW


def _stored(app) -> Application:
    with app.app_context():
        application = db.session.scalars(select(Application)).one()
        db.session.expunge(application)  # read its loaded columns after the context closes
        return application


def test_valid_application_redirects_to_a_confirmation_shown_once(app, client, frozen_now):
    response = client.post("/apply", data=form_data())
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/apply/done")

    done = client.get("/apply/done")
    assert done.status_code == 200
    shown = page(done)
    tracking_no = shown.by_testid("tracking-no")
    access_code = shown.by_testid("access-code")
    assert TRACKING_RE.match(tracking_no) and tracking_no.startswith("KVKK-2026-")
    assert ACCESS_CODE_RE.match(access_code)
    # 10:00 in Istanbul on 1 April; day 30 is 1 May, Labour Day, so the outer limit rolls over
    # the weekend to Monday 4 May (KVKK.md §3).
    assert shown.by_testid("received") == "01.04.2026 10:00"
    assert shown.by_testid("statutory-due") == "01.05.2026"
    assert shown.by_testid("outer-due") == "04.05.2026"
    assert DATE_RE.match(shown.by_testid("statutory-due"))

    # The once-only code must not come back from a browser or proxy cache either.
    assert done.headers["Cache-Control"] == "no-store"

    again = client.get("/apply/done")
    assert again.status_code in (302, 303)
    assert access_code not in again.get_data(as_text=True)
    followed = client.get(again.headers["Location"])
    assert followed.status_code == 200
    assert access_code not in followed.get_data(as_text=True)
    assert tracking_no not in followed.get_data(as_text=True)


def test_stored_application_carries_utc_receipt_deadlines_basis_and_audit(app, client,
                                                                          frozen_now):
    client.post("/apply", data=form_data(rights=["a", "cc", "e"]))
    done = page(client.get("/apply/done"))
    application = _stored(app)

    assert application.tracking_no == done.by_testid("tracking-no")
    assert application.received_at == FIXED_NOW
    assert application.received_at.utcoffset() == timedelta(0)
    assert application.statutory_due == date(2026, 5, 1)
    assert application.outer_due == date(2026, 5, 4)
    assert application.status == "received"
    assert application.channel == "web"
    assert application.tckn == "17291716060"
    # The access code itself is never stored, only its hash.
    assert done.by_testid("access-code") not in application.access_code_hash
    basis = application.deadline_basis
    assert basis["policy"]["days"] == 30
    assert basis["reasons"], "the reasons for the dates are stored with them"

    with app.app_context():
        events = db.session.scalars(select(AuditEvent)).all()
        rights = set(db.session.get(Application, application.id).right_codes)
    assert rights == {"a", "cc", "e"}
    assert [e.action for e in events] == ["application.received"]
    assert events[0].application_id == application.id
    assert events[0].data["tracking_no"] == application.tracking_no
    assert events[0].public is True


def test_form_with_csrf_on_accepts_the_token_from_the_page(csrf_app, frozen_now):
    client = csrf_app.test_client()
    token = csrf_token(client.get("/apply"))
    response = client.post("/apply", data=form_data(csrf_token=token))
    assert response.status_code == 303
    shown = page(client.get("/apply/done"))
    assert TRACKING_RE.match(shown.by_testid("tracking-no"))
    assert count_applications(csrf_app) == 1


@pytest.mark.parametrize(("query", "headers", "title"), [
    ("", {}, "Formun süresi doldu"),
    ("?lang=en", {}, "The form has expired"),
    ("", {"Accept-Language": "en"}, "The form has expired"),
])
def test_form_without_csrf_token_gets_a_friendly_400(csrf_app, query, headers, title):
    client = csrf_app.test_client()
    client.get("/apply")  # a real visitor has a session; the token is what is missing
    response = client.post(f"/apply{query}", data=form_data(attachments=upload(PDF, "a.pdf")),
                           headers=headers)
    shown = assert_friendly_error(response, 400, title)
    assert "reload" in shown.html or "yeniden" in shown.html
    assert count_applications(csrf_app) == 0
    assert stored_files(csrf_app) == []


def test_honeypot_filled_in_is_not_stored(app, client):
    response = client.post("/apply", data=form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert count_applications(app) == 0


def test_representative_without_power_of_attorney_gets_a_field_error(app, client):
    response = client.post("/apply", data=form_data(representative_name="Av. Deniz Yılmaz"))
    assert response.status_code == 400
    shown = page(response)
    assert shown.field_errors("power_of_attorney") == [
        "Başkası adına başvurmanızı sağlayan vekâletnameyi ekleyin."]
    assert shown.by_id("power_of_attorney").get("aria-invalid") == "true"
    assert shown.value("representative_name") == "Av. Deniz Yılmaz"
    assert count_applications(app) == 0


def test_valid_attachments_are_stored_outside_static_under_random_names(app, client):
    files = {"kimlik.pdf": PDF, "dekont.png": PNG, "fotoğraf.jpg": JPEG}
    response = client.post("/apply", data=form_data(
        representative_name="Av. Deniz Yılmaz",
        power_of_attorney=upload(PDF + b"vekalet", "vekaletname.pdf"),
        attachments=[upload(data, name) for name, data in files.items()]))
    assert response.status_code == 303

    application = _stored(app)
    with app.app_context():
        attachments = db.session.get(Application, application.id).attachments
        rows = [(a.kind, a.original_name, a.stored_name, a.media_type, a.sha256, a.size)
                for a in attachments]
    upload_dir = Path(app.config["KVKK_UPLOAD_DIR"]).resolve()
    static_dir = Path(app.static_folder).resolve()
    assert not upload_dir.is_relative_to(static_dir)
    assert {r[1] for r in rows} == {*files, "vekaletname.pdf"}
    assert {r[0] for r in rows} == {"evidence", "power_of_attorney"}
    expected_types = {"kimlik.pdf": "application/pdf", "dekont.png": "image/png",
                      "fotoğraf.jpg": "image/jpeg", "vekaletname.pdf": "application/pdf"}
    for _kind, original, stored, media_type, sha256, size in rows:
        assert re.fullmatch(r"[0-9a-f]{32}", stored), "a random name, not the user's"
        assert original not in stored
        content = (upload_dir / stored).read_bytes()
        assert hashlib.sha256(content).hexdigest() == sha256
        assert size == len(content)
        assert media_type == expected_types[original]
        with client.get(f"/static/{stored}") as served:
            assert served.status_code == 404
    assert len(stored_files(app)) == 4


def test_confirmation_without_a_submission_sends_to_status(client):
    response = client.get("/apply/done")
    assert response.status_code in (302, 303)
    assert response.headers["Location"].endswith("/status")


def test_english_confirmation_labels(client, frozen_now):
    client.post("/apply?lang=en", data=form_data())
    done = client.get("/apply/done")
    html = done.get_data(as_text=True)
    assert "We have received your application" in html
    assert page(done).by_testid("statutory-due") == "01.05.2026"


def test_form_page_states_the_file_limit_in_readable_units(make_app):
    app = make_app(KVKK_MAX_FILE_BYTES=512 * 1024)
    html = app.test_client().get("/apply?lang=en").get_data(as_text=True)
    assert "at most 512 KB each" in html
    tr = app.test_client().get("/apply").get_data(as_text=True)
    assert "her biri en fazla 512 KB" in tr
    default = make_app().test_client().get("/apply?lang=en").get_data(as_text=True)
    assert "at most 10 MB each" in default


def test_static_files_stay_cacheable(client):
    with client.get("/static/css/site.css") as response:  # a streamed file: close it
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")
