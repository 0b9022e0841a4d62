"""Taking, assigning, moving through the workflow and approving (services/cases.py)."""

from __future__ import annotations

import pytest

from kvkk_tracker.domain.workflow import TRANSITIONS, InvalidTransition, Status
from kvkk_tracker.services import cases
from tests.builders import FIXED_NOW

from .conftest import LATER, snapshot

ALL = [s.value for s in Status]
FORBIDDEN_MOVES = [(a.value, b) for a in Status for b in ALL
                   if Status(b) not in TRANSITIONS[a]]


def test_an_officer_takes_an_application_from_the_pool(session, create_user, new_application,
                                                        audit_log):
    officer = create_user("officer", name="Şule Işık")
    application = new_application()
    audit_log.start()

    cases.take(session, officer, LATER, application, expected_version=application.version,
               ip="10.0.0.7")

    assert application.assignee_id == officer.id
    assert (application.updated_at, application.updated_by_id) == (LATER, officer.id)
    event = audit_log.one("application.assigned")
    assert event.data == {"from": None, "to": officer.id}
    assert (event.actor, event.ip, event.occurred_at) == (f"user:{officer.id}", "10.0.0.7", LATER)


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_only_officers_and_supervisors_take(session, create_user, new_application, role):
    application = new_application()
    before = snapshot(session, application)
    with pytest.raises(cases.Forbidden):
        cases.take(session, create_user(role), LATER, application)
    assert snapshot(session, application) == before


def test_a_supervisor_may_take_too(session, create_user, new_application):
    supervisor = create_user("supervisor")
    application = new_application()
    cases.take(session, supervisor, LATER, application)
    assert application.assignee_id == supervisor.id


def test_an_assigned_application_cannot_be_taken(session, create_user, new_application):
    first, second = create_user(), create_user()
    application = new_application(assignee=first)
    before = snapshot(session, application)
    with pytest.raises(cases.Forbidden):
        cases.take(session, second, LATER, application)
    assert snapshot(session, application) == before


def test_a_stale_version_is_a_concurrent_edit_naming_who_changed_it(session, create_user,
                                                                       new_application):
    officer, other = create_user(), create_user(name="Gökçe Ağaoğlu")
    application = new_application(assignee=other)
    loaded = application.version  # what the supervisor's form carries
    cases.verify_identity(session, other, FIXED_NOW, application, method="kep",
                          result="verified")
    session.commit()
    assert application.version == loaded + 1
    supervisor = create_user("supervisor")
    before = snapshot(session, application)

    with pytest.raises(cases.ConcurrentEdit) as raised:
        cases.assign(session, supervisor, LATER, application, officer,
                     expected_version=loaded)

    assert (raised.value.changed_by, raised.value.changed_at) == ("Gökçe Ağaoğlu", FIXED_NOW)
    assert snapshot(session, application) == before


def test_a_supervisor_assigns_reassigns_and_returns_to_the_pool(session, create_user,
                                                                new_application, audit_log):
    supervisor, first, second = create_user("supervisor"), create_user(), create_user()
    application = new_application()
    audit_log.start()

    cases.assign(session, supervisor, LATER, application, first)
    cases.assign(session, supervisor, LATER, application, second)
    cases.assign(session, supervisor, LATER, application, None)

    assert application.assignee_id is None
    assert [(e.action, e.data) for e in audit_log.new_events()] == [
        ("application.assigned", {"from": None, "to": first.id}),
        ("application.assigned", {"from": first.id, "to": second.id}),
        ("application.assigned", {"from": second.id, "to": None}),
    ]


@pytest.mark.parametrize("role", ["officer", "auditor", "admin"])
def test_only_supervisors_assign(session, create_user, new_application, role):
    application = new_application()
    with pytest.raises(cases.Forbidden):
        cases.assign(session, create_user(role), LATER, application, create_user())


@pytest.mark.parametrize("assignee", [{"role": "auditor"}, {"role": "admin"},
                                      {"role": "officer", "active": False}])
def test_cases_go_only_to_active_officers_and_supervisors(session, create_user,
                                                          new_application, assignee):
    supervisor = create_user("supervisor")
    application = new_application()
    before = snapshot(session, application)
    with pytest.raises(cases.CaseError) as raised:
        cases.assign(session, supervisor, LATER, application, create_user(**assignee))
    assert raised.value.why == "assignee_not_eligible"
    assert snapshot(session, application) == before


