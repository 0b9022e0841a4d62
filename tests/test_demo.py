"""`kvkk-tracker demo seed`: realistic, consistent, reproducible demo data with a valid trail."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from stdnum.tr import tckimlik

from kvkk_tracker import create_app
from kvkk_tracker.demo import people
from kvkk_tracker.demo.scenario import tracking_no
from kvkk_tracker.demo.seeder import _unique_tracking_numbers
from kvkk_tracker.domain.calendar import HolidayCalendar
from kvkk_tracker.domain.deadlines import DeadlinePolicy, compute_deadline
from kvkk_tracker.domain.decisions import REASONS_BY_CODE, check_decision
from kvkk_tracker.domain.identifiers import TRACKING_RE
from kvkk_tracker.domain.rights import CHANNELS_BY_CODE, RIGHT_CODES
from kvkk_tracker.domain.text import tr_fold, tr_upper
from kvkk_tracker.domain.workflow import Status, decision_problems
from kvkk_tracker.extensions import db
from kvkk_tracker.models import (
    Application,
    ApplicationRight,
    AuditEvent,
    CaseNote,
    RightAction,
    User,
)
from kvkk_tracker.services.status import find_for_applicant

NOW = datetime(2026, 4, 1, 7, 0, tzinfo=UTC)
SEED_ARGS = ["demo", "seed", "--requests", "200", "--seed", "7", "--batch-size", "100",
             "--now", "2026-04-01T10:00+03:00"]


@pytest.fixture(scope="module")
def cheap_hashes():
    """Argon2 at production cost is slow; the demo staff accounts need no real strength here."""
    from argon2 import PasswordHasher

    from kvkk_tracker.services import users

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024,
                                                       parallelism=1))
        yield


@pytest.fixture(scope="module")
def seeded_app(db_template, tmp_path_factory, cheap_hashes):
    """One database seeded once for the read-only tests of this module."""
    directory = tmp_path_factory.mktemp("demo")
    url = db_template.clone(directory)
    app = create_app({"KVKK_ENV": "testing", "INSTANCE_PATH": str(directory / "instance"),
                      "SQLALCHEMY_DATABASE_URI": url})
    result = app.test_cli_runner().invoke(args=SEED_ARGS)
    assert result.exit_code == 0, result.output
    app.config["SEED_OUTPUT"] = result
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    db_template.drop_clone(url)


@pytest.fixture(scope="module")
def applications(seeded_app):
    with seeded_app.app_context():
        loaded = db.session.scalars(select(Application).order_by(Application.id).options(
            selectinload(Application.rights).selectinload(ApplicationRight.actions))).all()
        db.session.expunge_all()
        return loaded


@pytest.fixture
def seeded(seeded_app):
    return seeded_app.config["SEED_OUTPUT"]


def test_seeding_reports_staff_counts_and_writes_the_progress_bar_to_stderr(seeded_app, seeded):
    assert "seeded 200 applications" in seeded.stdout and "--seed 7" in seeded.stdout
    for role in ("officer", "supervisor", "auditor"):
        assert f"  {role} " in seeded.stdout
    assert "Seeding applications" in seeded.stderr
    assert "Seeding applications" not in seeded.stdout
    with seeded_app.app_context():
        staff = Counter(db.session.scalars(select(User.role)))
    assert staff == {"officer": 4, "supervisor": 1, "auditor": 1}


def test_every_status_channel_and_right_appears(applications):
    assert len(applications) == 200
    assert {a.status for a in applications} == {s.value for s in Status}
    assert {a.channel for a in applications} == set(CHANNELS_BY_CODE)
    assert {r.right_code for a in applications for r in a.rights} == set(RIGHT_CODES)
    assert {r.outcome for a in applications for r in a.rights} == {
        None, "accepted", "partially_accepted", "rejected"}


def test_people_have_turkish_names_and_valid_identity_numbers(applications):
    letters = "".join(tr_upper(f"{a.first_name}{a.last_name}") for a in applications)
    assert set("İIŞĞÇÖÜ") <= set(letters)
    turks = [a for a in applications if a.nationality == "TR"]
    foreigners = [a for a in applications if a.nationality != "TR"]
    assert turks and foreigners
    assert all(tckimlik.is_valid(a.tckn) and a.passport_no is None for a in turks)
    assert all(a.tckn is None and a.passport_no for a in foreigners)
    assert all(a.name_folded == tr_fold(f"{a.first_name} {a.last_name}") for a in applications)
    assert all(TRACKING_RE.match(a.tracking_no) for a in applications)


def test_deadlines_are_exactly_what_the_domain_computes_from_each_receipt(applications):
    calendar, policy = HolidayCalendar(), DeadlinePolicy()
    for application in applications:
        assert NOW - timedelta(days=60) <= application.received_at <= NOW
        deadline = compute_deadline(application.received_at, calendar, policy)
        assert (application.statutory_due, application.outer_due, application.cutoff) == (
            deadline.statutory_due, deadline.outer_due, deadline.cutoff.strftime("%H:%M"))
        assert application.deadline_basis == {
            "policy": policy.to_dict(), "reasons": [r.to_dict() for r in deadline.reasons]}


def test_each_state_is_consistent(applications):
    open_ = {"received", "in_review", "awaiting_applicant", "decided"}
    for a in applications:
        where = f"{a.tracking_no} ({a.status})"
        outcomes = [r.outcome for r in a.rights]
        assert a.received_at <= a.created_at <= NOW, where
        if a.status in ("decided", "replied", "closed"):
            assert decision_problems(outcomes, a.identity_status) == [], where
            assert a.assignee_id is not None, where
        if a.status != "received" and a.status != "withdrawn":
            assert a.assignee_id is not None, where
        assert (a.replied_at is not None) == (a.status in ("replied", "closed")), where
        assert (a.closed_at is not None) == (a.status in ("closed", "withdrawn")), where
        if a.status in open_ - {"decided"} or a.status == "withdrawn":
            assert a.approved_at is None, where
        moments = [a.received_at, a.identity_checked_at,
                   max((r.decided_at for r in a.rights if r.decided_at), default=None),
                   a.replied_at, a.closed_at if a.status == "closed" else None, NOW]
        moments = [m for m in moments if m is not None]
        assert moments == sorted(moments), where
        if a.identity_status != "pending":
            assert a.identity_method and a.identity_checked_by_id, where
        if a.channel != "web":
            assert a.receipt_evidence and a.logged_by_id, where
        # Open cases wait for the reminder sweep from their receipt, as intake leaves them.
        assert a.next_reminder_at == (a.received_at if a.status in open_ else None), where
        assert a.email is None or a.email.endswith("@eposta.example"), where
        for right in a.rights:
            if right.outcome is None:
                assert right.decided_at is None and not right.actions, where
                continue
            check_decision(right.outcome, right.reason_code, right.justification)
            if right.outcome != "accepted":
                assert right.reason_code in REASONS_BY_CODE and right.justification, where
            if right.right_code == "gg":
                assert not (right.reason_code or "").startswith("art28_2"), where
            for action in right.actions:
                assert right.outcome != "rejected", where
                assert action.action != "recipient_notified" or action.recipient, where


def test_the_audit_trail_has_one_event_per_batch_and_verifies(seeded_app):
    app = seeded_app
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "demo.seeded").order_by(AuditEvent.id)).all()
    assert [e.data["applications"] for e in events] == [100, 100]
    assert sum(sum(e.data["by_status"].values()) for e in events) == 200
    assert {e.actor for e in events} == {"system:demo-seed"}
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_the_printed_sample_codes_open_the_status_page(seeded_app, seeded):
    samples = seeded.stdout.split("try the public status page with:")[1].split("\n")[1:]
    status, tracking, code = samples[0].split()
    with seeded_app.app_context():
        assert find_for_applicant(db.session, tracking, code).status == status


def snapshot(app):
    with app.app_context():
        apps = db.session.execute(select(
            Application.tracking_no, Application.status, Application.first_name,
            Application.tckn, Application.received_at, Application.assignee_id)).all()
        rights = db.session.execute(select(
            ApplicationRight.right_code, ApplicationRight.outcome,
            ApplicationRight.reason_code)).all()
        counts = [db.session.scalar(select(func.count()).select_from(m))
                  for m in (RightAction, CaseNote)]
        return apps, rights, counts


def test_the_same_seed_gives_the_same_data(make_app, cheap_hashes):
    first, second, other = make_app(), make_app(), make_app()
    for app, seed in ((first, "7"), (second, "7"), (other, "8")):
        args = [*SEED_ARGS[:5], seed, *SEED_ARGS[6:]]
        assert app.test_cli_runner().invoke(args=args).exit_code == 0
    assert snapshot(first) == snapshot(second)
    assert snapshot(first)[0] != snapshot(other)[0]


def test_seeding_again_adds_to_the_data_and_keeps_the_staff(app, cheap_hashes):
    assert app.test_cli_runner().invoke(args=SEED_ARGS).exit_code == 0
    result = app.test_cli_runner().invoke(args=[*SEED_ARGS[:3], "50"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("already existed") == 6
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Application)) == 250
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0


def test_production_refuses_demo_data(make_app):
    app = make_app(KVKK_ENV="production", SECRET_KEY="x" * 32)
    result = app.test_cli_runner().invoke(args=SEED_ARGS)
    assert result.exit_code == 1 and "production" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Application)) == 0


def test_generated_kimlik_numbers_pass_the_checksum():
    rng = random.Random(1)
    assert people.tckn_check_digits("172917160") == "60"  # KVKK.md §2: 17291716060
    numbers = [people.random_tckn(rng) for _ in range(5000)]
    assert all(tckimlik.is_valid(n) and n[0] != "0" for n in numbers)
    foreign = [people._foreign_id(rng) for _ in range(500)]
    assert all(tckimlik.is_valid(n) and n.startswith("99") for n in foreign)


def test_clashing_tracking_numbers_are_drawn_again(seeded_app, applications):
    """40 random bits clash somewhere in a million numbers; the column is unique."""
    existing = applications[0].tracking_no
    rng = random.Random(3)

    class FakePlan:
        def __init__(self, number):
            self.application = {"tracking_no": number}

    plans = [FakePlan(existing), FakePlan(tracking_no(rng, 2026)), FakePlan(existing)]
    plans[2].application["tracking_no"] = plans[1].application["tracking_no"]
    with seeded_app.app_context():
        _unique_tracking_numbers(db.session, rng, plans, set())
    numbers = [p.application["tracking_no"] for p in plans]
    assert len(set(numbers)) == 3 and existing not in numbers
