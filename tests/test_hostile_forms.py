"""Hostile input on every form the app shows, for every role: never a 5xx, nothing half-saved.

A crawler signs in as each role through the real forms with CSRF on, as in production. It
opens every HTML page the role can reach (every GET rule of the url_map, path arguments taken
from a world with a case in each state of the workflow) and submits every form it finds,
keeping the CSRF token:
- empty, once in Turkish and once in English: the errors must be in the language asked for;
- with hostile text in every text field (markup, SQL, control characters, an RTL override,
  Turkish letters, emoji; 2,000 characters; 100 KB), choices left as the page offers them;
- with garbage in the numeric, date, hidden and choice fields (negative, huge, not a number);
- with ordinary text and no choice made: when the form comes back with errors, it shows what
  was typed.
Links that carry a query string (pagers, the language switch) are replayed with hostile text
and garbage in their values. Every answer is 2xx, 3xx or 4xx; a refused submission says why,
each field marked invalid has its own message, and every table has as many rows as before; no
page ever carries the hostile script unescaped. Each form
is attacked once per role, where it first shows, to keep the run near a minute.

tests/test_property.py throws thousands of random posts at /apply and the API, and
tests/web/test_staff_forms_hostile.py sends files and JSON in place of text to the sign-in forms;
this module goes wide instead: every form, every role, a few representative values each.
"""

from __future__ import annotations

import io
import re
import shutil
import traceback
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlparse

import pyotp
import pytest
from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.test import encode_multipart

from kvkk_tracker.clock import utcnow
from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application, User
from kvkk_tracker.services import users as user_service
from kvkk_tracker.services.replies import record_reply
from tests import databases
from tests.letters.builders import decide, finalise
from tests.office.conftest import (
    CHEAP_HASHER,
    PASSWORD,
    Staff,
    apply_as,
    new_application,
    pdf_file,
    shared_app,
)
from tests.office.test_access import World, build_world
from tests.web.support import HTML_AS_PDF, Node, Page

SCRIPT = "<script>alert(1)</script>"
MIXED = (f"{SCRIPT}'; DROP TABLE applications; -- \x00\x07\x1b[31m \u202efdp.exe "
         "İıŞşĞğ Çç Öö Üü 👩‍👩‍👧‍👦 🇹🇷 {{ 7*7 }} %(x)s")
HOSTILE_TEXT = {"mixed": MIXED, "2000 chars": ("Işık Ğ 👍 " * 250)[:2000],
                "100 KB": "ş" * 100_000}
# Per variant, what goes into a numeric, date, hidden or choice field.
GARBAGE = {"negative": ("-1", "0001-01-01"), "huge": ("9" * 40, "9999-12-31"),
           "not a number": ("abc\x00\u202e", "31.02.2026")}
TEXT_TYPES = {"text", "email", "tel", "search", "url", "password"}
TURKISH_LETTERS = set("çğıİöşüÇĞÖŞÜ")
# Identity numbers that the chosen nationality makes irrelevant are dropped, not kept: only the
# number the application needs is held (data minimisation), and TR is the default nationality.
CLEARED_ON_PURPOSE = {"tckn", "passport_no"}
ROLES = ("anonymous", "officer_own", "supervisor", "auditor", "admin")
# Downloads, not pages: no forms to find, and a PDF costs a render.
NOT_PAGES = (".pdf", ".zip", ".json")
NOT_CRAWLED = {"static", "health.healthz", "auth.logout"}


# --- the world: a case in each state -----------------------------------------------------------

@dataclass
class CrawlWorld:
    app: object
    staff: World
    states: dict[str, str]  # tracking number -> the state it was built in
    codes: dict[str, str]  # tracking number -> access code


