"""Office pages: a label for every control, error ids that exist, CSRF in every form, no scripts."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from kvkk_tracker.clock import utcnow
from kvkk_tracker.domain.deadlines import to_istanbul
from kvkk_tracker.services.applicant import answer
from kvkk_tracker.services.attachments import FileStash

from .conftest import apply_as, load, login, make_user, new_application, text


class Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.ids: set[str] = set()
        self.labels: set[str] = set()
        self.controls: list[dict] = []
        self.described: list[str] = []
        self.forms: list[dict] = []
        self.scripts = 0
        self.fieldsets = self.legends = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described.extend(attrs["aria-describedby"].split())
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in (
                "hidden", "submit", "button"):
            self.controls.append(attrs)
        if tag == "form":
            self.forms.append({"method": attrs.get("method", "get"), "inputs": []})
        if tag == "input" and self.forms:
            self.forms[-1]["inputs"].append(attrs.get("name", ""))
        if tag == "script":
            self.scripts += 1
        self.fieldsets += tag == "fieldset"
        self.legends += tag == "legend"


def check(html: str) -> Page:
    page = Page(html)
    unlabelled = [c for c in page.controls if c.get("id") not in page.labels]
    assert unlabelled == []
    assert [i for i in page.described if i not in page.ids] == []
    assert page.scripts == 0
    assert page.fieldsets == page.legends
    return page


@pytest.fixture
def busy_case(make_app):
    """A case with every form showing: rights with actions, an answer, a note, four eyes."""
    app = make_app(KVKK_FOUR_EYES=True, WTF_CSRF_ENABLED=True)
    officer = make_user(app, "officer")
    supervisor = make_user(app, "supervisor")
    no, _code = new_application(app, assignee=officer, rights=("a", "d", "e", "f"))
    apply_as(app, officer, no, "change_status", target="in_review")
    apply_as(app, officer, no, "change_status", target="awaiting_applicant")
    with app.app_context():
        from kvkk_tracker.extensions import db
        from kvkk_tracker.models import Application
        from kvkk_tracker.services.actors import public_actor

        application = db.session.query(Application).filter_by(tracking_no=no).one()
        answer(db.session, public_actor("127.0.0.1"), application.received_at, application,
               "Müşteri numaram 4711.", [], FileStash(Path(app.config["KVKK_UPLOAD_DIR"])))
        db.session.commit()
    return app, officer, supervisor, no


def csrf_login(app, user):
    import re

    from .conftest import PASSWORD

    client = app.test_client()
    client.set_cookie("lang", "en")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      text(client.get("/login"))).group(1)
    assert client.post("/login", data={"email": user.email, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    return client


def test_the_case_page_is_accessible_and_every_form_carries_a_csrf_token(busy_case):
    app, officer, supervisor, no = busy_case
    client = csrf_login(app, officer)
    html = text(client.get(f"/office/cases/{no}"))
    page = check(html)
    post_forms = [f for f in page.forms if f["method"] == "post"]
    assert len(post_forms) >= 10 and len(page.controls) >= 20
    for form in post_forms:
        assert any(name.endswith("csrf_token") for name in form["inputs"]), form
    assert "The clock keeps running" in html
    assert "Müşteri numaram 4711." in html and "The applicant answered" in html
    assert "Why this date?" in html and "Statutory due date:" in html
    assert f'data-testid="statutory-due">{load(app, no).statutory_due:%d.%m.%Y}<' in html

    check(text(csrf_login(app, supervisor).get(f"/office/cases/{no}")))


def test_the_decided_case_page_with_the_reply_form(busy_case):
    app, officer, supervisor, no = busy_case
    apply_as(app, officer, no, "change_status", target="in_review")
    for code in ("a", "d", "e", "f"):
        apply_as(app, officer, no, "decide_right", right_code=code, outcome="rejected",
                 reason_code="no_data_held", justification="Kayıt yok.")
    apply_as(app, officer, no, "change_status", target="decided")
    html = text(csrf_login(app, officer).get(f"/office/cases/{no}"))
    check(html)
    assert 'data-testid="record-reply"' in html
    today = to_istanbul(utcnow()).date().isoformat()
    assert f'name="reply-sent_on" required type="date" value="{today}"' in html
    assert 'data-testid="approval-pending"' in html
    boss = text(csrf_login(app, supervisor).get(f"/office/cases/{no}"))
    check(boss)
    assert 'data-testid="approve"' in boss


def test_the_log_and_queue_pages_are_accessible(busy_case):
    app, officer, _supervisor, _no = busy_case
    client = csrf_login(app, officer)
    check(text(client.get("/office/applications/new")))
    check(text(client.get("/office/")))


def test_error_messages_are_tied_to_their_fields(app):
    officer = make_user(app, "officer")
    no, _code = new_application(app, assignee=officer)
    client = login(app.test_client(), officer)
    version = load(app, no).version
    response = client.post(f"/office/cases/{no}/rights/a/decision", data={
        "decide-a-version": version, "decide-a-outcome": "rejected"})
    assert response.status_code == 400
    html = text(response)
    page = check(html)
    assert "decide-a-reason_code-error" in page.ids
    assert "decide-a-reason_code-error" in page.described
    assert 'role="alert"' in html  # the error summary
