"""Record that the reply went out (Art. 13(3)): the channel, the date sent and the proof."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from ..domain.deadlines import to_istanbul
from ..domain.rights import REPLY_CHANNEL_CODES
from ..models import Application, User
from . import audit, letters
from .cases import CaseError, change_status, user_actor
from .letter_mail import attach_to_reply_notice

MAX_PROOF = 500


def record_reply(session: Session, user: User, now: datetime, application: Application, *,
                 channel: str, sent_on: date, proof: str | None = None, four_eyes: bool = False,
                 expected_version: int | None = None, ip: str | None = None) -> None:
    """Move a decided application to replied and keep how and when the reply was sent.

    The details go into the audit trail, which is what the applicant's complaint window
    (Art. 14) and any Board inquiry will be read from. The reply is the finalised reply letter
    (or the identity rejection): without one there is nothing provable to have sent. By e-mail
    the letter leaves through the outbox as a PDF attachment of the reply notice.
    """
    if channel not in REPLY_CHANNEL_CODES:
        raise CaseError("unknown_reply_channel", "channel")
    if sent_on > to_istanbul(now).date():
        raise CaseError("sent_in_future", "sent_on")
    if sent_on < to_istanbul(application.received_at).date():
        raise CaseError("sent_before_receipt", "sent_on")
    letter = letters.to_deliver(session, application)
    if letter is None:
        raise CaseError("no_final_letter")
    if letters.outdated(session, application, letter):
        raise CaseError("letter_outdated")
    if channel == "email" and not application.email:
        raise CaseError("no_email_address", "channel")
    change_status(session, user, now, application, "replied", four_eyes=four_eyes,
                  expected_version=expected_version, ip=ip)
    letter.delivered_at = now
    letter.delivery_channel = channel
    message = attach_to_reply_notice(session, now, application, letter) \
        if channel == "email" else None
    proof = (proof or "").strip()[:MAX_PROOF] or None
    audit.record(session, user_actor(user, ip), now, "application.replied",
                 application_id=application.id,
                 data={"channel": channel, "sent_on": sent_on.isoformat(), "proof": proof,
                       "letter": {"id": letter.id, "kind": letter.kind,
                                  "version": letter.version, "sha256": letter.sha256},
                       "outbox_id": message.id if message else None})