def build_crawl_world(app) -> CrawlWorld:
    staff = build_world(app)
    own = staff.users["officer_own"]
    states = {staff.cases["officer_own"][0]: "received", staff.cases["officer_other"][0]:
              "another officer's"}
    codes: dict[str, str] = {}

    def case(state: str, assignee: Staff | None = own) -> str:
        # Right (b) brings the processing-inventory form onto the case page.
        no, code = new_application(app, rights=("a", "b", "e"), files=(pdf_file(),),
                                   assignee=assignee)
        states[no], codes[no] = state, code
        return no

    case("in the pool", assignee=None)
    apply_as(app, own, case("in review"), "change_status", target="in_review")
    waiting = case("awaiting the applicant")
    apply_as(app, own, waiting, "change_status", target="in_review")
    apply_as(app, own, waiting, "change_status", target="awaiting_applicant")
    decide(app, own, case("decided"))
    final = case("decided, reply final")
    decide(app, own, final)
    finalise(app, own, final, "reply")
    replied = case("replied")
    decide(app, own, replied)
    finalise(app, own, replied, "reply")
    with app.app_context():
        application = db.session.scalar(select(Application).filter_by(tracking_no=replied))
        record_reply(db.session, db.session.get(User, own.id), utcnow(), application,
                     channel="post", sent_on=date.today())
        db.session.commit()
    apply_as(app, own, case("withdrawn"), "change_status", target="withdrawn")
    return CrawlWorld(app, staff, states, codes)


@contextmanager
def cheap_hashing():
    """Argon2 at production cost would make each sign-in take ~0.4 s."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(user_service, "_hasher", CHEAP_HASHER)
        patch.setattr(user_service, "_dummy_hash",
                      lambda: CHEAP_HASHER.hash("not-a-real-password"))
        yield


class _ExistingPostgres(databases.PostgresTemplate):
    def __init__(self, name: str):  # a database that exists, not a new empty one
        self.name = name


class SeededTemplate:
    """The crawl world built once, then its database and uploads copied for each role."""

    def __init__(self, app, world: CrawlWorld, db_template):
        url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
        with app.app_context():
            # With every connection closed, SQLite has folded its WAL into the file to copy,
            # and PostgreSQL copies a template only while no one is connected to it.
            db.session.remove()
            db.engine.dispose()
        if url.get_backend_name() == "sqlite":
            self.database = databases.SQLiteTemplate(Path(url.database).parent)
            self.database.path = Path(url.database)
        else:
            self.database = _ExistingPostgres(url.database)
        self.uploads = Path(app.config["KVKK_UPLOAD_DIR"])
        self.world, self.db_template = world, db_template

    def clone(self, directory: Path) -> str:
        shutil.copytree(self.uploads, directory / "uploads")  # where _make_app points the app
        return self.database.clone(directory)

    def drop_clone(self, url: str) -> None:
        self.db_template.drop_clone(url)

    def same_world(self, app) -> CrawlWorld:
        return CrawlWorld(app, self.world.staff, self.world.states, self.world.codes)


@pytest.fixture(scope="module")
def seeded(db_template, tmp_path_factory):
    with cheap_hashing(), shared_app(db_template, tmp_path_factory,
                                     build_crawl_world) as (app, made):
        yield SeededTemplate(app, made, db_template)


@pytest.fixture
def world(seeded, tmp_path_factory, role):
    """A fresh copy of the world per role: an admin's crawl disables accounts another role
    signs in with, and an officer's moves cases on.

    Four eyes is on for supervisors, who then get the approval form too; queue pages are
    short, so that the queue links to a next page (a cursor in the query).
    """
    with cheap_hashing(), shared_app(seeded, tmp_path_factory, seeded.same_world,
                                     WTF_CSRF_ENABLED=True, KVKK_FOUR_EYES=role == "supervisor",
                                     KVKK_QUEUE_PAGE_SIZE=3) as (_app, made):
        yield made


# --- forms as a browser sees them --------------------------------------------------------------

@dataclass
class Control:
    name: str
    kind: str  # text, textarea, hidden, number, date, select, radio, checkbox, file, submit
    value: str
    options: list[str] = field(default_factory=list)
    chosen: bool = False

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_TYPES or self.kind == "textarea"

    @property
    def is_csrf(self) -> bool:
        return self.name.endswith("csrf_token")


@dataclass
class Form:
    method: str
    action: str
    multipart: bool
    controls: list[Control]

    @property
    def signature(self) -> tuple:
        return (self.method, urlparse(self.action).path,
                tuple(sorted({c.name for c in self.controls})))


def _text_of(node: Node) -> str:
    return "".join(c for c in node.children if isinstance(c, str))


def _hidden_from_people(node: Node) -> bool:
    """A honeypot: a field only robots fill in, which the form drops on purpose."""
    while node is not None:
        if node.get("aria-hidden") == "true":
            return True
        node = node.parent
    return False


def _control(node: Node) -> Control | None:
    name = node.get("name")
    if not name or "disabled" in node.attrs or _hidden_from_people(node):
        return None
    if node.tag == "textarea":
        # A browser drops one newline right after <textarea> (CRLF counts as one).
        text = _text_of(node)
        return Control(name, "textarea", text.removeprefix("\r\n") if text.startswith("\r\n")
                       else text.removeprefix("\n"))
    if node.tag == "select":
        options = [o for o in node.iter() if o.tag == "option"]
        values = [o.get("value") if o.get("value") is not None else _text_of(o) for o in options]
        chosen = [v for o, v in zip(options, values, strict=True) if "selected" in o.attrs]
        return Control(name, "select", (chosen or values or [""])[0], values)
    if node.tag == "button":
        return Control(name, "submit", node.get("value") or "")
    kind = (node.get("type") or "text").lower()
    return Control(name, kind, node.get("value") or ("on" if kind == "checkbox" else ""),
                   chosen="checked" in node.attrs)


def forms_on(html: str, page_url: str) -> list[Form]:
    found = []
    for node in Page(html).find_all("form"):
        controls = [c for n in node.iter() if n.tag in ("input", "textarea", "select", "button")
                    if (c := _control(n)) is not None]
        found.append(Form((node.get("method") or "get").lower(),
                          urljoin(page_url, node.get("action") or page_url),
                          node.get("enctype") == "multipart/form-data", controls))
    return found


def links_on(html: str, page_url: str) -> list[str]:
    """The app's own links that carry a query string (pagers, filters, sort orders)."""
    hrefs = (node.get("href") or "" for node in Page(html).find_all("a"))
    return [urljoin(page_url, h) for h in hrefs if "?" in h and not urlparse(h).netloc]


