"""GET and HEAD requests read without SQLite's write lock; the few GETs that write keep it.

Every SQLite transaction of the app used to begin IMMEDIATE, the one in which Flask-Login
loads the signed-in user included, and lasted until the request ended: every page view held
the write lock while it rendered, so page views queued behind each other and behind every
writer, and a citizen's submission waited for an officer's page. Here another connection
holds a write transaction open, as a submission or an office save does, while pages are
read; the app's own busy timeout is cut to half a second so that a page that still wants
the lock fails at once ("database is locked") instead of after 30 s.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from flask import request
from sqlalchemy import event, select, text
from sqlalchemy.engine import make_url

from kvkk_tracker.database import ReadOnlyTransactionError
from kvkk_tracker.extensions import db
from kvkk_tracker.models import Attachment, User
from kvkk_tracker.web.helpers import writes_on_get
from tests import databases
from tests.office.conftest import audit_actions, login, make_user, new_application, pdf_file

pytestmark = pytest.mark.skipif(databases.backend() != "sqlite",
                                reason="the write lock is SQLite's; PostgreSQL has row locks")

BUSY_MS = 500


def _database_path(app) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database


def _short_busy_timeout(app) -> None:
    """Make the app's connections give up on a held lock after BUSY_MS, not 30 s."""
    with app.app_context():
        db.engine.dispose()

        @event.listens_for(db.engine, "checkout")
        def _impatient(dbapi_connection, _record, _proxy):
            dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_MS}")


class Writer:
    """Another connection with a write transaction open: BEGIN IMMEDIATE and an UPDATE."""

    def __init__(self, app):
        self.connection = sqlite3.connect(_database_path(app), timeout=BUSY_MS / 1000,
                                          isolation_level=None, check_same_thread=False)

    def __enter__(self):
        self.connection.execute("BEGIN IMMEDIATE")
        self.connection.execute("UPDATE users SET name = name || ' (edited)'")
        return self

    def __exit__(self, *exc):
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")
        self.connection.close()


@pytest.fixture
def office(app):
    officer = make_user(app, "officer")
    auditor = make_user(app, "auditor")
    tracking_no, _code = new_application(app, assignee=officer, files=(pdf_file(),))
    _short_busy_timeout(app)
    return {"officer": officer, "auditor": auditor, "tracking_no": tracking_no}


@pytest.mark.parametrize(("role", "method", "url", "status"), [
    ("officer", "GET", "/office/", 200),
    ("officer", "HEAD", "/office/", 200),
    ("officer", "GET", "/office/cases/{no}", 200),
    ("officer", "GET", "/office/applications/new", 200),
    ("officer", "GET", "/status", 200),
    ("officer", "GET", "/", 200),
    (None, "GET", "/apply", 200),
    (None, "GET", "/status", 200),
    ("officer", "GET", "/office/no-such-page", 404),
    ("officer", "GET", "/static/css/site.css", 200),
    ("auditor", "GET", "/auditor/register", 200),
    ("auditor", "GET", "/auditor/audit-chain", 200),
    ("auditor", "GET", "/auditor/reports", 200),
])
def test_a_page_renders_while_another_connection_writes(app, office, role, method, url, status):
    client = login(app.test_client(), office[role]) if role else app.test_client()
    with Writer(app) as writer:
        response = client.open(url.format(no=office["tracking_no"]), method=method)
        assert writer.connection.in_transaction  # never waited for: still open
    body = response.get_data(as_text=True)
    response.close()  # a static file's handle
    assert response.status_code == status, body[:2000]
    # The page read its snapshot: the writer's uncommitted edit is not on it.
    assert "(edited)" not in body


def test_a_writer_gets_the_lock_while_a_page_is_being_rendered(app, office):
    """The other way round: a submission or a save arrives while an officer's page renders."""
    client = login(app.test_client(), office["officer"])
    seen = {}

    def write_during_render(_sender, **_extra):
        # The user is loaded and the case read by now; the old page held the lock here.
        with Writer(app) as writer:
            writer.connection.execute("COMMIT")
            seen["committed"] = True

    from flask import before_render_template

    before_render_template.connect(write_during_render, app)
    try:
        response = client.get(f"/office/cases/{office['tracking_no']}")
    finally:
        before_render_template.disconnect(write_during_render, app)
    assert response.status_code == 200
    assert seen.get("committed")


