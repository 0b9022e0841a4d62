"""The transactional outbox: queue e-mails with their cause, then claim, send and settle them.

Queueing happens inside the caller's transaction, so an e-mail exists exactly when the state
change that caused it was committed. Delivery is the dispatcher's job (jobs/outbox.py); the
functions here only move rows between states and never commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from ..domain.deadlines import to_istanbul
from ..mail import render
from ..models import Application, OutboxMessage
from .bulk import insert_many

STATE_ORDER = ("queued", "sending", "sent", "dead")


@dataclass(frozen=True)
class OutboxSettings:
    max_attempts: int = 12
    backoff_seconds: int = 60
    backoff_max_seconds: int = 6 * 3600
    claim_timeout_seconds: int = 900
    batch_size: int = 20

    @classmethod
    def from_config(cls, config) -> OutboxSettings:
        return cls(max_attempts=int(config["OUTBOX_MAX_ATTEMPTS"]),
                   backoff_seconds=int(config["OUTBOX_BACKOFF_SECONDS"]),
                   backoff_max_seconds=int(config["OUTBOX_BACKOFF_MAX_SECONDS"]),
                   claim_timeout_seconds=int(config["OUTBOX_CLAIM_TIMEOUT_SECONDS"]),
                   batch_size=int(config["OUTBOX_BATCH_SIZE"]))

    def backoff(self, attempts: int) -> timedelta:
        """Return the wait after the `attempts`-th failed attempt: base * 2^(n-1), capped."""
        exponent = max(attempts - 1, 0)
        if exponent > 40:  # 2^40 minutes is far past any cap; avoid huge integers
            return timedelta(seconds=self.backoff_max_seconds)
        seconds = self.backoff_seconds * (2 ** exponent)
        return timedelta(seconds=min(seconds, self.backoff_max_seconds))


_INSERT = insert(OutboxMessage.__table__)


def message_row(now: datetime, *, kind: str, dedupe_key: str, recipient: str, subject: str,
                body: str, application_id: int | None = None) -> dict:
    """Return the column values of a queued message, for bulk inserts."""
    return {"dedupe_key": dedupe_key, "kind": kind, "application_id": application_id,
            "recipient": recipient, "subject": subject, "body": body, "state": "queued",
            "attempts": 0, "created_at": now, "next_attempt_at": now}


def queue(session: Session, now: datetime, **fields) -> OutboxMessage:
    """Add one message to the caller's transaction."""
    message = OutboxMessage(**message_row(now, **fields))
    session.add(message)
    return message


def queue_many(session: Session, rows: list[dict]) -> None:
    insert_many(session.connection(), OutboxMessage.__table__, rows)


def queue_acknowledgement(session: Session, now: datetime, application: Application) -> None:
    """Queue the citizen's acknowledgement: tracking number and statutory deadline."""
    if not application.email:
        return
    mail = render("acknowledgement", tracking_no=application.tracking_no,
                  received_at=to_istanbul(application.received_at).date(),
                  statutory_due=application.statutory_due)
    # A plain cached INSERT: this runs on every submission, inside the audit chain's lock.
    row = message_row(now, kind="acknowledgement", dedupe_key=f"acknowledgement:{application.id}",
                      recipient=application.email, subject=mail.subject, body=mail.body,
                      application_id=application.id)
    session.connection().execute(_INSERT, row)


def queue_reply_notice(session: Session, now: datetime,
                       application: Application) -> OutboxMessage | None:
    """Queue the citizen's notice that the reply has gone out, with the Art. 14 remedy."""
    if not application.email:
        return None
    mail = render("reply_sent", tracking_no=application.tracking_no,
                  replied_at=to_istanbul(application.replied_at or now).date())
    return queue(session, now, kind="reply_sent", dedupe_key=f"reply_sent:{application.id}",
                 recipient=application.email, subject=mail.subject, body=mail.body,
                 application_id=application.id)


