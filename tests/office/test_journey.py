"""The whole officer journey through the test client, from the pool to a closed case."""

from __future__ import annotations

from datetime import date

import pytest

from .conftest import audit_actions, load, login, make_user, new_application, text


def case_url(no: str, action: str = "") -> str:
    return f"/office/cases/{no}" + (f"/{action}" if action else "")


def post(client, app, no, action, data, prefix=None):
    """Submit a case form with the version the stored application has now."""
    prefix = prefix or action.split("/")[0]
    payload = {f"{prefix}-version": load(app, no).version}
    payload.update({f"{prefix}-{k}": v for k, v in data.items()})
    return client.post(case_url(no, action), data=payload)


def assert_refused(client, app, no, action, data, message, prefix=None):
    """A refused step answers 409 with a clear message and changes nothing at all."""
    before = load(app, no)
    events = audit_actions(app)
    response = post(client, app, no, action, data, prefix)
    assert response.status_code == 409
    assert message in text(response)
    after = load(app, no)
    assert (after.version, after.status) == (before.version, before.status)
    assert audit_actions(app) == events


@pytest.mark.parametrize("four_eyes", [True, False])
def test_officer_takes_decides_replies_and_closes(make_app, four_eyes):
    app = make_app(KVKK_FOUR_EYES=four_eyes)
    officer = make_user(app, "officer", name="Ayşe Yılmaz")
    supervisor = make_user(app, "supervisor", name="Selin Kaya")
    no, code = new_application(app, rights=("a", "e"))
    client = login(app.test_client(), officer)

    queue = text(client.get("/office/"))
    assert no in queue
    page = client.get(case_url(no))
    assert page.status_code == 200 and 'data-testid="take"' in text(page)

    response = post(client, app, no, "take", {})
    assert response.status_code == 303
    assert load(app, no).assignee_id == officer.id

    assert_refused(client, app, no, "move", {"target": "closed"},
                   "This move is not possible from the current status.")
    assert post(client, app, no, "move", {"target": "in_review"}).status_code == 303
    assert load(app, no).status == "in_review"
    assert_refused(client, app, no, "move", {"target": "decided"},
                   "Decide every requested right")

    response = post(client, app, no, "identity", {"method": "records_code",
                                                  "result": "verified", "note": "SMS kodu"})
    assert response.status_code == 303
    assert load(app, no).identity_status == "verified"

    # A rejection without a justification is sent back with the field error.
    response = post(client, app, no, "rights/e/decision",
                    {"outcome": "rejected", "reason_code": "art28_2_a"}, prefix="decide-e")
    assert response.status_code == 400
    assert "Write the justification" in text(response)
    assert load(app, no).rights[1].outcome is None

    assert post(client, app, no, "rights/a/decision", {"outcome": "accepted"},
                prefix="decide-a").status_code == 303
    assert post(client, app, no, "rights/e/decision",
                {"outcome": "rejected", "reason_code": "art28_2_a",
                 "justification": "Soruşturma sürüyor."}, prefix="decide-e").status_code == 303
    rights = {r.right_code: r for r in load(app, no).rights}
    assert rights["a"].outcome == "accepted"
    assert (rights["e"].outcome, rights["e"].reason_code) == ("rejected", "art28_2_a")
    assert "KVKK m. 28/2-a" in text(client.get(case_url(no)))

    assert post(client, app, no, "move", {"target": "decided"}).status_code == 303
    assert load(app, no).status == "decided"
    # What goes out is the finalised reply letter (tests/letters cover it in depth).
    assert post(client, app, no, "letters/reply/finalise", {},
                prefix="finalise-reply").status_code == 303

    reply = {"channel": "email", "sent_on": date.today().isoformat(), "proof": "msg-id 42"}
    if four_eyes:
        assert_refused(client, app, no, "reply", reply, "A supervisor must approve")
        boss = login(app.test_client(), supervisor)
        assert 'data-testid="approve"' in text(boss.get(case_url(no)))
        assert post(boss, app, no, "approve", {}).status_code == 303
        assert load(app, no).approved_at is not None
    else:
        assert 'data-testid="approve"' not in text(client.get(case_url(no)))

    response = post(client, app, no, "reply", reply)
    assert response.status_code == 303
    assert load(app, no).status == "replied"
    assert post(client, app, no, "move", {"target": "closed"}).status_code == 303
    assert load(app, no).status == "closed"

    actions = audit_actions(app, no)
    assert actions.count("application.right_decided") == 2
    assert "application.replied" in actions and "application.identity_checked" in actions
    assert ("application.approved" in actions) is four_eyes
    page = text(client.get(case_url(no)))
    assert "Reply sent" in page and "msg-id 42" in page

    status = app.test_client().post("/status?lang=en", data={"tracking_no": no,
                                                              "access_code": code})
    assert status.status_code == 200
    assert 'data-testid="status"><span class="status status-closed">Closed' in text(status)