def test_a_get_that_writes_still_writes_after_a_writer_lets_go(app, office):
    """An attachment download is audited: its GET keeps BEGIN IMMEDIATE and waits its turn."""
    with app.app_context():
        attachment_id = db.session.scalars(select(Attachment.id)).one()
        db.engine.dispose()  # back to the app's usual 30 s busy timeout for this one
    client = login(app.test_client(), office["officer"])
    writer = Writer(app).__enter__()
    # The writer commits a moment after the download started waiting for the lock.
    timer = threading.Timer(0.3, lambda: writer.connection.execute("COMMIT"))
    timer.start()
    try:
        response = client.get(
            f"/office/cases/{office['tracking_no']}/attachments/{attachment_id}")
    finally:
        timer.join()
        writer.__exit__()
    response.close()  # the file's handle
    assert response.status_code == 200
    assert audit_actions(app, office["tracking_no"])[-1] == "application.attachment_downloaded"
    with app.app_context():
        assert db.session.scalar(select(User.name).limit(1)).endswith("(edited)")


def test_a_write_in_a_get_that_is_not_marked_fails_loudly(app, monkeypatch):
    """The safety net: a GET view that writes without @writes_on_get fails every time.

    In a plain-BEGIN transaction such a write would fail only when another connection had
    committed since the request's first read (SQLITE_BUSY_SNAPSHOT): now and then, in
    production. query_only makes it fail always, so the test suite finds every such view.
    """
    def writes_an_event():
        db.session.execute(text("UPDATE users SET name = name"))
        return "written"

    monkeypatch.setitem(app.view_functions, "public.privacy", writes_an_event)
    with pytest.raises(ReadOnlyTransactionError, match="@writes_on_get"):
        app.test_client().get("/privacy")


def test_a_view_marked_as_writing_keeps_the_write_lock(app, monkeypatch):
    seen = {}

    @writes_on_get
    def reads_the_lock():
        # BEGIN IMMEDIATE took the lock: another connection cannot take it now.
        db.session.execute(select(1))
        other = sqlite3.connect(_database_path(app), timeout=0.05, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            seen["locked"] = False
            other.execute("ROLLBACK")
        except sqlite3.OperationalError as error:
            seen["locked"] = "locked" in str(error)
        finally:
            other.close()
        return request.method

    monkeypatch.setitem(app.view_functions, "public.privacy", reads_the_lock)
    assert app.test_client().get("/privacy").status_code == 200
    assert seen == {"locked": True}


def test_code_that_holds_the_app_context_writes_after_a_get(app, office):
    """A test or a command around requests shares their session: the GET's read-only
    transaction ends with the request, and what follows begins IMMEDIATE again."""
    client = login(app.test_client(), office["officer"])
    with app.app_context():
        assert client.get("/office/").status_code == 200
        db.session.execute(text("UPDATE users SET name = name || ' (edited)'"))
        db.session.commit()
        assert db.session.scalar(select(User.name).limit(1)).endswith("(edited)")


def test_query_only_is_set_per_transaction_on_a_pooled_connection(app):
    """Unit level: a read-only transaction refuses writes with a clear error, and the same
    driver connection, back in the pool, writes in the next ordinary transaction."""
    with app.app_context():
        engine = db.engine
        engine.dispose()
        with engine.connect() as connection:
            driver = connection.connection.dbapi_connection
            with connection.execution_options(sqlite_read_only=True).begin():
                assert connection.exec_driver_sql("PRAGMA query_only").scalar() == 1
                with pytest.raises(ReadOnlyTransactionError, match="read-only transaction"):
                    connection.execute(text("UPDATE users SET name = name"))
        with engine.connect() as connection:
            assert connection.connection.dbapi_connection is driver  # the same, pooled
            with connection.begin():
                assert connection.exec_driver_sql("PRAGMA query_only").scalar() == 0
                connection.execute(text("UPDATE users SET name = name"))
