"""Database behaviour the models rely on: SQLite pragmas and serialised writers."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

_installed = False
# Key in a driver connection's info: whether PRAGMA query_only is on for it.
QUERY_ONLY = "kvkk_query_only"


class ReadOnlyTransactionError(RuntimeError):
    """Something wrote inside a transaction begun read-only (a plain BEGIN on SQLite)."""


def install_sqlite_behaviour() -> None:
    """Turn on WAL and foreign keys, and start SQLite transactions with BEGIN IMMEDIATE.

    BEGIN IMMEDIATE takes the write lock up front. Without it, two transactions that read
    (e.g. the last audit hash) and then write fail with 'database is locked' instead of waiting.
    A transaction begun with the execution option `sqlite_read_only` takes no lock and may not
    write (web/helpers.py starts one for every GET and HEAD request).
    """
    global _installed
    if _installed:
        return
    _installed = True

    @event.listens_for(Engine, "connect")
    def _on_connect(dbapi_connection, _record):
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if not _is_memory(dbapi_connection):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(Engine, "begin")
    def _on_begin(connection):
        if connection.dialect.name != "sqlite":
            return
        # A reader that asked for it (execution option `sqlite_read_only`) takes no write
        # lock: under WAL it reads its snapshot beside any writer, and never waits for one.
        # It must not write: a plain BEGIN that writes after another connection committed
        # fails at once (SQLITE_BUSY_SNAPSHOT, no busy wait), so only now and then. query_only
        # makes every such write fail, every time, in tests first (ReadOnlyTransactionError).
        # It is a setting of the driver connection, not of the transaction: each BEGIN sets
        # it as that transaction needs, only when it changes (one PRAGMA, no I/O).
        read_only = bool(connection.get_execution_options().get("sqlite_read_only"))
        if connection.info.get(QUERY_ONLY, False) != read_only:
            connection.exec_driver_sql(f"PRAGMA query_only={'ON' if read_only else 'OFF'}")
            connection.info[QUERY_ONLY] = read_only
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    @event.listens_for(Engine, "handle_error")
    def _on_error(context):
        connection = context.connection
        if (connection is not None and connection.info.get(QUERY_ONLY)
                and isinstance(context.original_exception, sqlite3.OperationalError)
                and "readonly" in str(context.original_exception)):
            return ReadOnlyTransactionError(
                "a write in a read-only transaction (execution option sqlite_read_only, or a "
                "GET/HEAD request: mark a view that writes with @writes_on_get): "
                f"{context.statement}")
        return None


def _is_memory(dbapi_connection) -> bool:
    rows = dbapi_connection.execute("PRAGMA database_list").fetchall()
    return any(row[1] == "main" and not row[2] for row in rows)


def render_item(type_, obj, autogen_context):
    """Write UTCDateTime into migrations as the plain type it stores, not as an app import."""
    from .models.types import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
