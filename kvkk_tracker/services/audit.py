"""Write and verify the tamper-evident audit trail."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from ..models import AuditEvent
from .actors import Actor
from .bulk import insert_many

GENESIS = "0" * 64
# Actions the applicant may see on the public status page.
PUBLIC_ACTIONS = frozenset({"application.received", "application.status_changed",
                            "application.replied", "application.withdrawn",
                            "application.applicant_answered"})
_ADVISORY_LOCK_KEY = 6698_0013
_COLUMNS = ("occurred_at", "actor", "action", "application_id", "ip", "data", "public",
            "prev_hash", "hash")
_INSERT = insert(AuditEvent.__table__)
_HEAD = select(AuditEvent.__table__.c.hash).order_by(AuditEvent.__table__.c.id.desc()).limit(1)
_LOCK = text("SELECT pg_advisory_xact_lock(:k)")


def canonical(event: AuditEvent) -> str:
    """Return the event's canonical form: the exact bytes its hash covers."""
    body = {
        # In UTC, as the column hands it back: an Istanbul-time `now` would otherwise hash as
        # +03:00 when written and as +00:00 when verified, and the chain would look broken.
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor,
        "action": event.action,
        "application_id": event.application_id,
        "ip": event.ip,
        "data": event.data,
        "public": event.public,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + canonical(event)).encode()).hexdigest()


def _chain_head(session: Session) -> str:
    """Lock the chain for this transaction and return the hash new events link to."""
    session.flush()  # the caller's pending changes go first, as an ORM query would do
    connection = session.connection()  # Core from here: this runs on every write
    # SQLite serialises writers with BEGIN IMMEDIATE (see database.py); PostgreSQL needs a lock.
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK, {"k": _ADVISORY_LOCK_KEY})
    return connection.execute(_HEAD).scalar() or GENESIS


def record(
    session: Session,
    actor: Actor,
    now: datetime,
    action: str,
    *,
    application_id: int | None = None,
    data: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain."""
    event = AuditEvent(
        occurred_at=now,
        actor=actor.label,
        action=action,
        application_id=application_id,
        ip=actor.ip,
        data=data or {},
        public=action in PUBLIC_ACTIONS,
        prev_hash=_chain_head(session),
    )
    event.hash = chain_hash(event.prev_hash, event)
    # A plain INSERT, not a unit-of-work flush: the chain head is locked until commit, so the
    # shorter the work after it, the sooner the next writer may go. Nothing reads the new id.
    session.connection().execute(_INSERT, {column: getattr(event, column) for column in _COLUMNS})
    return event


def record_many(session: Session, actor: Actor, now: datetime,
                events: list[tuple[str, int | None, dict]]) -> None:
    """Append many (action, application_id, data) events in one insert, as record() would."""
    if not events:
        return
    prev = _chain_head(session)
    rows = []
    for action, application_id, data in events:
        event = SimpleNamespace(occurred_at=now, actor=actor.label, action=action,
                                application_id=application_id, ip=actor.ip, data=data,
                                public=action in PUBLIC_ACTIONS, prev_hash=prev)
        event.hash = chain_hash(prev, event)
        rows.append(vars(event))
        prev = event.hash
    insert_many(session.connection(), AuditEvent.__table__, rows)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    bad_event_id: int | None = None
    problem: str | None = None


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the whole chain in id order and report the first event that does not fit."""
    prev = GENESIS
    count = 0
    last_id = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return ChainReport(True, count)
        for event in rows:
            if event.prev_hash != prev:
                return ChainReport(False, count, event.id, "chain broken before this event "
                                   "(an event was deleted or inserted)")
            if chain_hash(prev, event) != event.hash:
                return ChainReport(False, count, event.id, "event content changed")
            prev = event.hash
            count += 1
            last_id = event.id
        session.expunge_all()
