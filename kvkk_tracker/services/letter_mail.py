"""Send a finalised letter through the outbox as a PDF attachment.

The outbox row carries a reference to the letter, not a second copy of its bytes; the
dispatcher reads the stored PDF just before sending and refuses one whose hash has changed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.deadlines import to_istanbul
from ..mail import render
from ..models import Application, Letter, OutboxMessage
from .letters import LetterCorrupt, stored_pdf


def filename(letter: Letter, tracking_no: str) -> str:
    return f"{tracking_no}-{letter.kind}-v{letter.version}.pdf"


def attach_to_reply_notice(session: Session, now: datetime, application: Application,
                           letter: Letter) -> OutboxMessage | None:
    """Turn the queued reply notice into the e-mail that carries the reply letter.

    Moving to replied queues the notice (services.cases.change_status); this runs in the same
    transaction, so the notice never leaves without its letter.
    """
    session.flush()
    message = session.scalar(select(OutboxMessage).where(
        OutboxMessage.dedupe_key == f"reply_sent:{application.id}",
        OutboxMessage.state == "queued"))
    if message is None:
        return None
    mail = render("reply_letter", tracking_no=application.tracking_no,
                  name=f"{application.first_name} {application.last_name}",
                  replied_at=to_istanbul(now).date(), sha256=letter.sha256,
                  filename=filename(letter, application.tracking_no))
    message.subject, message.body, message.letter_id = mail.subject, mail.body, letter.id
    session.flush()
    return message


def attachments_for(session: Session, outbox_ids: list[int]
                    ) -> tuple[dict[int, tuple[str, bytes]], dict[int, LetterCorrupt]]:
    """Return ({outbox id: (file name, PDF bytes)}, {outbox id: error}) for letter-bearing mail.

    A letter whose stored bytes no longer match its hash lands in the second dict: it is never
    sent.
    """
    rows = session.execute(
        select(OutboxMessage.id, Letter, Application.tracking_no)
        .join(Letter, Letter.id == OutboxMessage.letter_id)
        .join(Application, Application.id == Letter.application_id)
        .where(OutboxMessage.id.in_(outbox_ids))).all()
    good, bad = {}, {}
    for outbox_id, letter, tracking_no in rows:
        try:
            good[outbox_id] = (filename(letter, tracking_no), stored_pdf(session, letter))
        except LetterCorrupt as error:
            bad[outbox_id] = error
    return good, bad


__all__ = ["LetterCorrupt", "attach_to_reply_notice", "attachments_for", "filename"]