@dataclass(frozen=True)
class Claimed:
    """A message this dispatcher holds: plain values, safe to use outside the transaction."""

    id: int
    token: str
    attempts: int
    created_at: datetime
    recipient: str
    subject: str
    body: str


def recover_stale_claims(session: Session, now: datetime, settings: OutboxSettings) -> int:
    """Put messages back whose dispatcher died between claim and settlement.

    Whether the SMTP server accepted such a message is unknown; it is sent again with the same
    Message-ID (at least once), unless its attempts are used up, when it is parked as dead.
    """
    stale = now - timedelta(seconds=settings.claim_timeout_seconds)
    where = (OutboxMessage.state == "sending", OutboxMessage.claimed_at < stale)
    note = "claim expired: the dispatcher stopped during delivery; delivery unknown, retried"
    dead = session.execute(
        update(OutboxMessage).where(*where, OutboxMessage.attempts >= settings.max_attempts)
        .values(state="dead", claim_token=None, last_error=note)
        .execution_options(synchronize_session=False)).rowcount
    back = session.execute(
        update(OutboxMessage).where(*where)
        .values(state="queued", claim_token=None, next_attempt_at=now, last_error=note)
        .execution_options(synchronize_session=False)).rowcount
    return dead + back


def claim(session: Session, now: datetime, settings: OutboxSettings) -> list[Claimed]:
    """Mark up to a batch of due messages as 'sending' under a fresh token and return them."""
    query = (select(OutboxMessage.id)
             .where(OutboxMessage.state == "queued", OutboxMessage.next_attempt_at <= now)
             .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
             .limit(settings.batch_size))
    if session.get_bind().dialect.name == "postgresql":
        # Two dispatchers claim disjoint batches. SQLite's BEGIN IMMEDIATE serialises them.
        query = query.with_for_update(skip_locked=True)
    ids = list(session.scalars(query))
    if not ids:
        return []
    token = secrets.token_hex(16)
    session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.state == "queued")
        .values(state="sending", claim_token=token, claimed_at=now,
                attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False))
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.attempts, OutboxMessage.created_at,
               OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.body)
        .where(OutboxMessage.claim_token == token).order_by(OutboxMessage.id)).all()
    return [Claimed(r.id, token, r.attempts, r.created_at, r.recipient, r.subject, r.body)
            for r in rows]


def mark_sent(session: Session, now: datetime, message: Claimed) -> bool:
    """Settle a delivered message; False if the claim was lost meanwhile (a late dispatcher)."""
    return session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == message.token)
        .values(state="sent", sent_at=now, claim_token=None, last_error=None)
        .execution_options(synchronize_session=False)).rowcount == 1


def mark_failed(session: Session, now: datetime, message: Claimed, error: str, *,
                permanent: bool, settings: OutboxSettings) -> str:
    """Schedule a retry with exponential backoff, or park the message as dead."""
    dead = permanent or message.attempts >= settings.max_attempts
    values = {"claim_token": None, "last_error": error[:2000]}
    if dead:
        values["state"] = "dead"
    else:
        values.update(state="queued", next_attempt_at=now + settings.backoff(message.attempts))
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == message.token)
        .values(**values).execution_options(synchronize_session=False))
    return values["state"]


def counts(session: Session) -> dict[str, int]:
    """Return how many messages are in each state."""
    found = dict(session.execute(
        select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all())
    return {state: found.get(state, 0) for state in STATE_ORDER}


def dead_messages(session: Session, limit: int = 200) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.state == "dead")
                                .order_by(OutboxMessage.id.desc()).limit(limit)))


def requeue_dead(session: Session, now: datetime, ids: list[int] | None = None) -> int:
    """Give dead messages a fresh set of attempts (after the admin fixed the cause)."""
    query = update(OutboxMessage).where(OutboxMessage.state == "dead")
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    return session.execute(query.values(state="queued", attempts=0, next_attempt_at=now)
                           .execution_options(synchronize_session=False)).rowcount
