"""Every revision, one step at a time, down to the first and back up to head, with an
application stored at head: it survives every step, Turkish letters intact (run on SQLite and,
in the second pass of `make test`, on PostgreSQL)."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from kvkk_tracker.extensions import db, migrate


def revisions_newest_first(app) -> list[str]:
    with app.app_context():
        config = migrate.get_config()
    return [script.revision for script in ScriptDirectory.from_config(config).walk_revisions()]


def stored(tracking_no: str) -> tuple | None:
    row = db.session.execute(text(
        "SELECT first_name, last_name, status FROM applications WHERE tracking_no = :no"),
        {"no": tracking_no}).first()
    db.session.remove()
    return None if row is None else tuple(row)


def current_revision() -> str:
    revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    db.session.remove()
    return revision


def test_each_step_down_and_up_keeps_the_application(app, create_application):
    tracking_no, _code = create_application(first_name="Işıl", last_name="Çağlayan Öztürk")
    newest_first = revisions_newest_first(app)
    expected = ("Işıl", "Çağlayan Öztürk", "received")
    with app.app_context():
        db.session.remove()
        for revision in newest_first[1:]:  # down, one revision at a time
            downgrade(revision=revision)
            assert current_revision() == revision
            assert stored(tracking_no) == expected, f"lost at {revision}"
        for revision in reversed(newest_first[:-1]):  # and up again
            upgrade(revision=revision)
            assert current_revision() == revision
            assert stored(tracking_no) == expected, f"lost at {revision}"
