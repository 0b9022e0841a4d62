"""The ceiling for bench/intake.py: one JSON POST that inserts one row, with no validation.

Same stack as the product's intake path (Flask + Flask-SQLAlchemy + SQLite in WAL mode with the
product's connection settings: foreign keys, busy_timeout, synchronous=NORMAL, BEGIN IMMEDIATE),
and nothing else: no forms, no deadline, no audit chain, no i18n. It stores the raw request
body, so it writes about as many bytes per request as the product does.

    BARE_DB=/tmp/bare.db gunicorn --pythonpath bench 'bare_app:create_app()'

This app exists only for the benchmark; it is not part of the product.
"""

from __future__ import annotations

import os
import sqlite3

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Integer, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kvkk_tracker.database import install_sqlite_behaviour


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Submission(db.Model):
    __tablename__ = "bare_submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[str] = mapped_column(Text, nullable=False)


def _db_url() -> str:
    # BARE_DATABASE_URL: the PostgreSQL ceiling of `bench/intake.py --database postgresql`.
    if os.environ.get("BARE_DATABASE_URL"):
        return os.environ["BARE_DATABASE_URL"]
    path = os.environ.get("BARE_DB")
    if not path:
        raise RuntimeError("set BARE_DB to the SQLite file to write")
    return f"sqlite:///{path}"


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = _db_url()
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}  # as the product
    install_sqlite_behaviour()
    db.init_app(app)

    @app.get("/health")
    def health():
        return jsonify({"ok": True})

    @app.post("/bare")
    def insert():
        row = Submission(body=request.get_data(as_text=True))
        db.session.add(row)
        db.session.commit()
        return jsonify({"id": row.id}), 201

    return app


def init_db(path: str) -> None:
    """Create the table before the workers start, so that they do not race to create it."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS bare_submissions "
                     "(id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    conn.close()


def count_rows(path: str) -> int:
    with sqlite3.connect(path) as conn:
        (count,) = conn.execute("SELECT count(*) FROM bare_submissions").fetchone()
    conn.close()
    return count


def init_url(url: str) -> None:
    """init_db for a database given by URL (PostgreSQL)."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    Submission.__table__.create(engine, checkfirst=True)
    engine.dispose()


def count_url(url: str) -> int:
    from sqlalchemy import create_engine, func, select

    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(Submission.__table__))
    engine.dispose()
    return count
