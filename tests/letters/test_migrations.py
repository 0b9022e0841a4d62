"""The inventory and letters revisions go down and up again with data in the tables around them."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from kvkk_tracker.clock import utcnow
from kvkk_tracker.extensions import db
from kvkk_tracker.models import OutboxMessage
from kvkk_tracker.services import outbox
from tests.office.conftest import make_user, new_application

from .builders import inventory_entry, stored_receipt


def test_letters_and_inventory_revisions_down_and_up(app):
    admin = make_user(app, "admin")
    inventory_entry(app, admin)
    no, _code = new_application(app)
    letter_id = stored_receipt(app, no)
    with app.app_context():
        message = outbox.queue(db.session, utcnow(), kind="reply_sent", dedupe_key="m:1",
                               recipient="a@example.com.tr", subject="s", body="b")
        message.letter_id = letter_id
        db.session.commit()
        db.session.remove()

        downgrade(revision="d1a0e5000001")
        tables = set(inspect(db.engine).get_table_names())
        assert "letters" not in tables and "inventory_entries" in tables
        columns = {c["name"] for c in inspect(db.engine).get_columns("outbox_messages")}
        assert "letter_id" not in columns
        downgrade(revision="b9df0b477085")
        assert "inventory_entries" not in set(inspect(db.engine).get_table_names())

        upgrade()
        assert {"letters", "inventory_entries", "case_inventory_items"} <= set(
            inspect(db.engine).get_table_names())
        # The outbox row survived both rebuilds of its table; its letter reference did not.
        kept = db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == "m:1"))
        assert kept is not None and kept.letter_id is None