def test_the_whole_path_from_receipt_to_closed(session, create_user, new_application, audit_log):
    officer = create_user()
    application = new_application(assignee=officer, rights=("a",))
    path = ["in_review", "awaiting_applicant", "in_review"]
    audit_log.start()
    for target in path:
        cases.change_status(session, officer, LATER, application, target)
    cases.verify_identity(session, officer, LATER, application, method="in_person",
                          result="verified")
    cases.decide_right(session, officer, LATER, application, right_code="a",
                       outcome="accepted", reason_code=None, justification=None)
    replied, closed = LATER.replace(hour=12), LATER.replace(hour=15)
    cases.change_status(session, officer, LATER, application, "decided")
    cases.change_status(session, officer, replied, application, "replied")
    cases.change_status(session, officer, closed, application, "closed")

    assert (application.status, application.replied_at, application.closed_at) == (
        "closed", replied, closed)
    moves = [e.data for e in audit_log.new_events() if e.action == "application.status_changed"]
    assert moves == [{"from": a, "to": b} for a, b in zip(
        ["received", *path, "decided", "replied"], [*path, "decided", "replied", "closed"],
        strict=True)]


def test_every_forbidden_move_raises_and_changes_nothing(session, create_user, new_application):
    """All pairs the transition table leaves out, on one case put into each state in turn."""
    supervisor = create_user("supervisor")
    application = new_application(assignee=supervisor)
    assert len(FORBIDDEN_MOVES) > 30
    for current, target in FORBIDDEN_MOVES:
        application.status = current
        session.commit()
        before = snapshot(session, application)
        with pytest.raises(InvalidTransition) as raised:
            cases.change_status(session, supervisor, LATER, application, target)
        assert (raised.value.current, raised.value.target, raised.value.why) == (
            current, target, "not_allowed")
        assert snapshot(session, application) == before, (current, target)


def test_an_unknown_status_is_refused(session, create_user, new_application):
    officer = create_user()
    application = new_application(assignee=officer)
    with pytest.raises(InvalidTransition) as raised:
        cases.change_status(session, officer, LATER, application, "archived")
    assert raised.value.why == "unknown_status"


@pytest.mark.parametrize("current", ["received", "in_review", "awaiting_applicant", "decided"])
def test_withdrawal_from_any_open_state_closes_the_case(session, create_user, new_application,
                                                       audit_log, current):
    officer = create_user()
    application = new_application(status=current, assignee=officer)
    audit_log.start()
    cases.change_status(session, officer, LATER, application, "withdrawn")
    assert (application.status, application.closed_at) == ("withdrawn", LATER)
    assert audit_log.one("application.withdrawn").data == {"from": current, "to": "withdrawn"}


def test_officers_move_only_their_own_cases(session, create_user, new_application):
    mine, other = create_user(), create_user()
    for assignee in (None, other):
        application = new_application(assignee=assignee)
        before = snapshot(session, application)
        with pytest.raises(cases.Forbidden):
            cases.change_status(session, mine, LATER, application, "in_review")
        assert snapshot(session, application) == before
    with pytest.raises(cases.Forbidden):
        cases.change_status(session, create_user("auditor"), LATER, application, "in_review")


def test_decided_needs_every_right_decided(session, create_user, new_application):
    officer = create_user()
    application = new_application(status="in_review", assignee=officer, identity="verified",
                                  rights=("a", "e"))
    cases.decide_right(session, officer, LATER, application, right_code="a",
                       outcome="accepted", reason_code=None, justification=None)
    before = snapshot(session, application)
    with pytest.raises(InvalidTransition) as raised:
        cases.change_status(session, officer, LATER, application, "decided")
    assert raised.value.why == "undecided_rights"
    assert snapshot(session, application) == before


@pytest.mark.parametrize("identity", ["pending", "failed"])
@pytest.mark.parametrize("outcome", ["accepted", "partially_accepted"])
def test_releasing_data_needs_a_verified_identity(session, create_user, new_application,
                                                  identity, outcome):
    officer = create_user()
    application = new_application(status="in_review", assignee=officer, identity=identity)
    cases.decide_right(session, officer, LATER, application, right_code="a", outcome=outcome,
                       reason_code="other", justification="Kısmen karşılandı.")
    before = snapshot(session, application)
    with pytest.raises(InvalidTransition) as raised:
        cases.change_status(session, officer, LATER, application, "decided")
    assert raised.value.why == "identity_not_verified"
    assert snapshot(session, application) == before