def _default(controls: list[Control]) -> list[tuple[str, str]]:
    """What a browser sends untouched: checked boxes, a radio of each group, selects' choice."""
    pairs, radios = [], {}
    for c in controls:
        if c.kind == "radio":
            if c.chosen or c.name not in radios:
                radios[c.name] = c.value
        elif c.kind == "checkbox":
            if c.chosen:
                pairs.append((c.name, c.value))
        elif c.kind not in ("file", "submit", "reset", "button") and not c.is_text:
            pairs.append((c.name, c.value))
    first_submit = next((c for c in controls if c.kind == "submit"), None)
    if first_submit is not None:
        pairs.append((first_submit.name, first_submit.value))
    return pairs + list(radios.items())


def variants(form: Form) -> list[tuple[str, MultiDict, dict[str, str]]]:
    """Return (label, data, the ordinary text typed) for each way this form is attacked."""
    texts = [c for c in form.controls if c.is_text]
    csrf = [(c.name, c.value) for c in form.controls if c.is_csrf]
    others = [c for c in form.controls
              if not c.is_text and not c.is_csrf and c.kind not in ("file", "submit")]
    ordinary = {c.name: f"Sıradan yazı {i}" for i, c in enumerate(texts)
                if c.kind != "password" and c.name not in CLEARED_ON_PURPOSE}
    ordinary |= {c.name: "bilgi@example.com.tr" for c in texts if c.kind == "email"}
    names = {c.name for c in others}
    kept = [(n, v) for n, v in _default(form.controls) if not n.endswith("csrf_token")]
    found = [("empty", MultiDict(csrf + [(c.name, "") for c in texts + others]), {})]
    for label, value in HOSTILE_TEXT.items():
        found.append((f"hostile text ({label})",
                      MultiDict(csrf + kept + [(c.name, value) for c in texts]), {}))
    files = [c.name for c in form.controls if c.kind == "file"]
    if files:
        # A script dressed as a PDF, under a name that reads backwards.
        disguised = [(name, FileStorage(io.BytesIO(HTML_AS_PDF), f"fatura\u202efdp.exe{SCRIPT}.pdf",
                                        content_type="application/pdf")) for name in files]
        for name, upload in disguised:
            found[1][1].add(name, upload)
    if others:
        for label, (value, a_date) in GARBAGE.items():
            garbage = [(name, a_date if any(c.kind == "date" for c in others if c.name == name)
                        else value) for name in sorted(names)]
            found.append((f"garbage ({label})",
                          MultiDict(csrf + garbage + list(ordinary.items())), {}))
    unchosen = [(n, v) for n, v in kept
                if not any(c.name == n and c.kind in ("select", "radio", "checkbox")
                           for c in others)]
    found.append(("ordinary text, nothing chosen",
                  MultiDict(csrf + unchosen + list(ordinary.items())), ordinary))
    return found


