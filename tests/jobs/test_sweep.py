"""The deadline sweep against a real database: rows, timeline, notifications, outbox."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select, text, update

from kvkk_tracker.extensions import db
from kvkk_tracker.jobs.sweep import settings_from_app, sweep
from kvkk_tracker.models import Application, AuditEvent, Notification, Reminder, User
from kvkk_tracker.services import cases
from kvkk_tracker.services.audit import verify_chain

from .conftest import ist, outbox_rows

RECEIVED = ist(2026, 4, 1, 10, 0)  # statutory_due Friday 1 May 2026 (a holiday), 23:59


@pytest.fixture
def run_sweep(app):
    def run(now, **settings):
        with app.app_context():
            config = replace(settings_from_app(), **settings)
            report = sweep(db.session, now, config)
            db.session.remove()
            return report

    return run


@pytest.fixture
def office(make_staff):
    return {"officer": make_staff("officer", "memur@kurum.example"),
            "supervisor": make_staff("supervisor", "sef@kurum.example"),
            "supervisor2": make_staff("supervisor", "sef2@kurum.example")}


def reminder_rows(app, application_id):
    with app.app_context():
        rows = db.session.execute(select(Reminder.rung, Reminder.state)
                                  .where(Reminder.application_id == application_id)
                                  .order_by(Reminder.id)).all()
        return [tuple(r) for r in rows]


def next_at(app, application_id):
    with app.app_context():
        return db.session.get(Application, application_id).next_reminder_at


def test_submission_queues_the_acknowledgement_and_schedules_a_first_look(app, new_case):
    case = new_case(RECEIVED)
    [ack] = outbox_rows(app, "acknowledgement")
    assert ack.recipient == "isil@example.com.tr"
    assert ack.application_id == case and ack.state == "queued"
    with app.app_context():
        application = db.session.get(Application, case)
        assert application.tracking_no in ack.subject and application.tracking_no in ack.body
        assert application.next_reminder_at == RECEIVED
    assert "01.05.2026" in ack.body  # the statutory deadline, dd.mm.yyyy
    assert "erişim kodu" in ack.body and "Işıl" not in ack.body


def test_no_email_no_acknowledgement(app, new_case):
    new_case(RECEIVED, email=None)
    assert outbox_rows(app) == []


def test_first_sweep_only_works_out_the_ladder(app, new_case, office, run_sweep):
    case = new_case(RECEIVED)
    report = run_sweep(RECEIVED)
    assert report.examined == 1 and report.queued == []
    assert next_at(app, case) == ist(2026, 4, 3, 10, 0)  # unassigned, two working days
    assert run_sweep(ist(2026, 4, 2, 10, 0)).examined == 0  # nothing due: not even read


def test_unassigned_case_goes_to_the_supervisors(app, new_case, office, run_sweep):
    case = new_case(RECEIVED)
    report = run_sweep(ist(2026, 4, 3, 10, 0))
    [queued] = report.queued
    assert queued.rung == "unassigned"
    assert sorted(queued.recipients) == ["sef2@kurum.example", "sef@kurum.example"]
    assert reminder_rows(app, case) == [("unassigned", "sent")]
    with app.app_context():
        users = db.session.scalars(select(Notification.user_id).where(
            Notification.application_id == case, Notification.kind == "reminder")).all()
        assert sorted(users) == sorted([office["supervisor"], office["supervisor2"]])
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "application.reminder_sent"))
        assert event.application_id == case and event.actor == "system:sweep"
        assert event.data["rung"] == "unassigned" and event.public is False
    assert next_at(app, case) == ist(2026, 4, 21, 8, 30)


def test_routine_rung_goes_to_the_assignee_only(app, new_case, office, run_sweep):
    case = new_case(RECEIVED, assignee_id=office["officer"])
    run_sweep(RECEIVED)
    report = run_sweep(ist(2026, 4, 21, 8, 35))
    assert [(q.rung, q.recipients) for q in report.queued] == [
        ("d10", ("memur@kurum.example",))]
    [mail] = outbox_rows(app, "reminder")
    assert "10 gün" in mail.subject and "01.05.2026" in mail.subject
    assert "Işıl" not in mail.body  # staff mail carries no applicant data
    assert next_at(app, case) == ist(2026, 4, 27, 8, 30)


def test_catch_up_sends_only_the_most_severe_rung_once(app, new_case, office, run_sweep):
    case = new_case(RECEIVED, assignee_id=office["officer"])
    report = run_sweep(ist(2026, 4, 29, 10, 0))  # the scheduler was down for weeks
    [queued] = report.queued
    assert queued.rung == "d2" and queued.superseded == ("d10", "d5")
    assert sorted(queued.recipients) == ["memur@kurum.example", "sef2@kurum.example",
                                         "sef@kurum.example"]
    assert reminder_rows(app, case) == [("d10", "superseded"), ("d5", "superseded"),
                                        ("d2", "sent")]
    with app.app_context():  # the next sweep finds nothing, even if forced to look
        db.session.execute(update(Application).values(next_reminder_at=RECEIVED))
        db.session.commit()
    assert run_sweep(ist(2026, 4, 29, 10, 5)).queued == []
    assert len(outbox_rows(app, "reminder")) == 3


def test_overdue_escalates(app, new_case, office, run_sweep):
    new_case(RECEIVED, assignee_id=office["officer"])
    report = run_sweep(ist(2026, 5, 2, 0, 5), escalation_email="dpo@kurum.example")
    [queued] = report.queued
    assert queued.rung == "overdue"
    assert "dpo@kurum.example" in queued.recipients and "memur@kurum.example" in \
        queued.recipients
    [dpo] = [m for m in outbox_rows(app, "reminder") if m.recipient == "dpo@kurum.example"]
    assert dpo.subject.startswith("[KVKK] SÜRE AŞILDI")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "application.reminder_sent"))
        assert event.data["escalated"] is True
        assert set(event.data["superseded"]) == {"d10", "d5", "d2", "due_day"}
    # Each following working day while it stays open: once.
    assert [q.rung for q in run_sweep(ist(2026, 5, 4, 8, 31)).queued] == ["overdue:2026-05-04"]
    assert run_sweep(ist(2026, 5, 4, 9, 0)).queued == []


def test_disabled_assignee_means_the_supervisors_hear(app, new_case, make_staff, run_sweep):
    gone = make_staff("officer", "eski@kurum.example", active=False)
    make_staff("supervisor", "sef@kurum.example")
    new_case(RECEIVED, assignee_id=gone)
    [queued] = run_sweep(ist(2026, 4, 21, 9, 0)).queued
    assert queued.recipients == ("sef@kurum.example",)


def test_without_supervisors_the_admins_hear(app, new_case, make_staff, run_sweep):
    make_staff("admin", "admin@kurum.example")
    new_case(RECEIVED)
    [queued] = run_sweep(ist(2026, 4, 3, 10, 0)).queued
    assert queued.recipients == ("admin@kurum.example",)


def test_closing_stops_the_reminders(app, new_case, office, run_sweep):
    case = new_case(RECEIVED, assignee_id=office["officer"])
    with app.app_context():
        officer = db.session.get(User, office["officer"])
        application = db.session.get(Application, case)
        cases.change_status(db.session, officer, RECEIVED, application, "withdrawn")
        db.session.commit()
    assert next_at(app, case) is None
    assert run_sweep(ist(2026, 5, 10)).examined == 0


def test_a_case_closed_behind_the_sweeps_back_is_dropped(app, new_case, office, run_sweep):
    case = new_case(RECEIVED)
    with app.app_context():  # e.g. a row written before the engine existed
        db.session.execute(update(Application).values(status="closed"))
        db.session.commit()
    report = run_sweep(ist(2026, 5, 10))
    assert report.closed_cleared == 1 and report.queued == []
    assert next_at(app, case) is None and reminder_rows(app, case) == []


def test_returning_a_case_to_the_pool_makes_the_sweep_look_again(app, new_case, office,
                                                                  run_sweep):
    case = new_case(RECEIVED, assignee_id=office["officer"])
    run_sweep(RECEIVED)
    assert next_at(app, case) == ist(2026, 4, 21, 8, 30)
    with app.app_context():
        supervisor = db.session.get(User, office["supervisor"])
        application = db.session.get(Application, case)
        cases.assign(db.session, supervisor, ist(2026, 4, 6), application, None)
        db.session.commit()
    assert next_at(app, case) == ist(2026, 4, 6)
    assert [q.rung for q in run_sweep(ist(2026, 4, 6)).queued] == ["unassigned"]


def test_reply_notice_goes_to_the_applicant(app, new_case, office):
    case = new_case(RECEIVED, assignee_id=office["officer"])
    with app.app_context():
        officer = db.session.get(User, office["officer"])
        application = db.session.get(Application, case)
        application.status = "decided"
        db.session.commit()
        cases.change_status(db.session, officer, ist(2026, 4, 20), application, "replied")
        db.session.commit()
    [notice] = outbox_rows(app, "reply_sent")
    assert notice.recipient == "isil@example.com.tr"
    assert "20.04.2026" in notice.body and "Kişisel Verileri Koruma Kuruluna" in notice.body
    assert next_at(app, case) is None


def test_batches_cover_every_due_case(app, new_case, office, run_sweep):
    ids = [new_case(RECEIVED) for _ in range(5)]
    # d10 and 'unassigned' both due: d10 first, then the case comes round again in the same
    # sweep for 'unassigned'; every visit makes progress, so the loop ends.
    report = run_sweep(ist(2026, 4, 21, 9, 0), batch_size=2)
    assert report.examined == 10 and report.batches == 6
    assert sorted((q.application_id, q.rung) for q in report.queued) == sorted(
        [(i, "d10") for i in ids] + [(i, "unassigned") for i in ids])
    assert run_sweep(ist(2026, 4, 21, 9, 5), batch_size=2).examined == 0


def test_the_sweep_keeps_the_audit_chain_intact(app, new_case, office, run_sweep):
    for _ in range(3):
        new_case(RECEIVED, assignee_id=office["officer"])
    run_sweep(ist(2026, 4, 21, 9, 0))
    new_case(ist(2026, 4, 21, 9, 1))  # a web write between two sweeps
    run_sweep(ist(2026, 5, 4, 9, 0), escalation_email="dpo@kurum.example")
    with app.app_context():
        report = verify_chain(db.session)
        assert report.ok, report
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "application.reminder_sent")) == 7


def test_the_due_cases_are_read_through_the_index(app):
    from kvkk_tracker.services.reminders import due_cases_query

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the plan text is SQLite's")
        sql = str(due_cases_query(ist(2026, 4, 1), 500).compile(
            db.engine, compile_kwargs={"literal_binds": True}))
        plan = db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}")).all()
        detail = " ".join(str(row[-1]) for row in plan)
        assert "SEARCH applications USING INDEX ix_applications_next_reminder_at" in detail, \
            detail
        assert "TEMP B-TREE" not in detail, detail  # no sort: the index gives the order
