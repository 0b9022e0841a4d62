"""Every office, auditor and sign-in route × every role × anonymous, with the answer each must get.

Decisions the table encodes:
- anonymous users are sent to /login from every office page;
- an officer asking for another officer's case gets 404, exactly as for a tracking number that
  does not exist, so that officers cannot probe which cases exist;
- auditors read everything (200 on GET) and change nothing (403 on every POST), except the
  audit-chain check, which only reads the chain and records that it was checked;
- admins manage users and never see case content (403 on every case page);
- a role-only action (assigning is for supervisors) answers 403 before the case is looked up.

POSTs are sent empty: an allowed user gets past the access checks to the form's validation
(400), a refused one never gets that far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from flask import url_for

from kvkk_tracker.clock import utcnow
from kvkk_tracker.extensions import db
from kvkk_tracker.models import User
from tests.holidays.builders import holiday_override
from tests.letters.builders import inventory_entry, stored_receipt

from .conftest import (
    PASSWORD,
    Staff,
    load,
    login,
    make_user,
    new_application,
    pdf_file,
    shared_app,
    text,
)

ROLES = ("anonymous", "officer_own", "officer_other", "supervisor", "auditor", "admin")
L = "login"  # a redirect to /login

EXPECTED: dict[tuple[str, str], tuple] = {
    #                                        anon  own  other  sup  aud  admin
    ("auth.login", "GET"):                  (200, 302, 302, 302, 302, 302),
    ("auth.login", "POST"):                 (400, 302, 302, 302, 302, 302),
    ("auth.totp", "GET"):                   (302, 302, 302, 302, 302, 302),
    ("auth.totp", "POST"):                  (302, 302, 302, 302, 302, 302),
    ("auth.logout", "POST"):                (302, 302, 302, 302, 302, 302),
    ("office.queue", "GET"):                (L, 200, 200, 200, 200, 403),
    ("office.enrol_totp", "GET"):           (L, 200, 200, 200, 200, 200),
    ("office.enrol_totp", "POST"):          (L, 200, 200, 200, 200, 200),
    ("office.users", "GET"):                (L, 403, 403, 403, 403, 200),
    ("office.outbox", "GET"):               (L, 403, 403, 403, 403, 200),
    ("office.users", "POST"):               (L, 403, 403, 403, 403, 400),
    ("office.disable_user", "POST"):        (L, 403, 403, 403, 403, 302),
    # Unlocking answers with the users page either way ("not locked" is a flash message).
    ("office.unlock_user", "POST"):         (L, 403, 403, 403, 403, 302),
    ("office.user_password", "POST"):       (L, 403, 403, 403, 403, 400),
    ("office.log_application", "GET"):      (L, 200, 200, 200, 403, 403),
    ("office.log_application", "POST"):     (L, 400, 400, 400, 403, 403),
    ("office.case", "GET"):                 (L, 200, 404, 200, 200, 403),
    ("office.case_attachment", "GET"):      (L, 200, 404, 200, 200, 403),
    ("office.case_reveal", "POST"):         (L, 200, 404, 200, 403, 403),
    ("office.case_take", "POST"):           (L, 400, 404, 400, 403, 403),
    ("office.case_assign", "POST"):         (L, 403, 403, 400, 403, 403),
    ("office.case_move", "POST"):           (L, 400, 404, 400, 403, 403),
    ("office.case_approve", "POST"):        (L, 400, 404, 400, 403, 403),
    ("office.case_identity", "POST"):       (L, 400, 404, 400, 403, 403),
    ("office.case_decide", "POST"):         (L, 400, 404, 400, 403, 403),
    ("office.case_action", "POST"):         (L, 400, 404, 400, 403, 403),
    ("office.case_reply", "POST"):          (L, 400, 404, 400, 403, 403),
    ("office.case_note", "POST"):           (L, 400, 404, 400, 403, 403),
    # Letters: the officer holding the case and supervisors prepare; auditors download finals.
    ("office.letter_preview", "GET"):       (L, 200, 404, 200, 403, 403),
    ("office.letter_preview_pdf", "GET"):   (L, 200, 404, 200, 403, 403),
    ("office.letter_finalise", "POST"):     (L, 400, 404, 400, 403, 403),
    ("office.letter_download", "GET"):      (L, 200, 404, 200, 200, 403),
    ("office.case_inventory", "POST"):      (L, 400, 404, 400, 403, 403),
    # The processing inventory is the admin's; officers see its entries on their cases.
    ("office.inventory", "GET"):            (L, 403, 403, 403, 403, 200),
    ("office.inventory_new", "GET"):        (L, 403, 403, 403, 403, 200),
    ("office.inventory_new", "POST"):       (L, 403, 403, 403, 403, 400),
    ("office.inventory_edit", "GET"):       (L, 403, 403, 403, 403, 200),
    ("office.inventory_edit", "POST"):      (L, 403, 403, 403, 403, 400),
    ("office.inventory_retire", "POST"):    (L, 403, 403, 403, 403, 400),
    # The holiday calendar is the admin's too; an override applies to cases received after it.
    ("office.holidays", "GET"):             (L, 403, 403, 403, 403, 200),
    ("office.holidays", "POST"):            (L, 403, 403, 403, 403, 400),
    ("office.holiday_remove", "POST"):      (L, 403, 403, 403, 403, 400),
    # Auditor pages read. The audit-chain check is the one POST auditors may send: it changes
    # no case and no setting, it only reads the chain and records that it was checked.
    ("auditor.reports", "GET"):             (L, 403, 403, 200, 200, 403),
    ("auditor.reports_pdf", "GET"):         (L, 403, 403, 200, 200, 403),
    ("auditor.register", "GET"):            (L, 403, 403, 200, 200, 403),
    ("auditor.destruction_log", "GET"):     (L, 403, 403, 200, 200, 403),
    ("auditor.audit_chain", "GET"):         (L, 403, 403, 200, 200, 403),
    ("auditor.verify_chain", "POST"):       (L, 403, 403, 303, 303, 403),
    ("auditor.evidence_pack", "GET"):       (L, 403, 403, 200, 200, 403),
    # The load balancer's probe: open to all, it shows no data.
    ("health.healthz", "GET"):              (200, 200, 200, 200, 200, 200),
    ("auditor.exports", "GET"):             (L, 403, 403, 200, 200, 403),
    # An empty query: past the access checks to the form's field errors.
    ("auditor.export_download", "GET"):     (L, 403, 403, 400, 400, 403),
}


def office_routes(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith(("office.", "auth.", "auditor.", "health."))
            for method in rule.methods - {"HEAD", "OPTIONS"}}


@dataclass
class World:
    app: object
    users: dict[str, Staff]
    cases: dict[str, tuple[str, int]]  # role -> (tracking number, attachment id)
    victim: Staff
    letter_ids: dict[str, int] = field(default_factory=dict)  # role -> a finalised letter
    entry_id: int = 0  # a processing-inventory entry

    def client(self, role: str):
        client = self.app.test_client()
        if role != "anonymous":
            login(client, self.users[role])
        return client

    def url(self, endpoint: str, role: str) -> str:
        tracking_no, attachment_id = self.cases[role]
        rule = next(r for r in self.app.url_map.iter_rules() if r.endpoint == endpoint)
        values = {"tracking_no": tracking_no, "attachment_id": attachment_id,
                  "right_code": "e", "user_id": self.victim.id, "kind": "receipt",
                  "letter_id": self.letter_ids.get(role, 0), "entry_id": self.entry_id}
        with self.app.test_request_context():
            return url_for(endpoint, **{k: v for k, v in values.items() if k in rule.arguments})


def build_world(app) -> World:
    own = make_user(app, "officer", name="Own Officer")
    other = make_user(app, "officer", name="Other Officer")
    users = {"officer_own": own, "officer_other": own,
             "supervisor": make_user(app, "supervisor"),
             "auditor": make_user(app, "auditor"), "admin": make_user(app, "admin")}
    victim = make_user(app, "officer", name="To Be Disabled")

    def case_for(assignee):
        no, _code = new_application(app, rights=("a", "e"), files=(pdf_file(),),
                                    assignee=assignee)
        return no, load(app, no).attachments[0].id

    mine, theirs = case_for(own), case_for(other)
    cases = {role: mine for role in ROLES} | {"officer_other": theirs}
    letter_ids = {role: stored_receipt(app, no) for role, (no, _id) in cases.items()}
    holiday_override(app, users["admin"])  # so the holidays page shows its remove button
    lock_out(app, make_user(app, "officer", name="Locked Out"))  # the users page's unlock button
    return World(app, users, cases, victim, letter_ids, inventory_entry(app, users["admin"]))


def lock_out(app, user: Staff, minutes: int = 60) -> None:
    """Lock an account as too many failed sign-ins would, for longer than any test runs."""
    with app.app_context():
        db.session.get(User, user.id).locked_until = utcnow() + timedelta(minutes=minutes)
        db.session.commit()


@pytest.fixture(scope="module")
def world(db_template, tmp_path_factory):
    """One database for the whole matrix: empty POSTs change nothing a later test reads."""
    with shared_app(db_template, tmp_path_factory, build_world) as (_app, made):
        yield made


def test_every_office_route_has_expectations(world):
    """A new office route fails here until it is added to the table above."""
    assert office_routes(world.app) == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method"), sorted(EXPECTED))
def test_access(world, endpoint, method, role):
    expected = EXPECTED[(endpoint, method)][ROLES.index(role)]
    response = world.client(role).open(world.url(endpoint, role), method=method, data={})
    response.close()  # a download streams its file
    if expected == L:
        assert response.status_code == 302
        assert urlparse(response.headers["Location"]).path == "/login"
    else:
        assert response.status_code == expected, text(response)[:300]


@pytest.mark.parametrize("role", ["officer_own", "supervisor"])
def test_unknown_and_malformed_case_numbers_are_404(world, role):
    client = world.client(role)
    assert client.get("/office/cases/KVKK-2026-0000-0000").status_code == 404
    assert client.get("/office/cases/not-a-number").status_code == 404


def test_an_attachment_of_another_case_is_404(world):
    client = world.client("supervisor")
    mine, _ = world.cases["officer_own"]
    _theirs, their_attachment = world.cases["officer_other"]
    assert client.get(f"/office/cases/{mine}/attachments/{their_attachment}").status_code == 404


def test_auditors_get_no_forms_on_a_case(world):
    page = text(world.client("auditor").get(world.url("office.case", "auditor")))
    main = page.split('<main', 1)[1]
    assert re.findall(r"<form", main) == []
    assert "read-only" in main


def test_officers_see_a_pool_case_but_cannot_change_it_before_taking_it(world):
    no, _code = new_application(world.app)
    client = world.client("officer_own")
    page = text(client.get(f"/office/cases/{no}"))
    assert 'data-testid="take"' in page and 'data-testid="decide-a"' not in page
    with world.app.app_context():
        from kvkk_tracker.models import Application

        version = db.session.query(Application).filter_by(tracking_no=no).one().version
    response = client.post(f"/office/cases/{no}/move",
                           data={"move-version": version, "move-target": "in_review"})
    assert response.status_code == 403


def test_csrf_is_enforced_on_case_forms(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    officer = make_user(app, "officer")
    no, _code = new_application(app)
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      text(client.get("/login"))).group(1)
    response = client.post("/login", data={"email": officer.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    page = text(client.get(f"/office/cases/{no}"))
    take_token = re.search(r'name="take-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    version = re.search(r'name="take-version" type="hidden" value="(\d+)"', page).group(1)
    assert client.post(f"/office/cases/{no}/take",
                       data={"take-version": version}).status_code == 400
    response = client.post(f"/office/cases/{no}/take",
                           data={"take-version": version, "take-csrf_token": take_token})
    assert response.status_code == 303
