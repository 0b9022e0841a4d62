"""Finalising freezes a letter; a correction is a new version and the old one keeps its bytes."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import func, select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import AuditEvent, Letter
from tests.office.conftest import audit_actions, load, login, make_user, new_application, text

from .builders import decide, stored
from .pdftext import pdf_text


def finalise_post(client, app, no, kind="reply", **fields):
    data = {f"finalise-{kind}-version": load(app, no).version}
    data.update({f"finalise-{kind}-{k}": v for k, v in fields.items()})
    return client.post(f"/office/cases/{no}/letters/{kind}/finalise", data=data)


def letters_of(app, no) -> list[Letter]:
    application_id = load(app, no).id
    with app.app_context():
        rows = db.session.scalars(select(Letter).where(Letter.application_id == application_id)
                                  .order_by(Letter.id)).all()
        db.session.expunge_all()
        return rows


def test_finalise_freezes_and_a_correction_keeps_the_old_version(app):
    officer = make_user(app, "officer", name="Ayşe Yılmaz")
    supervisor = make_user(app, "supervisor", name="Selin Kaya")
    no, _code = new_application(app, rights=("a", "e"), assignee=officer)
    decide(app, officer, no)
    client = login(app.test_client(), officer)

    response = finalise_post(client, app, no)
    assert response.status_code == 303
    [first] = letters_of(app, no)
    v1 = stored(app, first.id)
    assert (v1.kind, v1.version, v1.superseded_by_id) == ("reply", 1, None)
    assert v1.sha256 == hashlib.sha256(v1.pdf).hexdigest()
    assert v1.template_version.startswith("reply-") and v1.page_count >= 1
    assert v1.params["variant"] and v1.params["officer_id"] == officer.id
    body = pdf_text(v1.pdf)
    assert no in body and "Ayşe Yılmaz" in body and "TASLAK" not in body

    # The case page lists the version with its hash and who made it.
    page = text(client.get(f"/office/cases/{no}"))
    assert v1.sha256 in page.replace("<wbr>", "") and "Ayşe Yılmaz" in page
    assert "Letter finalised" in page and f"SHA-256 {v1.sha256[:16]}" in page  # the timeline

    # A second final needs a reason; without one nothing is stored.
    boss = login(app.test_client(), supervisor)
    refused = finalise_post(boss, app, no)
    assert refused.status_code == 400
    assert "say why this corrected version replaces it" in text(refused)
    assert len(letters_of(app, no)) == 1

    assert finalise_post(boss, app, no, reason="İmza bloğu düzeltildi").status_code == 303
    old, new = letters_of(app, no)
    again = stored(app, old.id)
    assert (again.pdf, again.sha256) == (v1.pdf, v1.sha256)  # untouched
    assert again.superseded_by_id == new.id
    v2 = stored(app, new.id)
    assert v2.version == 2 and v2.correction_reason == "İmza bloğu düzeltildi"
    assert v2.sha256 != v1.sha256 and v2.sha256 == hashlib.sha256(v2.pdf).hexdigest()
    assert "Selin Kaya" in pdf_text(v2.pdf)

    with app.app_context():
        finalised = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "application.letter_finalised").order_by(AuditEvent.id)).all()
        assert [(e.data["version"], e.data["sha256"]) for e in finalised] == [
            (1, v1.sha256), (2, v2.sha256)]
        assert finalised[1].data["supersedes"] == v1.id


def finalised_case(app):
    """A decided one-right case with its reply letter finalised by its officer."""
    officer = make_user(app, "officer")
    no, _code = new_application(app, rights=("a",), assignee=officer)
    decide(app, officer, no)
    client = login(app.test_client(), officer)
    assert finalise_post(client, app, no).status_code == 303
    [letter] = letters_of(app, no)
    return no, client, letter


def test_the_hash_stored_is_the_hash_of_the_bytes_served(app):
    no, _client, letter = finalised_case(app)
    auditor = make_user(app, "auditor")
    reader = login(app.test_client(), auditor)
    response = reader.get(f"/office/cases/{no}/letters/{letter.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    served = response.get_data()
    assert hashlib.sha256(served).hexdigest() == letter.sha256
    assert response.headers["X-Letter-SHA256"] == letter.sha256
    assert "application.letter_downloaded" in audit_actions(app, no)
    # Auditors read: they get no finalise form and cannot finalise.
    assert 'data-testid="finalise-reply"' not in text(reader.get(f"/office/cases/{no}"))
    assert finalise_post(reader, app, no, reason="x").status_code == 403


def test_tampered_bytes_are_never_served(app):
    no, client, letter = finalised_case(app)
    with app.app_context():
        db.session.execute(Letter.__table__.update().where(Letter.id == letter.id)
                           .values(pdf=b"%PDF-1.7 forged"))
        db.session.commit()
    assert client.get(f"/office/cases/{no}/letters/{letter.id}.pdf").status_code == 409


def test_the_reply_letter_is_finalised_only_once_decided(app):
    officer = make_user(app, "officer")
    no, _code = new_application(app, rights=("a",), assignee=officer)
    client = login(app.test_client(), officer)
    response = finalise_post(client, app, no)
    assert response.status_code == 400
    assert "only once the application is decided" in text(response)
    assert letters_of(app, no) == []
    assert "application.letter_finalised" not in audit_actions(app, no)


def test_preview_is_a_watermarked_draft_and_stores_nothing(app):
    officer = make_user(app, "officer")
    no, _code = new_application(app, rights=("a",), assignee=officer)
    client = login(app.test_client(), officer)
    pdf = client.get(f"/office/cases/{no}/letters/receipt/preview.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "TASLAK" in pdf_text(pdf.get_data()) and no in pdf_text(pdf.get_data())
    html = client.get(f"/office/cases/{no}/letters/receipt/preview")
    assert html.status_code == 200 and "TASLAK" in text(html)
    assert "script-src" not in html.headers["Content-Security-Policy"]
    assert "sandbox" in html.headers["Content-Security-Policy"]
    assert letters_of(app, no) == []
    assert audit_actions(app, no).count("application.letter_previewed") == 2
    assert client.get(f"/office/cases/{no}/letters/nonsense/preview").status_code == 404


def test_hostile_details_render_as_text(app):
    officer = make_user(app, "officer")
    no, _code = new_application(app, rights=("a",), assignee=officer)
    client = login(app.test_client(), officer)
    hostile = '<script>alert(1)</script><img src="http://evil.example/x.png">'
    html = text(client.get(f"/office/cases/{no}/letters/info_request/preview",
                           query_string={"details": hostile}))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert '<img src="http://evil.example' not in html
    response = finalise_post(client, app, no, kind="info_request", details=hostile)
    assert response.status_code == 303
    [letter] = letters_of(app, no)
    assert "<script>alert(1)</script>" in pdf_text(stored(app, letter.id).pdf)  # as text
    # Control characters are refused with a field message, nothing stored.
    bad = finalise_post(client, app, no, kind="info_request", details="a\x00b", reason="r")
    assert bad.status_code == 400 and len(letters_of(app, no)) == 1


def test_every_offered_preview_renders(app):
    """The case page offers previews as the case stands; each of them must render."""
    officer = make_user(app, "officer")
    no, _code = new_application(app, rights=("a", "b"), assignee=officer)
    client = login(app.test_client(), officer)
    client.post(f"/office/cases/{no}/move", data={"move-version": load(app, no).version,
                                                  "move-target": "in_review"})
    client.post(f"/office/cases/{no}/identity", data={
        "identity-version": load(app, no).version, "identity-method": "records_code",
        "identity-result": "failed"})
    page = text(client.get(f"/office/cases/{no}"))
    offered = re.findall(r'data-testid="preview-pdf-(\w+)"', page)
    assert set(offered) == {"receipt", "info_request", "reply", "identity_rejection"}
    for kind in offered:
        response = client.get(f"/office/cases/{no}/letters/{kind}/preview.pdf")
        assert response.status_code == 200, kind
        assert "TASLAK" in pdf_text(response.get_data())


def test_a_bad_fee_setting_is_told_to_the_officer_not_a_server_error(app):
    officer = make_user(app, "officer", name="Ayşe Yılmaz")
    no, _code = new_application(app, rights=("a",), assignee=officer)
    decide(app, officer, no)
    client = login(app.test_client(), officer)
    app.config["KVKK_FEE_PER_PAGE"] = "2"  # above the Tebliğ's 1 TL a page
    try:
        with app.app_context():
            before = db.session.scalar(select(func.count()).select_from(AuditEvent))
        for response in (client.get(f"/office/cases/{no}/letters/reply/preview"),
                         client.get(f"/office/cases/{no}/letters/reply/preview.pdf"),
                         finalise_post(client, app, no)):
            assert response.status_code == 503
            page = text(response)
            assert "the fee settings (KVKK_FEE_PER_PAGE, KVKK_FEE_FREE_PAGES) are not valid" \
                in page
            assert 'data-testid="refusal"' in response.get_data(as_text=True)
        assert letters_of(app, no) == []
        with app.app_context():  # nothing audited: no letter was previewed or made
            assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
        # In Turkish for a Turkish-speaking officer.
        client.set_cookie("lang", "tr")
        turkish = client.get(f"/office/cases/{no}/letters/reply/preview")
        assert "ücret ayarları" in text(turkish)
    finally:
        app.config["KVKK_FEE_PER_PAGE"] = "0"