def error_messages(page: Page) -> list[str]:
    boxes = [n for n in page.root.iter()
             if {"field-errors", "error-summary"} & set((n.get("class") or "").split())
             or (n.tag == "p" and "flash-error" in (n.get("class") or ""))]
    return [n.text() for box in boxes for n in box.iter() if n.tag in ("li", "p")
            and not any(isinstance(c, Node) and c.tag in ("li", "p") for c in n.children)]


# --- the crawler --------------------------------------------------------------------------------

class Crawler:
    def __init__(self, world: CrawlWorld, role: str):
        self.world, self.app, self.role = world, world.app, role
        self.client = self.app.test_client()
        self.problems: list[str] = []
        self.submitted = 0
        self.moved_on = False  # whether a submission was accepted since the page was read
        self.checked: Counter[str] = Counter()  # what the checks saw, so none is vacuous
        self.seen: set[tuple] = set()
        self.tables = [t for t in db.metadata.sorted_tables]

    # Requests that turn an exception into a reported problem instead of ending the crawl.
    def open(self, what: str, url: str, method: str = "GET", data=None, lang: str = "tr",
             multipart: bool = False):
        headers = {"Accept-Language": lang}
        try:
            if method.upper() == "GET":
                if data is not None:  # a GET form replaces the action's query
                    url = f"{url.split('?')[0]}?{urlencode(list(data.items(multi=True)))}"
                response = self.client.get(url, headers=headers)
            elif multipart:
                # Encoded here, in memory: the test client spools a body over 500 KB to a
                # temporary file that it never closes (a ResourceWarning, an error here).
                boundary, body = encode_multipart(data)
                response = self.client.post(
                    url, data=body, headers=headers,
                    content_type=f'multipart/form-data; boundary="{boundary}"')
            else:
                response = self.client.post(url, data=data, headers=headers)
        except Exception as error:  # noqa: BLE001 - every exception is a finding to report
            frame = next((f for f in reversed(traceback.extract_tb(error.__traceback__))
                          if "kvkk_tracker" in f.filename), None)
            where = f" at {frame.filename}:{frame.lineno}" if frame else ""
            self.problems.append(f"{what}: {type(error).__name__}: {error}"[:300] + where)
            return None
        response.get_data()  # kept on the response; closing it releases a streamed file
        response.close()
        body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        if response.status_code >= 500:
            self.problems.append(f"{what}: answered {response.status_code}")
        if SCRIPT in body:
            self.problems.append(f"{what}: the page carries the hostile script unescaped")
        return response

    def sign_in(self, user: Staff) -> None:
        """Sign in through the real forms, CSRF token and all.

        The second-factor form shows only half-way through a sign-in, so it is attacked there.
        """
        for url, fields in (("/login", {"email": user.email, "password": PASSWORD}),
                            ("/login/totp", {"code": lambda: pyotp.TOTP(user.totp_secret).now()})):
            if url == "/login/totp" and not user.totp_secret:
                return
            page = self.client.get(url)
            form = next(f for f in forms_on(page.get_data(as_text=True), url)
                        if f.method == "post")
            if url == "/login/totp":
                self.seen.add(self.endpoint(form))
                self.attack(form, f"{self.role} signing in")
            data = {c.name: c.value for c in form.controls if c.is_csrf}
            data |= {k: v() if callable(v) else v for k, v in fields.items()}
            assert self.client.post(url, data=data).status_code == 302

    def row_counts(self) -> tuple[int, ...]:
        """Rows in every table (one row of scalar subqueries: in order), then files stored."""
        with self.app.app_context():
            counts = select(*(select(func.count()).select_from(t).scalar_subquery()
                              for t in self.tables))
            result = tuple(db.session.execute(counts).one())
            db.session.remove()
        uploads = Path(self.app.config["KVKK_UPLOAD_DIR"])
        stored = sum(1 for p in uploads.rglob("*") if p.is_file()) if uploads.exists() else 0
        return (*result, stored)

    def pages(self) -> list[tuple[str, None, str, str | None]]:
        """Return (URL, None, what it shows, case state) for every GET page of the url_map."""
        found = []
        cases = self.world.states
        staff = self.world.staff
        for rule in self.app.url_map.iter_rules():
            if ("GET" not in rule.methods or rule.endpoint in NOT_CRAWLED
                    or rule.rule.endswith(NOT_PAGES)):
                continue
            kinds = sorted(getattr(rule._converters.get("kind"), "items", [None]))
            for no in cases if "tracking_no" in rule.arguments else [None]:
                for kind in kinds:
                    values = {"tracking_no": no, "kind": kind, "right_code": "a",
                              "user_id": staff.victim.id, "entry_id": staff.entry_id,
                              "letter_id": 0, "attachment_id": self._attachment(no)}
                    with self.app.test_request_context():
                        url = url_for(rule.endpoint, **{k: v for k, v in values.items()
                                                        if k in rule.arguments})
                    label = " ".join(filter(None, [rule.endpoint, kind, cases.get(no)]))
                    found.append((url, None, label, cases.get(no)))
        return found

    def _attachment(self, tracking_no: str | None) -> int:
        if tracking_no is None:
            return 0
        with self.app.app_context():
            application = db.session.scalar(select(Application).filter_by(
                tracking_no=tracking_no))
            attachment_id = application.attachments[0].id
            db.session.remove()
            return attachment_id

    def status_pages(self) -> list[tuple[str, MultiDict, str, str]]:
        """The applicant's status page for each case: reached by a POST, it carries forms."""
        page = self.client.get("/status").get_data(as_text=True)
        token = next(c.value for f in forms_on(page, "/status") for c in f.controls
                     if c.is_csrf)
        states = self.world.states
        return [("/status", MultiDict({"csrf_token": token, "tracking_no": no,
                                       "access_code": code}), f"status page, {states[no]}",
                 states[no]) for no, code in self.world.codes.items()]

    def crawl(self) -> None:
        openers = self.pages()
        if self.role == "supervisor":
            # Officers meet each case form in the earliest state that shows it; supervisors,
            # who see the same forms, meet them in the latest one.
            openers.reverse()
        if self.role == "anonymous":
            openers += self.status_pages()
        else:
            self.sign_in(self.world.staff.users[self.role])
        formless: set[str] = set()
        for url, data, label, state in openers:
            page_kind = label.removesuffix(state or "")
            if page_kind in formless:
                continue  # a page with no form in one state (a letter preview) has none in any
            response = self.fetch(url, data, label)
            if response is None:
                continue
            forms = forms_on(response.get_data(as_text=True), url)
            if not forms or all(urlparse(f.action).path == "/logout" for f in forms):
                formless.add(page_kind)
            for link in links_on(response.get_data(as_text=True), url):
                self.attack_link(link, label)
            for form in forms:
                key = self.endpoint(form)
                if key in self.seen or key[0] in NOT_CRAWLED:
                    continue
                if self.moved_on:
                    # An accepted submission may have moved the case on (a new version).
                    self.moved_on = False
                    again = self.fetch(url, data, label)
                    forms = forms_on(again.get_data(as_text=True), url) if again else []
                    form = next((f for f in forms if f.signature == form.signature), None)
                if form is not None:  # else gone with the state: a later page may show it
                    self.seen.add(key)
                    self.attack(form, f"{self.role} on {label}")

    def endpoint(self, form: Form) -> tuple[str, str]:
        """Each form is attacked once per role, wherever it shows first (runtime)."""
        adapter = self.app.url_map.bind("localhost")
        endpoint, _args = adapter.match(urlparse(form.action).path, method=form.method.upper())
        return endpoint, form.method

    def fetch(self, url: str, data, label: str):
        method = "POST" if data is not None else "GET"
        response = self.open(f"{self.role} opening {label}", url, method, data)
        if response is None or response.status_code != 200 or response.mimetype != "text/html":
            return None
        return response

    def attack(self, form: Form, where: str) -> None:
        for number, (label, data, typed) in enumerate(variants(form)):
            langs = ("tr", "en") if label == "empty" else (("tr", "en")[number % 2],)
            messages = {}
            for lang in langs:
                before = self.row_counts()
                what = f"{where}: {form.method.upper()} {urlparse(form.action).path} {label}"
                response = self.open(f"{what} [{lang}]", form.action, form.method, data, lang,
                                     form.multipart)
                self.submitted += 1
                if response is None or response.status_code >= 500:
                    continue
                self.moved_on |= response.status_code < 400
                shown = Page(response.get_data(as_text=True)) if (
                    response.mimetype == "text/html") else None
                errors = error_messages(shown) if shown is not None else []
                refused = response.status_code >= 400 or bool(errors)
                if refused and self.row_counts() != before and not self.recorded_refusal(
                        form, before):
                    self.problems.append(f"{what}: refused ({response.status_code}) but "
                                         f"rows changed: {self.changed(before)}")
                self.checked["refused" if refused else "accepted"] += 1
                if shown is not None and response.status_code >= 400 and not errors:
                    self.problems.append(f"{what}: refused ({response.status_code}) with no "
                                         "message saying why")
                if shown is not None:
                    self.check_field_messages(what, shown)
                if shown is not None and refused:
                    self.check_kept(what, form, shown, typed)
                messages[lang] = errors
            if len(messages) == 2:
                self.check_languages(what, messages)

    def attack_link(self, link: str, label: str) -> None:
        """Replay a link with garbage in every query value, once per endpoint and parameters."""
        parts = urlparse(link)
        params = parse_qsl(parts.query, keep_blank_values=True)
        names = tuple(sorted(name for name, _value in params))
        try:
            endpoint, _args = self.app.url_map.bind("localhost").match(parts.path)
        except HTTPException:
            return
        # ?lang= is read once for every page (i18n.select_locale): one page tests it.
        key = ("link", "any page" if names == ("lang",) else endpoint, names)
        if key in self.seen:
            return
        self.seen.add(key)
        variants = [("hostile text", lambda _old: MIXED),
                    # A structured value (a cursor "2026-04-01.17") with its id out of range.
                    ("its last number huge",
                     lambda old: re.sub(r"\d+(?=\D*$)", "9" * 30, old))] + [
            (name, lambda _old, garbage=garbage: garbage)
            for name, (garbage, _date) in GARBAGE.items()]
        for variant, change in variants:
            query = urlencode([(name, change(old)) for name, old in params])
            if query == urlencode(params):
                continue  # nothing to change (?lang=en would also switch the crawl's language)
            self.open(f"{self.role} on {label}: link {parts.path}?{query[:60]} ({variant})",
                      f"{parts.path}?{query}")
            self.submitted += 1

    def recorded_refusal(self, form: Form, before) -> bool:
        """A refused sign-in is itself recorded in the audit trail, and only there."""
        return self.endpoint(form)[0].startswith("auth.") and [
            name.split(" ")[0] for name in self.changed(before)] == ["audit_events"]

    def changed(self, before) -> list[str]:
        after = self.row_counts()
        names = [t.name for t in self.tables] + ["files on disk"]
        return [f"{n} {b}->{a}" for n, b, a in zip(names, before, after, strict=True) if a != b]

    def check_field_messages(self, what: str, shown: Page) -> None:
        """Each field marked invalid points to its own message (read out with the field).

        A radio button or a checkbox may leave that to its group (the fieldset around it).
        """
        for node in shown.find_all(aria_invalid="true"):
            ids, holder = [], node
            while holder is not None and not ids:
                ids = (holder.get("aria-describedby") or "").split()
                holder = holder.parent if node.get("type") in ("radio", "checkbox") else None
            said = [shown.by_id(i).text() for i in ids if i.endswith("-error") and shown.by_id(i)]
            self.checked["field messages"] += 1
            if not any(said):
                self.problems.append(f"{what}: {node.get('name') or node.get('id')!r} is marked "
                                     "invalid with no message of its own")

    def check_kept(self, what: str, form: Form, shown: Page, typed: dict[str, str]) -> None:
        if not typed:
            return
        again = [f for f in forms_on(shown.html, form.action)
                 if urlparse(f.action).path == urlparse(form.action).path]
        if not again:
            self.problems.append(f"{what}: refused, but the form is not shown again")
        for name, value in typed.items():
            controls = [c for f in again for c in f.controls if c.name == name]
            self.checked["kept"] += bool(controls)
            if controls and all(c.value != value for c in controls):
                self.problems.append(f"{what}: the form came back without what was typed in "
                                     f"{name!r} (shows {controls[0].value[:40]!r})")

    def check_languages(self, what: str, messages: dict[str, list[str]]) -> None:
        turkish, english = messages["tr"], messages["en"]
        if not turkish and not english:
            return
        self.checked["languages"] += 1
        if bool(turkish) != bool(english):
            self.problems.append(f"{what}: errors in one language only: {messages}")
            return
        # English messages may quote Turkish examples ("e.g. Kimlik or İletişim"), so the test
        # is that no message is the same in both languages, and that the Turkish read Turkish.
        untranslated = [m for m in turkish if m in english and re.search(r"[A-Za-z]", m)]
        if untranslated or not any(TURKISH_LETTERS & set(m) for m in turkish):
            self.problems.append(f"{what}: Turkish errors missing or the same as the English: "
                                 f"{untranslated or turkish}")


