"""The outbox dispatcher job: claim, send over SMTP, settle; one small commit at each step.

Delivery guarantee, honestly stated:
- Queueing is exactly once: a message is inserted in the transaction of its cause, under a
  unique dedupe key.
- Each message is claimed ('sending', with a fresh token) and committed *before* SMTP, and
  marked 'sent' in its own commit right after the server accepted it. SMTP runs outside any
  database transaction, so SQLite's write lock is never held across the network.
- A crash before the server's "250" leaves the message 'sending'; once the claim times out it
  is sent again: nothing is lost.
- A crash in the instant between the server's "250" and our commit also leaves it 'sending',
  and it is sent a second time. That duplicate carries the same Message-ID (derived from the
  outbox id), so it is identifiable and mail systems that deduplicate will drop it. No sender
  can do better over SMTP: delivery is at least once, exactly once in every other case.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy.orm import Session

from ..mail import SmtpSettings, SmtpTransport, build_message
from ..services import outbox
from ..services.letter_mail import attachments_for
from ..services.outbox import Claimed, OutboxSettings


@dataclass
class DispatchReport:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    recovered: int = 0
    error: str | None = None  # the last connection-level failure


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        reason = error.smtp_error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        return f"SMTP {error.smtp_code}: {reason}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reason = next(iter(error.recipients.values()))
        return f"SMTP {code}: {reason.decode('utf-8', 'replace')}"
    return f"{type(error).__name__}: {error}"


def _code(error: BaseException) -> int | None:
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return next(iter(error.recipients.values()))[0]
    return None


def dispatch(session: Session, now: datetime, settings: OutboxSettings | None = None,
             smtp: SmtpSettings | None = None, *,
             transport: Callable[[SmtpSettings], SmtpTransport] = SmtpTransport) -> DispatchReport:
    """Deliver every message due at `now`, in batches, until none is left or SMTP fails."""
    settings = settings or OutboxSettings.from_config(current_app.config)
    smtp = smtp or SmtpSettings.from_config(current_app.config)
    now = now.astimezone(UTC)
    report = DispatchReport()
    report.recovered = outbox.recover_stale_claims(session, now, settings)
    session.commit()

    def fail(message: Claimed, error: BaseException, permanent: bool) -> None:
        state = outbox.mark_failed(session, now, message, _describe(error),
                                   permanent=permanent, settings=settings)
        session.commit()
        if state == "dead":
            report.dead += 1
        else:
            report.retried += 1

    while True:
        claimed = outbox.claim(session, now, settings)
        session.commit()
        if not claimed:
            return report
        pending = list(claimed)
        # Read before connecting: no database work while the SMTP session is open.
        attached, corrupt = attachments_for(session, [m.id for m in claimed])
        session.commit()
        for message in [m for m in pending if m.id in corrupt]:
            # Never send a letter whose bytes changed: park it dead for an admin to see.
            pending.remove(message)
            fail(message, corrupt[message.id], permanent=True)
        if not pending:
            continue
        try:
            with transport(smtp) as connection:
                while pending:
                    message = pending[0]
                    email = build_message(smtp, outbox_id=message.id,
                                          created_at=message.created_at,
                                          recipient=message.recipient,
                                          subject=message.subject, body=message.body, now=now,
                                          attachments=tuple(
                                              [attached[message.id]] if message.id in attached
                                              else []))
                    try:
                        connection.send(email)
                    except (smtplib.SMTPResponseException,
                            smtplib.SMTPRecipientsRefused) as error:
                        code = _code(error)
                        if code is None or code in (421,):  # the server is going away
                            raise
                        pending.pop(0)
                        fail(message, error, permanent=code >= 500)
                        continue
                    pending.pop(0)
                    outbox.mark_sent(session, now, message)
                    session.commit()
                    report.sent += 1
        except (smtplib.SMTPException, OSError) as error:
            # The connection failed: whatever is still held goes back with a backoff.
            report.error = _describe(error)
            for message in pending:
                fail(message, error, permanent=False)
            return report