def test_waiting_for_the_applicant_says_the_clock_keeps_running(app, create_user):
    officer = create_user("officer")
    no, _code = new_application(app, assignee=officer)
    client = login(app.test_client(), officer)
    assert post(client, app, no, "move", {"target": "in_review"}).status_code == 303
    assert post(client, app, no, "move", {"target": "awaiting_applicant"}).status_code == 303
    page = text(client.get(case_url(no)))
    assert 'data-testid="clock-running"' in page
    assert "The clock keeps running" in page
    before = load(app, no)
    assert before.statutory_due == load(app, no).statutory_due


def test_decided_needs_a_verified_identity_when_data_would_be_released(app, create_user):
    officer = create_user("officer")
    no, _code = new_application(app, assignee=officer)
    client = login(app.test_client(), officer)
    post(client, app, no, "move", {"target": "in_review"})
    post(client, app, no, "rights/a/decision", {"outcome": "accepted"}, prefix="decide-a")
    assert 'data-testid="release-blocked"' in text(client.get(case_url(no)))
    assert_refused(client, app, no, "move", {"target": "decided"},
                   "The applicant&#39;s identity is not verified")


def test_a_failed_check_may_still_end_in_a_reasoned_rejection(app, create_user):
    officer = create_user("officer")
    no, _code = new_application(app, assignee=officer)
    client = login(app.test_client(), officer)
    post(client, app, no, "identity", {"method": "records_code", "result": "failed"})
    assert load(app, no).identity_status == "failed"
    post(client, app, no, "rights/a/decision",
         {"outcome": "rejected", "reason_code": "identity_not_verified",
          "justification": "Kimlik doğrulanamadı."}, prefix="decide-a")
    assert post(client, app, no, "move", {"target": "in_review"}).status_code == 303
    assert post(client, app, no, "move", {"target": "decided"}).status_code == 303


def test_actions_and_notes_are_recorded(app, create_user):
    officer = create_user("officer")
    no, _code = new_application(app, assignee=officer, rights=("d", "f"))
    client = login(app.test_client(), officer)
    today = date.today().isoformat()
    response = post(client, app, no, "rights/f/actions",
                    {"action": "recipient_notified", "done_on": today}, prefix="action-f")
    assert response.status_code == 400
    assert "Name the recipient" in text(response)
    response = post(client, app, no, "rights/f/actions",
                    {"action": "recipient_notified", "recipient": "Kargo A.Ş.",
                     "done_on": today, "proof": "KEP 2026/77"}, prefix="action-f")
    assert response.status_code == 303
    # An action that does not fit the right is not offered, and refused if forged.
    assert post(client, app, no, "rights/d/actions", {"action": "erased", "done_on": today},
                prefix="action-d").status_code == 400
    assert client.post(case_url(no, "notes"), data={"note-body": "  "}).status_code == 400
    assert client.post(case_url(no, "notes"),
                       data={"note-body": "Müşteri hizmetleri arandı."}).status_code == 303
    page = text(client.get(case_url(no)))
    assert "Kargo A.Ş." in page and "KEP 2026/77" in page
    assert "Müşteri hizmetleri arandı." in page
    actions = audit_actions(app, no)
    assert "application.action_recorded" in actions and "application.note_added" in actions


def test_supervisor_assigns_and_returns_to_the_pool(app, create_user):
    supervisor = create_user("supervisor", name="Selin Kaya")
    officer = create_user("officer", name="Ayşe Yılmaz")
    auditor = create_user("auditor")
    no, _code = new_application(app)
    boss = login(app.test_client(), supervisor)
    page = text(boss.get(case_url(no)))
    assert "Ayşe Yılmaz" in page and auditor.name not in page.split('id="assign-assignee"')[1]
    assert post(boss, app, no, "assign", {"assignee": officer.id}).status_code == 303
    assert load(app, no).assignee_id == officer.id
    assert post(boss, app, no, "assign", {"assignee": auditor.id}).status_code == 400
    assert post(boss, app, no, "assign", {"assignee": ""}).status_code == 303
    assert load(app, no).assignee_id is None
    page = text(boss.get(case_url(no)))
    assert "Assignment changed" in page and "the pool" in page


def test_four_eyes_means_a_second_person(make_app):
    app = make_app(KVKK_FOUR_EYES=True)
    supervisor = make_user(app, "supervisor", name="Selin Kaya")
    no, _code = new_application(app, assignee=supervisor)
    client = login(app.test_client(), supervisor)
    post(client, app, no, "move", {"target": "in_review"})
    post(client, app, no, "rights/a/decision",
         {"outcome": "rejected", "reason_code": "no_data_held",
          "justification": "Kayıt yok."}, prefix="decide-a")
    assert post(client, app, no, "move", {"target": "decided"}).status_code == 303
    page = text(client.get(case_url(no)))
    assert 'data-testid="approve"' not in page
    assert "another supervisor must approve it" in page
    assert_refused(client, app, no, "approve", {}, "another supervisor must approve it")