# What each role's crawl attacked, for the check that no POST route escapes every crawl.
ATTACKED: dict[str, set[str]] = {}
# POST routes no page carries a form for, and where their hostile input is tested instead.
NO_FORM = {"auth.logout": "the sign-out button has no field; tests/office/test_access.py",
           "api.create_request": "the JSON API; tests/test_property.py"}


@pytest.mark.parametrize("role", ROLES)
def test_no_form_breaks_under_hostile_input(world, role):
    crawler = Crawler(world, role)
    crawler.crawl()
    ATTACKED[role] = {key[0] for key in crawler.seen}
    assert crawler.submitted > 0, "the crawler found no form to submit"
    print(f"{role}: {len(crawler.seen)} forms, {crawler.submitted} submissions, "
          f"{dict(crawler.checked)}", sorted(map(str, crawler.seen)))
    assert not crawler.problems, "\n".join(crawler.problems)
    assert crawler.checked["refused"] and crawler.checked["languages"], crawler.checked


def test_every_post_route_was_attacked(app):
    """A new POST route fails here until some role's crawl meets its form (or NO_FORM says
    why it has none): give the world the state that shows it."""
    if set(ATTACKED) != set(ROLES):
        pytest.skip("needs every role's crawl in the same run")
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert sorted(posts - set().union(*ATTACKED.values()) - set(NO_FORM)) == []


