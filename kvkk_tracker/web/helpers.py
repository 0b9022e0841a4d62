"""Small request-side helpers shared by the blueprints."""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import format_decimal

from ..extensions import db


def client_ip() -> str | None:
    return request.remote_addr


def format_size(size: int) -> str:
    """Return a byte count for people, rounded down since it states a limit: 10 MB, 1,5 MB."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{format_decimal(int(size * 10 / factor) / 10, format='#,##0.#')} {unit}"
    return f"{format_decimal(size)} B"


# Requests that only read, as HTTP defines them; Flask answers HEAD with the GET view.
SAFE_METHODS = frozenset({"GET", "HEAD"})


def writes_on_get(view):
    """Mark a view whose GET writes (an audit event of a view or a download, say).

    Its request keeps SQLite's BEGIN IMMEDIATE, as every POST does. Put it under the route
    decorator: the route registers what the decorators below it return.
    """
    view.writes_on_get = True
    return view


def begin_read_only() -> bool:
    """Begin the session's transaction read-only if this is a GET or HEAD that does not write.

    Called before a request's first read (the user loader, the blueprints' first hook). On
    SQLite every other transaction begins IMMEDIATE and holds the write lock until the request
    ends, so page views waited for each other and for every writer, and each writer for them.
    A read-only one (a plain BEGIN, database.py) reads a WAL snapshot beside any writer, and
    refuses to write. Nothing happens on PostgreSQL, or if the session already has a
    transaction (something read or added first: it goes on as it began). Returns whether it
    began one.
    """
    if request.method not in SAFE_METHODS:
        return False
    # No view: the URL matched nothing (404, 405), and only an error page is rendered.
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "writes_on_get", False):
        return False
    session = db.session()  # the request's Session itself: the scoped proxy lacks in_transaction
    if session.in_transaction() or session.get_bind().dialect.name != "sqlite":
        return False
    g.read_only_connection = session.connection(execution_options={"sqlite_read_only": True})
    return True


def install_read_only_requests(app) -> None:
    """Begin each blueprint's GET and HEAD requests read-only, and end that transaction after.

    The hook is the first of every blueprint's own, so it runs after the app's hooks: the
    first-run hook may create the first admin (a write) on a server's first request. The user
    loader, which an app hook may call first, begins it too (web/auth/routes.py). Call this
    after the blueprints are registered.
    """
    def _begin_read_only():
        begin_read_only()  # a hook's value other than None would be taken as the response

    for name in app.blueprints:
        app.before_request_funcs.setdefault(name, []).insert(0, _begin_read_only)

    @app.teardown_request
    def _end_read_only(_exc):
        # Flask-SQLAlchemy ends the session with the app context; a test (or a CLI command)
        # that holds one around requests would go on in this read-only transaction and fail
        # at its next write. Ending it here discards nothing: it could not write.
        connection = g.pop("read_only_connection", None)
        if connection is not None and not connection.closed and connection.in_transaction():
            db.session.rollback()
