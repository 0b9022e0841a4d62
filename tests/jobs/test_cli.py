"""Operator commands: `sweep --now`, `outbox flush|status|retry`."""

from __future__ import annotations

import pytest
from click import BadParameter

from kvkk_tracker.extensions import db
from kvkk_tracker.jobs.cli import parse_now

from .conftest import ist


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-04-21T09:00", ist(2026, 4, 21, 9, 0)),  # naive: Istanbul
    ("2026-04-21T06:00+00:00", ist(2026, 4, 21, 9, 0)),
    ("2026-04-21", ist(2026, 4, 21, 0, 0)),
    ("2026-04-21 09:00:30", ist(2026, 4, 21, 9, 0, 30)),
])
def test_now_is_istanbul_unless_an_offset_is_given(text, expected):
    assert parse_now(text) == expected


def test_now_must_be_iso():
    with pytest.raises(BadParameter):
        parse_now("21.04.2026")


def test_sweep_prints_what_it_queued(app, runner, new_case, make_staff):
    officer = make_staff("officer", "memur@kurum.example")
    make_staff("supervisor", "sef@kurum.example")
    case = new_case(ist(2026, 4, 1), assignee_id=officer)
    result = runner.invoke(args=["sweep", "--now", "2026-04-29T10:00", "--batch-size", "5"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        from kvkk_tracker.models import Application

        tracking_no = db.session.get(Application, case).tracking_no
    assert f"queued {tracking_no} d2 -> memur@kurum.example, sef@kurum.example " \
           "(superseded: d10, d5)" in result.output
    assert result.output.rstrip().endswith(
        "sweep at 29.04.2026 10:00: 1 cases examined, 1 reminders queued (2 e-mails), "
        "2 superseded, 0 closed cases dropped")
    assert "KVKK_ESCALATION_EMAIL is not set" in result.output  # stderr, mixed in by click
    again = runner.invoke(args=["sweep", "--now", "2026-04-29T10:00"])
    assert "0 reminders queued" in again.output


def test_outbox_flush_status_and_retry(app, runner, new_case, smtp_sink):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
    new_case(ist(2026, 4, 1))
    new_case(ist(2026, 4, 1), email="ikinci@example.com.tr")
    assert runner.invoke(args=["outbox", "status"]).output.startswith(
        "queued: 2  sending: 0  sent: 0  dead: 0")
    smtp_sink.refuse.add("ikinci@example.com.tr")
    flushed = runner.invoke(args=["outbox", "flush"])
    assert flushed.output.startswith("sent 1, retrying 0, dead 1"), flushed.output
    status = runner.invoke(args=["outbox", "status"]).output
    assert status.startswith("queued: 0  sending: 0  sent: 1  dead: 1")
    assert "to ikinci@example.com.tr after 1 attempts: SMTP 550" in status
    smtp_sink.refuse.clear()
    assert runner.invoke(args=["outbox", "retry"]).exit_code != 0
    assert runner.invoke(args=["outbox", "retry", "--all-dead"]).output == "requeued 1\n"
    assert runner.invoke(args=["outbox", "flush"]).output.startswith("sent 1,")
    assert len(smtp_sink.messages) == 2
