"""Delivering the reply: the finalised letter, by e-mail through the outbox or recorded."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import select

from kvkk_tracker.clock import utcnow
from kvkk_tracker.extensions import db
from kvkk_tracker.jobs.outbox import dispatch
from kvkk_tracker.mail import SmtpSettings
from kvkk_tracker.models import AuditEvent, Letter, OutboxMessage
from kvkk_tracker.services.outbox import OutboxSettings
from tests.office.conftest import load, login, make_user, new_application, text

from .builders import decide, finalise, stored


def reply_post(client, app, no, channel="email", proof=""):
    return client.post(f"/office/cases/{no}/reply", data={
        "reply-version": load(app, no).version, "reply-channel": channel,
        "reply-sent_on": date.today().isoformat(), "reply-proof": proof})


def test_replying_without_a_final_letter_is_refused(app):
    officer = make_user(app, "officer")
    no, _code = new_application(app, rights=("a",), assignee=officer)
    decide(app, officer, no)
    client = login(app.test_client(), officer)
    response = reply_post(client, app, no)
    assert response.status_code == 400
    assert "Finalise the reply letter first" in text(response)
    assert load(app, no).status == "decided"


def test_the_reply_letter_goes_out_as_a_pdf_attachment(app, smtp_sink):
    officer = make_user(app, "officer")
    no, _code = new_application(app, rights=("a",), assignee=officer,
                                email="basvuran@example.com.tr")
    decide(app, officer, no)
    letter_id = finalise(app, officer, no)
    client = login(app.test_client(), officer)
    assert reply_post(client, app, no).status_code == 303
    assert load(app, no).status == "replied"

    with app.app_context():
        message = db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.kind == "reply_sent"))
        assert message.letter_id == letter_id  # a reference, not a copy of the bytes
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "application.replied"))
        assert event.data["letter"]["id"] == letter_id
        assert event.data["outbox_id"] == message.id
        smtp = SmtpSettings(server="127.0.0.1", port=smtp_sink.port, use_tls=False,
                            username=None, password=None, sender="kvkk@kurum.example")
        report = dispatch(db.session, utcnow(), OutboxSettings(), smtp)
        db.session.remove()
    assert report.sent == 2  # the acknowledgement queued at intake, and the reply

    acknowledgement, mail = smtp_sink.to("basvuran@example.com.tr")
    assert not [p for p in acknowledgement.walk() if p.get_content_type() == "application/pdf"]
    [attachment] = [part for part in mail.walk() if part.get_content_type() == "application/pdf"]
    data = attachment.get_payload(decode=True)
    letter = stored(app, letter_id)
    assert data == letter.pdf
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    assert attachment.get_filename() == f"{no}-reply-v1.pdf"
    body = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
    assert letter.sha256 in body.get_payload(decode=True).decode()
    assert (letter.delivery_channel, letter.delivered_at is not None) == ("email", True)


def test_a_letter_whose_bytes_changed_is_never_sent(app, smtp_sink):
    officer = make_user(app, "officer")
    no, _code = new_application(app, rights=("a",), assignee=officer)
    decide(app, officer, no)
    letter_id = finalise(app, officer, no)
    client = login(app.test_client(), officer)
    assert reply_post(client, app, no).status_code == 303
    with app.app_context():
        db.session.execute(Letter.__table__.update().where(Letter.id == letter_id)
                           .values(pdf=b"%PDF forged"))
        db.session.commit()
        smtp = SmtpSettings(server="127.0.0.1", port=smtp_sink.port, use_tls=False,
                            username=None, password=None, sender="kvkk@kurum.example")
        report = dispatch(db.session, utcnow(), OutboxSettings(), smtp)
        state = db.session.scalar(select(OutboxMessage.state).where(
            OutboxMessage.letter_id == letter_id))
        db.session.remove()
    assert (report.sent, report.dead, state) == (1, 1, "dead")  # the acknowledgement went
    assert [p for m in smtp_sink.messages for p in m.walk()
            if p.get_content_type() == "application/pdf"] == []


def test_posted_reply_is_recorded_with_its_proof_and_no_attachment(app):
    officer = make_user(app, "officer")
    no, _code = new_application(app, rights=("a",), assignee=officer)
    decide(app, officer, no)
    letter_id = finalise(app, officer, no)
    client = login(app.test_client(), officer)
    assert reply_post(client, app, no, channel="post", proof="RR123456789TR").status_code == 303
    letter = stored(app, letter_id)
    assert letter.delivery_channel == "post"
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.kind == "reply_sent"))
        assert message.letter_id is None  # the notice goes, the letter went by post
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "application.replied"))
        assert event.data["proof"] == "RR123456789TR"
        assert event.data["letter"]["sha256"] == letter.sha256


def test_by_email_needs_an_address(app):
    officer = make_user(app, "officer")
    no, _code = new_application(app, rights=("a",), assignee=officer, email=None,
                                reply_channel="post")
    decide(app, officer, no)
    finalise(app, officer, no)
    client = login(app.test_client(), officer)
    response = reply_post(client, app, no, channel="email")
    assert response.status_code == 400
    assert "gave no e-mail address" in text(response)
    assert load(app, no).status == "decided"


def test_a_letter_finalised_before_the_decision_changed_is_not_sent(app):
    officer = make_user(app, "officer")
    no, _code = new_application(app, rights=("a",), assignee=officer)
    decide(app, officer, no)
    finalise(app, officer, no)
    client = login(app.test_client(), officer)
    # Reopen the decision and change it: the finalised letter no longer says what was decided.
    assert client.post(f"/office/cases/{no}/move", data={
        "move-version": load(app, no).version, "move-target": "in_review"}).status_code == 303
    assert client.post(f"/office/cases/{no}/rights/a/decision", data={
        "decide-a-version": load(app, no).version, "decide-a-outcome": "rejected",
        "decide-a-reason_code": "art28_2_a",
        "decide-a-justification": "Soruşturma sürüyor."}).status_code == 303
    assert client.post(f"/office/cases/{no}/move", data={
        "move-version": load(app, no).version, "move-target": "decided"}).status_code == 303
    assert 'data-testid="letter-outdated"' in text(client.get(f"/office/cases/{no}"))
    response = reply_post(client, app, no, channel="post")
    assert response.status_code == 400 and "finalise a corrected version" in text(response)
    assert load(app, no).status == "decided"
    assert client.post(f"/office/cases/{no}/letters/reply/finalise", data={
        "finalise-reply-version": load(app, no).version,
        "finalise-reply-reason": "Karar değişti"}).status_code == 303
    assert reply_post(client, app, no, channel="post").status_code == 303
    assert load(app, no).status == "replied"


def test_finalising_moves_the_case_version_so_a_stale_form_is_a_conflict(app):
    officer = make_user(app, "officer")
    supervisor = make_user(app, "supervisor")
    no, _code = new_application(app, rights=("a",), assignee=officer)
    decide(app, officer, no)
    seen = load(app, no).version
    finalise(app, supervisor, no)
    client = login(app.test_client(), officer)
    response = client.post(f"/office/cases/{no}/letters/reply/finalise", data={
        "finalise-reply-version": seen, "finalise-reply-reason": "ikinci"})
    assert response.status_code == 303  # back to the page with the conflict message
    page = text(client.get(f"/office/cases/{no}"))
    assert "changed this application" in page
    with app.app_context():
        assert db.session.query(Letter).count() == 1
