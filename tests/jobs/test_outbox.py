"""The outbox dispatcher against a real SMTP server (aiosmtpd on loopback), not mocks."""

from __future__ import annotations

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from kvkk_tracker.extensions import db
from kvkk_tracker.jobs.outbox import dispatch
from kvkk_tracker.mail import SmtpSettings
from kvkk_tracker.models import OutboxMessage
from kvkk_tracker.services import outbox
from kvkk_tracker.services.outbox import OutboxSettings

from .conftest import free_port, ist

NOW = ist(2026, 4, 1, 10, 0)
SETTINGS = OutboxSettings(max_attempts=4, backoff_seconds=60, backoff_max_seconds=300,
                          claim_timeout_seconds=600, batch_size=3)


def smtp_settings(port: int) -> SmtpSettings:
    return SmtpSettings(server="127.0.0.1", port=port, use_tls=False, username=None,
                        password=None, sender="kvkk@kurum.example",
                        sender_name="Örnek Veri Sorumlusu A.Ş.", timeout=5)


@pytest.fixture
def queue_mail(app):
    def build(count: int = 1, recipient: str = "kisi@example.com.tr") -> list[int]:
        with app.app_context():
            made = [outbox.queue(db.session, NOW, kind="reminder", dedupe_key=f"test:{i}",
                                 recipient=recipient, subject=f"Konu {i}: süre İĞÜŞÖÇ",
                                 body=f"Gövde {i}\nçğıöşü") for i in range(count)]
            db.session.commit()
            return [m.id for m in made]

    return build


@pytest.fixture
def run_dispatch(app):
    def run(now, port, settings=SETTINGS):
        with app.app_context():
            report = dispatch(db.session, now, settings, smtp_settings(port))
            db.session.remove()
            return report

    return run


def states(app) -> list[tuple[int, str, int]]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            select(OutboxMessage.id, OutboxMessage.state, OutboxMessage.attempts)
            .order_by(OutboxMessage.id))]


def message(app, message_id: int) -> OutboxMessage:
    with app.app_context():
        found = db.session.get(OutboxMessage, message_id)
        db.session.expunge(found)
        return found


def test_delivers_with_a_message_id_derived_from_the_outbox_row(app, queue_mail, smtp_sink,
                                                                run_dispatch):
    ids = queue_mail(5)
    report = run_dispatch(NOW, smtp_sink.port)
    assert report.sent == 5 and report.error is None
    assert [s for _i, s, _a in states(app)] == ["sent"] * 5
    first = smtp_sink.messages[0]
    assert first["Message-ID"] == f"<kvkk-outbox.{ids[0]}.20260401070000@kurum.example>"
    assert str(make_header(decode_header(first["Subject"]))) == "Konu 0: süre İĞÜŞÖÇ"
    assert first["To"] == "kisi@example.com.tr"
    assert "kvkk@kurum.example" in first["From"]
    assert first.get_payload(decode=True).decode().replace("\r\n", "\n") == "Gövde 0\nçğıöşü\n"
    assert sorted(smtp_sink.message_ids) == sorted(set(smtp_sink.message_ids))
    with app.app_context():
        assert outbox.counts(db.session) == {"queued": 0, "sending": 0, "sent": 5, "dead": 0}
    assert run_dispatch(NOW + timedelta(minutes=1), smtp_sink.port).sent == 0


def test_smtp_down_backs_off_then_delivers_exactly_once(app, queue_mail, run_dispatch):
    from .smtp import SmtpSink

    [mid] = queue_mail(1)
    port = free_port()  # nothing listens yet
    report = run_dispatch(NOW, port)
    assert report.retried == 1 and "Connection" in report.error
    stored = message(app, mid)
    assert (stored.state, stored.attempts) == ("queued", 1)
    assert stored.next_attempt_at == NOW + timedelta(seconds=60)
    assert "ConnectionRefusedError" in stored.last_error
    report = run_dispatch(NOW + timedelta(seconds=61), port)
    assert message(app, mid).next_attempt_at == NOW + timedelta(seconds=61 + 120)

    sink = SmtpSink(port)
    sink.start()
    try:
        assert run_dispatch(NOW + timedelta(seconds=62), port).sent == 0  # still backing off
        assert run_dispatch(NOW + timedelta(seconds=181), port).sent == 1
        assert run_dispatch(NOW + timedelta(hours=1), port).sent == 0
        assert len(sink.messages) == 1
    finally:
        sink.stop()
    assert message(app, mid).state == "sent" and message(app, mid).last_error is None


def test_backoff_is_exponential_and_capped():
    assert [SETTINGS.backoff(n).total_seconds() for n in range(1, 6)] == [60, 120, 240, 300, 300]
    assert OutboxSettings().backoff(10_000) == timedelta(hours=6)


def test_after_n_attempts_the_message_is_parked_dead(app, queue_mail, run_dispatch):
    [mid] = queue_mail(1)
    port = free_port()
    now = NOW
    for _ in range(SETTINGS.max_attempts):
        run_dispatch(now, port)
        now += timedelta(hours=1)
    stored = message(app, mid)
    assert (stored.state, stored.attempts) == ("dead", 4)
    assert "Connection" in stored.last_error
    with app.app_context():
        assert [m.id for m in outbox.dead_messages(db.session)] == [mid]
        assert outbox.requeue_dead(db.session, now) == 1
        db.session.commit()
    assert message(app, mid).state == "queued"


def test_a_refused_recipient_is_dead_at_once_the_others_go(app, queue_mail, smtp_sink,
                                                           run_dispatch):
    good = queue_mail(2)
    with app.app_context():
        bad = outbox.queue(db.session, NOW, kind="reminder", dedupe_key="bad",
                           recipient="yok@example.com.tr", subject="s", body="b")
        db.session.commit()
        bad_id = bad.id
    smtp_sink.refuse.add("yok@example.com.tr")
    report = run_dispatch(NOW, smtp_sink.port)
    assert (report.sent, report.dead) == (2, 1)
    stored = message(app, bad_id)
    assert stored.state == "dead" and stored.last_error.startswith("SMTP 550")
    assert {m["To"] for m in smtp_sink.messages} == {"kisi@example.com.tr"}
    assert len(good) == 2


def test_a_crashed_dispatcher_is_taken_over_after_the_claim_times_out(app, queue_mail,
                                                                       smtp_sink, run_dispatch):
    [mid] = queue_mail(1)
    with app.app_context():  # a dispatcher claims the message, then dies before SMTP
        [claimed] = outbox.claim(db.session, NOW, SETTINGS)
        db.session.commit()
    assert run_dispatch(NOW + timedelta(seconds=599), smtp_sink.port).sent == 0
    report = run_dispatch(NOW + timedelta(seconds=601), smtp_sink.port)
    assert (report.recovered, report.sent) == (1, 1)
    stored = message(app, mid)
    assert stored.state == "sent" and stored.attempts == 2
    with app.app_context():  # the dead dispatcher's late "sent" finds its claim gone
        assert outbox.mark_sent(db.session, NOW, claimed) is False


def test_two_claims_never_overlap(app, queue_mail):
    queue_mail(5)
    with app.app_context():
        first = outbox.claim(db.session, NOW, SETTINGS)
        db.session.commit()
        second = outbox.claim(db.session, NOW, SETTINGS)
        db.session.commit()
    assert len(first) == 3 and len(second) == 2
    assert not {m.id for m in first} & {m.id for m in second}
