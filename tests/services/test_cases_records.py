"""Identity checks, decisions per right, actions, notes and revealing the T.C. number."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from kvkk_tracker.models import CaseNote
from kvkk_tracker.services import cases
from tests.builders import VALID_TCKN

from .conftest import LATER, snapshot


@pytest.fixture
def officer(create_user):
    return create_user("officer", name="Ümit Çelik")


@pytest.fixture
def case(new_application, officer):
    return new_application(status="in_review", assignee=officer, identity="verified",
                           rights=("a", "d", "e", "f"))


def test_verifying_identity_records_method_result_and_checker(session, officer,
                                                              new_application, audit_log):
    application = new_application(status="in_review", assignee=officer)
    audit_log.start()
    cases.verify_identity(session, officer, LATER, application, method="registered_email",
                          result="verified", note="Adres dosyadakiyle aynı")
    assert (application.identity_status, application.identity_method,
            application.identity_note, application.identity_checked_by_id,
            application.identity_checked_at) == (
        "verified", "registered_email", "Adres dosyadakiyle aynı", officer.id, LATER)
    assert audit_log.one("application.identity_checked").data == {
        "method": "registered_email", "from": "pending", "to": "verified"}


@pytest.mark.parametrize(("method", "result", "why"), [
    ("telepathy", "verified", "unknown_method"),
    ("kep", "pending", "unknown_result"),
    ("kep", "maybe", "unknown_result"),
])
def test_identity_checks_take_known_methods_and_a_result(session, officer, case, method,
                                                         result, why):
    before = snapshot(session, case)
    with pytest.raises(cases.CaseError) as raised:
        cases.verify_identity(session, officer, LATER, case, method=method, result=result)
    assert raised.value.why == why
    assert snapshot(session, case) == before


def test_an_accepted_right_needs_no_reasons(session, officer, case, audit_log):
    audit_log.start()
    cases.decide_right(session, officer, LATER, case, right_code="a", outcome="accepted",
                       reason_code=None, justification="  ")
    right = case.rights[0]
    assert (right.outcome, right.reason_code, right.justification, right.decided_by_id,
            right.decided_at) == ("accepted", None, None, officer.id, LATER)
    assert audit_log.one("application.right_decided").data == {
        "right": "a", "old": {"outcome": None, "reason_code": None},
        "new": {"outcome": "accepted", "reason_code": None}}


def test_changing_a_decision_records_the_old_one(session, officer, case, audit_log):
    cases.decide_right(session, officer, LATER, case, right_code="e", outcome="accepted",
                       reason_code=None, justification=None)
    audit_log.start()
    cases.decide_right(session, officer, LATER, case, right_code="e", outcome="rejected",
                       reason_code="art28_2_a", justification="Soruşturma sürüyor.")
    assert audit_log.one("application.right_decided").data == {
        "right": "e", "old": {"outcome": "accepted", "reason_code": None},
        "new": {"outcome": "rejected", "reason_code": "art28_2_a"}}


@pytest.mark.parametrize(("outcome", "reason", "justification", "why"), [
    ("rejected", None, "Gerekçe", "reason_required"),
    ("rejected", "no_data_held", None, "justification_required"),
    ("rejected", "no_data_held", "   ", "justification_required"),
    ("partially_accepted", None, "Gerekçe", "reason_required"),
    ("partially_accepted", "other", "", "justification_required"),
    ("maybe", None, None, "unknown_outcome"),
    ("rejected", "because", "Gerekçe", "unknown_reason"),
])
def test_a_rejection_without_reasons_is_refused(session, officer, case, outcome, reason,
                                                justification, why):
    before = snapshot(session, case)
    with pytest.raises(cases.CaseError) as raised:
        cases.decide_right(session, officer, LATER, case, right_code="a", outcome=outcome,
                           reason_code=reason, justification=justification)
    assert raised.value.why == why
    assert snapshot(session, case) == before


@pytest.mark.parametrize(("reason", "justification"), [(None, "Gerekçe"),
                                                       ("no_data_held", None)])
@pytest.mark.parametrize("outcome", ["rejected", "partially_accepted"])
def test_the_database_refuses_a_rejection_without_reasons_too(session, case, outcome, reason,
                                                              justification):
    """The CheckConstraint holds even for code that skips the service."""
    right = case.rights[0]
    right.outcome, right.reason_code, right.justification = outcome, reason, justification
    with pytest.raises(IntegrityError, match="rejection_has_reasons"):
        session.flush()
    session.rollback()


def test_only_requested_rights_are_decided(session, officer, case):
    with pytest.raises(cases.CaseError) as raised:
        cases.decide_right(session, officer, LATER, case, right_code="gg", outcome="accepted",
                           reason_code=None, justification=None)
    assert raised.value.why == "right_not_requested"


@pytest.mark.parametrize("status", ["decided", "replied", "closed", "withdrawn"])
def test_decisions_are_made_while_the_case_is_open_and_undecided(session, officer,
                                                                 new_application, status):
    application = new_application(status=status, assignee=officer, identity="verified")
    before = snapshot(session, application)
    with pytest.raises(cases.CaseError) as raised:
        cases.decide_right(session, officer, LATER, application, right_code="a",
                           outcome="accepted", reason_code=None, justification=None)
    assert raised.value.why == "not_in_review"
    assert snapshot(session, application) == before


def test_recording_actions_for_rectification_erasure_and_recipients(session, officer, case,
                                                                    audit_log):
    audit_log.start()
    entry = cases.record_action(session, officer, LATER, case, right_code="f",
                                action="recipient_notified", done_on=date(2026, 4, 2),
                                recipient="  Örnek Kargo A.Ş. ", proof="KEP delil 42")
    cases.record_action(session, officer, LATER, case, right_code="e", action="erased",
                        done_on=date(2026, 4, 2))
    assert (entry.recipient, entry.proof, entry.created_by_id) == (
        "Örnek Kargo A.Ş.", "KEP delil 42", officer.id)
    events = audit_log.new_events()
    assert [e.data for e in events] == [
        {"right": "f", "action": "recipient_notified", "recipient": "Örnek Kargo A.Ş.",
         "done_on": "2026-04-02"},
        {"right": "e", "action": "erased", "recipient": None, "done_on": "2026-04-02"}]


@pytest.mark.parametrize(("action", "recipient", "why"), [
    ("recipient_notified", "  ", "recipient_required"),
    ("shredded", None, "unknown_action"),
])
def test_actions_must_be_known_and_notifications_name_the_recipient(session, officer, case,
                                                                    action, recipient, why):
    before = snapshot(session, case)
    with pytest.raises(cases.CaseError) as raised:
        cases.record_action(session, officer, LATER, case, right_code="f", action=action,
                            done_on=date(2026, 4, 2), recipient=recipient)
    assert raised.value.why == why
    assert snapshot(session, case) == before


def test_notes_by_the_assignee_and_on_pool_cases(session, officer, case, new_application,
                                                 audit_log):
    pool_case = new_application()
    audit_log.start()
    note = cases.add_note(session, officer, LATER, case, "  Arşiv tarandı.  ")
    cases.add_note(session, officer, LATER, pool_case, "Havuzdaki dosyaya not")
    assert (note.body, note.author_id, note.created_at) == ("Arşiv tarandı.", officer.id, LATER)
    assert [(e.action, e.data) for e in audit_log.new_events()] == [
        ("application.note_added", {"note_id": note.id}),
        ("application.note_added", {"note_id": note.id + 1})]


@pytest.mark.parametrize("role", ["officer", "auditor", "admin"])
def test_others_may_not_add_notes(session, create_user, case, role):
    before = snapshot(session, case)
    with pytest.raises(cases.Forbidden):
        cases.add_note(session, create_user(role), LATER, case, "not")
    assert snapshot(session, case) == before


def test_an_empty_note_is_refused(session, officer, case):
    with pytest.raises(cases.CaseError) as raised:
        cases.add_note(session, officer, LATER, case, " \n ")
    assert raised.value.why == "empty_note"
    assert session.query(CaseNote).count() == 0


@pytest.mark.parametrize("role", ["officer", "supervisor", "auditor"])
def test_revealing_the_tckn_is_audited(session, create_user, new_application, audit_log, role):
    viewer = create_user(role)
    application = new_application(assignee=viewer if role == "officer" else None)
    audit_log.start()
    assert cases.reveal_tckn(session, viewer, LATER, application, ip="10.1.1.1") == VALID_TCKN
    event = audit_log.one("application.identity_number_viewed")
    assert (event.actor, event.ip, event.application_id) == (
        f"user:{viewer.id}", "10.1.1.1", application.id)


def test_a_foreigners_passport_number_is_revealed_the_same_way(session, officer,
                                                               new_application):
    application = new_application(assignee=officer, nationality="DE", tckn=None,
                                  passport_no="C01X00T47")
    assert cases.reveal_tckn(session, officer, LATER, application) == "C01X00T47"


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_nobody_outside_the_case_sees_the_number(session, create_user, new_application,
                                                 role):
    application = new_application(assignee=create_user("officer"))
    before = snapshot(session, application)
    with pytest.raises(cases.Forbidden):
        cases.reveal_tckn(session, create_user(role), LATER, application)
    assert snapshot(session, application) == before


MUTATIONS = {
    "take": (lambda s, u, a: cases.take(s, u, LATER, a), "application.assigned"),
    "verify_identity": (lambda s, u, a: cases.verify_identity(
        s, u, LATER, a, method="kep", result="failed"), "application.identity_checked"),
    "decide_right": (lambda s, u, a: cases.decide_right(
        s, u, LATER, a, right_code="a", outcome="accepted", reason_code=None,
        justification=None), "application.right_decided"),
    "record_action": (lambda s, u, a: cases.record_action(
        s, u, LATER, a, right_code="a", action="rectified", done_on=date(2026, 4, 2)),
        "application.action_recorded"),
    "add_note": (lambda s, u, a: cases.add_note(s, u, LATER, a, "not"),
                 "application.note_added"),
    "change_status": (lambda s, u, a: cases.change_status(s, u, LATER, a, "in_review"),
                      "application.status_changed"),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_every_mutation_writes_exactly_one_event_with_the_change(session, create_user,
                                                                 new_application, audit_log,
                                                                 name):
    supervisor = create_user("supervisor")
    application = new_application(assignee=None if name == "take" else supervisor)
    operation, action = MUTATIONS[name]
    audit_log.start()
    operation(session, supervisor, application)
    event = audit_log.one(action)
    assert event.application_id == application.id and event.actor == f"user:{supervisor.id}"
    # Changes name their old and new values; additions (notes, actions) name what was added.
    keys = set(event.data)
    assert {"from", "to"} <= keys or {"old", "new"} <= keys or keys & {"note_id", "action"}
