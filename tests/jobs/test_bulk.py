"""insert_many stores exactly what the ORM would: same text for datetimes, same JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select, text

from kvkk_tracker.extensions import db
from kvkk_tracker.models import Notification, OutboxMessage
from kvkk_tracker.services.bulk import insert_many
from kvkk_tracker.services.outbox import message_row


def raw(table: str) -> list[tuple]:
    return [tuple(r) for r in db.session.execute(text(f"SELECT * FROM {table} ORDER BY id"))]  # noqa: S608


def test_bulk_rows_are_stored_like_orm_rows(app, make_staff):
    user = make_staff("officer")
    moment = datetime(2026, 4, 21, 9, 0, 0, 123456, tzinfo=timezone(timedelta(hours=3)))
    data = {"rung": "d10", "tracking_no": "KVKK-2026-AAAA-BBBB", "ç": [1, "ğ"]}
    with app.app_context():
        db.session.add(OutboxMessage(**message_row(moment, kind="reminder", dedupe_key="orm",
                                                   recipient="a@b.c", subject="ş", body="ı")))
        db.session.add(Notification(user_id=user, application_id=None, kind="reminder",
                                    data=data, created_at=moment))
        db.session.commit()
        connection = db.session.connection()
        insert_many(connection, OutboxMessage.__table__, [message_row(
            moment, kind="reminder", dedupe_key="bulk", recipient="a@b.c", subject="ş",
            body="ı")])
        insert_many(connection, Notification.__table__, [
            {"user_id": user, "application_id": None, "kind": "reminder", "data": data,
             "created_at": moment}] * 2)
        db.session.commit()
        orm, bulk = raw("outbox_messages")
        assert orm[2:] == bulk[2:] and bulk[1] == "bulk"
        notes = raw("notifications")
        assert notes[0][1:] == notes[1][1:] == notes[2][1:]
        # And they compare as datetimes should: the outbox claim's `next_attempt_at <= now`.
        due = db.session.scalars(select(OutboxMessage.dedupe_key).where(
            OutboxMessage.next_attempt_at <= moment.astimezone(UTC))).all()
        assert sorted(due) == ["bulk", "orm"]
