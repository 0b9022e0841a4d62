"""The case timeline: every audit event of the application, in words, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import ApplicantMessage, Application, Attachment, AuditEvent, User
from ..labels import channel_label, right_label
from .labels import (
    EVENT_LABELS,
    action_label,
    identity_label,
    letter_kind_label,
    method_label,
    office_status_label,
    outcome_label,
    reason_label,
    reply_channel_label,
)


@dataclass(frozen=True)
class Entry:
    at: datetime
    action: str
    label: str
    actor: str
    details: tuple[str, ...] = ()
    body: str | None = None  # the applicant's own words, shown as a quotation


def actor_label(actor: str, users: dict[int, User]) -> str:
    kind, _sep, ident = actor.partition(":")
    if kind == "user" and ident.isdigit():
        user = users.get(int(ident))
        return user.name if user else _("Staff member #%(id)s", id=ident)
    if kind == "public":
        return _("The applicant (web)")
    if kind == "api":
        return _("The applicant (API)")
    if kind == "system":
        return _("System (%(job)s)", job=ident)
    return actor


def _who(user_id, users: dict[int, User]) -> str:
    if user_id is None:
        return _("the pool")
    user = users.get(user_id)
    return user.name if user else _("Staff member #%(id)s", id=user_id)


def _details(event: AuditEvent, users: dict[int, User], names: dict[int, str]) -> list[str]:
    data = event.data or {}
    action = event.action
    if action == "application.received":
        rights = ", ".join(right_label(code) for code in data.get("rights", []))
        return [channel_label(data.get("channel", "")), rights]
    if action in ("application.status_changed", "application.withdrawn"):
        return [f"{office_status_label(data.get('from', ''))} → "
                f"{office_status_label(data.get('to', ''))}"]
    if action == "application.assigned":
        return [f"{_who(data.get('from'), users)} → {_who(data.get('to'), users)}"]
    if action == "application.identity_checked":
        return [f"{method_label(data.get('method'))}: {identity_label(data.get('to', ''))}"]
    if action == "application.right_decided":
        new = data.get("new", {})
        parts = [right_label(data["right"]), outcome_label(new.get("outcome"))]
        return [p for p in (*parts, reason_label(new.get("reason_code"))) if p]
    if action == "application.action_recorded":
        parts = [right_label(data["right"]), action_label(data.get("action", "")),
                 data.get("recipient") or "", data.get("done_on", "")]
        return [p for p in parts if p]
    if action == "application.attachment_downloaded":
        return [names.get(data.get("attachment_id"), "")]
    if action == "application.reminder_sent":
        return [data.get("rung", "")]
    if action == "application.replied":
        parts = [reply_channel_label(data.get("channel")), data.get("sent_on", ""),
                 data.get("proof") or ""]
        return [p for p in parts if p]
    if action in ("application.letter_finalised", "application.letter_downloaded"):
        parts = [letter_kind_label(data.get("kind", "")),
                 _("version %(version)s", version=data.get("version", "?")),
                 f"SHA-256 {data.get('sha256', '')[:16]}…", data.get("reason") or ""]
        return [p for p in parts if p]
    if action == "application.letter_previewed":
        return [letter_kind_label(data.get("kind", "")), data.get("format", "").upper()]
    if action == "application.inventory_selected":
        return [right_label(data.get("right", "")),
                _("%(added)d added, %(removed)d removed", added=len(data.get("added", [])),
                  removed=len(data.get("removed", [])))]
    return []


def build_timeline(session: Session, application: Application) -> list[Entry]:
    """Return the application's history, with the applicant's answers quoted in place."""
    events = list(session.scalars(select(AuditEvent).where(
        AuditEvent.application_id == application.id).order_by(AuditEvent.id)))
    messages = {m.id: m for m in session.scalars(select(ApplicantMessage).where(
        ApplicantMessage.application_id == application.id))}
    user_ids = {int(e.actor.split(":", 1)[1]) for e in events
                if e.actor.startswith("user:") and e.actor.split(":", 1)[1].isdigit()}
    for event in events:
        if event.action == "application.assigned":
            user_ids.update(v for v in (event.data.get("from"), event.data.get("to")) if v)
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
    names = dict(session.execute(select(Attachment.id, Attachment.original_name).where(
        Attachment.application_id == application.id)).all())

    entries = []
    for event in events:
        body = None
        if event.action == "application.applicant_answered":
            message = messages.pop(event.data.get("message_id"), None)
            body = message.body if message else None
        details = tuple(d for d in _details(event, users, names) if d)
        entries.append(Entry(event.occurred_at, event.action,
                             str(EVENT_LABELS.get(event.action, event.action)),
                             actor_label(event.actor, users), details, body))
    for message in messages.values():  # answers without their event: still shown
        entries.append(Entry(message.created_at, "application.applicant_answered",
                             str(EVENT_LABELS["application.applicant_answered"]),
                             _("The applicant (web)"), (), message.body))
    return sorted(entries, key=lambda entry: entry.at)
