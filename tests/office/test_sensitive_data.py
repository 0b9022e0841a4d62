"""Identity numbers stay masked unless someone asks, and every look or download is audited."""

from __future__ import annotations

import re
from urllib.parse import quote

from sqlalchemy import select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import Attachment, AuditEvent
from tests.builders import VALID_TCKN

from .conftest import PDF, audit_actions, load, login, make_user, new_application, pdf_file, text

FULL_TCKN = re.compile(r"(?<!\d)\d{11}(?!\d)")


def last_event(app) -> AuditEvent:
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        db.session.expunge(event)
        return event


def test_showing_the_tc_number_is_audited(app):
    officer = make_user(app, "officer")
    no, _code = new_application(app, assignee=officer)
    client = login(app.test_client(), officer)
    page = text(client.get(f"/office/cases/{no}"))
    assert "172******60" in page and VALID_TCKN not in page

    response = client.post(f"/office/cases/{no}/reveal")
    assert response.status_code == 200
    assert f'data-testid="identity-number" class="revealed">{VALID_TCKN}<' in text(response)
    assert response.headers["Cache-Control"] == "no-store"
    event = last_event(app)
    assert (event.action, event.actor) == ("application.identity_number_viewed",
                                           f"user:{officer.id}")
    # The number is not kept anywhere: the next view is masked again.
    assert VALID_TCKN not in text(client.get(f"/office/cases/{no}"))
    assert "Identity number shown" in text(client.get(f"/office/cases/{no}"))


def test_a_foreign_applicants_passport_number_is_masked_too(app):
    supervisor = make_user(app, "supervisor")
    no, _code = new_application(app, nationality="DE", tckn=None, passport_no="C01X00T47")
    client = login(app.test_client(), supervisor)
    page = text(client.get(f"/office/cases/{no}"))
    assert "C01****47" in page and "C01X00T47" not in page
    assert "C01X00T47" in text(client.post(f"/office/cases/{no}/reveal"))


def test_downloading_an_attachment_is_audited_and_keeps_the_stored_name_secret(app):
    officer = make_user(app, "officer")
    name = "kimlik fotokopisi ığüşöç.pdf"
    no, _code = new_application(app, assignee=officer, files=(pdf_file(name),))
    with app.app_context():
        attachment = db.session.scalars(select(Attachment)).one()
        attachment_id, stored_name = attachment.id, attachment.stored_name
    client = login(app.test_client(), officer)
    page = text(client.get(f"/office/cases/{no}"))
    assert name in page and stored_name not in page

    response = client.get(f"/office/cases/{no}/attachments/{attachment_id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    assert stored_name not in str(response.headers)
    assert response.headers["Cache-Control"] == "no-store"
    response.close()
    event = last_event(app)
    assert event.action == "application.attachment_downloaded"
    assert event.data["attachment_id"] == attachment_id
    assert "Attachment downloaded" in text(client.get(f"/office/cases/{no}"))


def test_an_auditor_may_download_and_it_is_audited_too(app):
    auditor = make_user(app, "auditor")
    no, _code = new_application(app, files=(pdf_file(),))
    client = login(app.test_client(), auditor)
    attachment_id = load(app, no).attachments[0].id
    response = client.get(f"/office/cases/{no}/attachments/{attachment_id}")
    assert response.status_code == 200
    response.close()
    assert audit_actions(app, no)[-1] == "application.attachment_downloaded"
    assert last_event(app).actor == f"user:{auditor.id}"


def test_a_file_missing_on_disk_is_404_and_not_audited(app, upload_dir):
    officer = make_user(app, "officer")
    no, _code = new_application(app, assignee=officer, files=(pdf_file(),))
    attachment = load(app, no).attachments[0]
    (upload_dir / attachment.stored_name).unlink()
    client = login(app.test_client(), officer)
    events = audit_actions(app)
    assert client.get(f"/office/cases/{no}/attachments/{attachment.id}").status_code == 404
    assert audit_actions(app) == events


def test_lists_show_only_masked_tc_numbers(app):
    supervisor = make_user(app, "supervisor")
    for days in (1, 5, 40):
        new_application(app, received_days_ago=days)
    client = login(app.test_client(), supervisor)
    queue = text(client.get("/office/"))
    assert queue.count("172******60") == 3
    assert FULL_TCKN.search(queue) is None