@pytest.mark.parametrize("query", ["?assignee=" + "9" * 30, "?assignee=²", "?due_within=²",
                                   "?due_within=" + "9" * 30,
                                   "?after=2026-01-01." + "9" * 30, "?after=2026-01-01.-5",
                                   "?q=%00I%C5%9F%1B%C4%B1l", "?status=%00", "?right=a%00",
                                   "?channel=%00web"])
def test_queue_links_with_impossible_values_show_the_queue(app, query):
    """Numbers no database integer holds are no filter, control characters no part of a
    search (PostgreSQL refuses a NUL): the queue shows, not a server error."""
    from tests.office.conftest import login, make_user

    no, _code = new_application(app)
    client = login(app.test_client(), make_user(app, "supervisor"))
    response = client.get(f"/office/{query}")
    assert response.status_code == 200
    assert no in response.get_data(as_text=True)


def test_a_control_character_in_the_sign_in_name_is_a_field_error(app):
    """PostgreSQL refuses a NUL in the user lookup: the form stops it, in the user's language."""
    response = app.test_client().post("/login", data={"email": "a\x00@example.com.tr",
                                                       "password": "x"},
                                      headers={"Accept-Language": "tr"})
    assert response.status_code == 400
    assert "Bu alandaki görünmeyen kontrol karakterlerini silin." in response.get_data(as_text=True)