def test_an_unverified_applicant_can_still_get_a_reasoned_rejection(session, create_user,
                                                                   new_application):
    officer = create_user()
    application = new_application(status="in_review", assignee=officer, identity="failed")
    cases.decide_right(session, officer, LATER, application, right_code="a",
                       outcome="rejected", reason_code="identity_not_verified",
                       justification="Kimlik doğrulanamadı.")
    cases.change_status(session, officer, LATER, application, "decided")
    assert application.status == "decided"


def decided_case(session, create_user, new_application):
    officer, supervisor = create_user(), create_user("supervisor")
    application = new_application(status="in_review", assignee=officer, identity="verified")
    cases.decide_right(session, officer, FIXED_NOW, application, right_code="a",
                       outcome="accepted", reason_code=None, justification=None)
    cases.change_status(session, officer, FIXED_NOW, application, "decided")
    session.commit()
    return officer, supervisor, application


def test_four_eyes_holds_the_reply_until_a_supervisor_approves(session, create_user,
                                                                new_application, audit_log):
    officer, supervisor, application = decided_case(session, create_user, new_application)
    before = snapshot(session, application)
    with pytest.raises(InvalidTransition) as raised:
        cases.change_status(session, officer, LATER, application, "replied", four_eyes=True)
    assert raised.value.why == "approval_required"
    assert snapshot(session, application) == before

    audit_log.start()
    cases.approve(session, supervisor, LATER, application)
    assert (application.approved_by_id, application.approved_at) == (supervisor.id, LATER)
    assert audit_log.one("application.approved").data == {"from": None, "to": supervisor.id}
    cases.change_status(session, officer, LATER, application, "replied", four_eyes=True)
    assert application.status == "replied"


def test_without_four_eyes_the_reply_needs_no_approval(session, create_user, new_application):
    officer, _supervisor, application = decided_case(session, create_user, new_application)
    cases.change_status(session, officer, LATER, application, "replied")
    assert application.status == "replied"


@pytest.mark.parametrize("role", ["officer", "auditor", "admin"])
def test_only_supervisors_approve(session, create_user, new_application, role):
    _officer, _supervisor, application = decided_case(session, create_user, new_application)
    with pytest.raises(cases.Forbidden):
        cases.approve(session, create_user(role), LATER, application)


def test_approval_needs_a_decided_case(session, create_user, new_application):
    application = new_application(status="in_review")
    with pytest.raises(InvalidTransition) as raised:
        cases.approve(session, create_user("supervisor"), LATER, application)
    assert raised.value.why == "not_decided"


def test_a_supervisor_does_not_approve_their_own_decision(session, create_user,
                                                          new_application):
    """Four eyes are two people: a supervisor who decided a right cannot also approve it."""
    supervisor = create_user("supervisor")
    application = new_application(status="in_review", assignee=supervisor, identity="verified")
    cases.decide_right(session, supervisor, FIXED_NOW, application, right_code="a",
                       outcome="accepted", reason_code=None, justification=None)
    cases.change_status(session, supervisor, FIXED_NOW, application, "decided")
    before = snapshot(session, application)
    with pytest.raises(InvalidTransition) as raised:
        cases.approve(session, supervisor, LATER, application)
    assert raised.value.why == "own_decision"
    assert snapshot(session, application) == before
    cases.approve(session, create_user("supervisor"), LATER, application)
    assert application.approved_at == LATER


def test_reopening_a_decision_withdraws_its_approval(session, create_user, new_application,
                                                     audit_log):
    officer, supervisor, application = decided_case(session, create_user, new_application)
    cases.approve(session, supervisor, LATER, application)
    audit_log.start()
    cases.change_status(session, officer, LATER, application, "in_review")
    assert (application.approved_by_id, application.approved_at) == (None, None)
    assert audit_log.one("application.status_changed").data == {
        "from": "decided", "to": "in_review", "approved_by": {"from": supervisor.id, "to": None}}


def test_a_stale_reopen_leaves_the_approval_in_place(session, create_user, new_application):
    """The version is checked before anything changes (the approval used to be cleared first)."""
    officer, supervisor, application = decided_case(session, create_user, new_application)
    cases.approve(session, supervisor, LATER, application)
    session.commit()
    before = snapshot(session, application)
    with pytest.raises(cases.ConcurrentEdit):
        cases.change_status(session, officer, LATER, application, "in_review",
                            expected_version=application.version - 1)
    assert (application.approved_by_id, application.approved_at) == (supervisor.id, LATER)
    assert snapshot(session, application) == before
