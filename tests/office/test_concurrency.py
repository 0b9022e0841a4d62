"""Optimistic locking: the second writer is told who changed the case; nothing is overwritten."""

from __future__ import annotations

import re

from sqlalchemy.orm.exc import StaleDataError

from kvkk_tracker.services import cases as case_service

from .conftest import audit_actions, flashes, load, login, make_user, new_application, text


def page_version(client, no: str, prefix: str) -> str:
    page = text(client.get(f"/office/cases/{no}"))
    return re.search(rf'name="{prefix}-version" type="hidden" value="(\d+)"', page).group(1)


def test_the_second_writer_is_told_who_changed_it_and_nothing_of_theirs_is_saved(app):
    officer = make_user(app, "officer", name="Ayşe Yılmaz")
    supervisor = make_user(app, "supervisor", name="Selin Kaya")
    no, _code = new_application(app, assignee=officer)
    first, second = login(app.test_client(), officer), login(app.test_client(), supervisor)
    seen_by_first = page_version(first, no, "identity")
    seen_by_second = page_version(second, no, "decide-a")
    assert seen_by_first == seen_by_second

    response = first.post(f"/office/cases/{no}/identity", data={
        "identity-version": seen_by_first, "identity-method": "kep",
        "identity-result": "verified"})
    assert response.status_code == 303
    events = audit_actions(app)
    version = load(app, no).version

    response = second.post(f"/office/cases/{no}/rights/a/decision", data={
        "decide-a-version": seen_by_second, "decide-a-outcome": "accepted"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/office/cases/{no}")
    messages = " ".join(flashes(text(second.get(response.headers["Location"]))))
    assert re.search(r"Ayşe Yılmaz changed this application at \d\d:\d\d; the page has been "
                     r"reloaded with their changes", messages)
    stored = load(app, no)
    assert stored.rights[0].outcome is None
    assert stored.version == version
    assert audit_actions(app) == events
    # With the fresh version the same change goes through.
    response = second.post(f"/office/cases/{no}/rights/a/decision", data={
        "decide-a-version": page_version(second, no, "decide-a"),
        "decide-a-outcome": "accepted"})
    assert response.status_code == 303
    assert load(app, no).rights[0].outcome == "accepted"


def test_two_officers_taking_the_same_case(app):
    first_officer = make_user(app, "officer", name="Ayşe Yılmaz")
    second_officer = make_user(app, "officer", name="Mehmet Demir")
    no, _code = new_application(app)
    first, second = login(app.test_client(), first_officer), login(app.test_client(),
                                                                  second_officer)
    version = page_version(first, no, "take")
    assert page_version(second, no, "take") == version
    assert first.post(f"/office/cases/{no}/take",
                      data={"take-version": version}).status_code == 303
    response = second.post(f"/office/cases/{no}/take", data={"take-version": version})
    # The case has left their view: they land on the queue and are told why.
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/office/")
    assert "Someone else took this application in the meantime" in " ".join(
        flashes(text(second.get("/office/"))))
    assert load(app, no).assignee_id == first_officer.id
    # Without the version they saw, a case out of their view stays a plain 404.
    assert second.post(f"/office/cases/{no}/take", data={}).status_code == 404


def test_a_write_lost_at_commit_time_is_reported_not_a_500(app, monkeypatch):
    officer = make_user(app, "officer", name="Ayşe Yılmaz")
    no, _code = new_application(app, assignee=officer)
    client = login(app.test_client(), officer)
    version = page_version(client, no, "identity")
    events = audit_actions(app)

    def lost_race(*args, **kwargs):
        # What SQLAlchemy raises when the version column no longer matches at flush.
        raise StaleDataError("UPDATE statement on table 'applications' expected 1 row")

    monkeypatch.setattr(case_service, "verify_identity", lost_race)
    response = client.post(f"/office/cases/{no}/identity", data={
        "identity-version": version, "identity-method": "kep", "identity-result": "verified"})
    assert response.status_code == 303
    assert "changed this application" in " ".join(flashes(text(client.get(f"/office/cases/{no}"))))
    assert load(app, no).identity_status == "pending"
    assert audit_actions(app) == events


def test_a_form_without_its_version_is_refused(app):
    officer = make_user(app, "officer")
    no, _code = new_application(app, assignee=officer)
    client = login(app.test_client(), officer)
    response = client.post(f"/office/cases/{no}/move", data={"move-target": "in_review"})
    assert response.status_code == 400
    assert "This form is incomplete" in text(response)
    assert load(app, no).status == "received"
