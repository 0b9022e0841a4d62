"""Human labels for codes shown in templates, in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..domain.rights import CHANNELS_BY_CODE, RIGHT_CODES, RIGHTS_BY_CODE
from ..i18n import current_language

STATUS_LABELS = {
    "received": _l("Received"),
    "in_review": _l("In review"),
    "awaiting_applicant": _l("Waiting for information from you"),
    "decided": _l("Decided"),
    "replied": _l("Replied"),
    "closed": _l("Closed"),
    "withdrawn": _l("Withdrawn"),
}
EVENT_LABELS = {
    "application.received": _l("Application received"),
    "application.status_changed": _l("Status changed"),
    "application.replied": _l("Reply sent"),
    "application.withdrawn": _l("Application withdrawn"),
    "application.applicant_answered": _l("You sent an answer"),
}


def status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))


def right_label(code: str) -> str:
    right = RIGHTS_BY_CODE[code]
    label = right.label(current_language())
    return f"({right.bent}) {label}" if right.bent else label


def channel_label(code: str) -> str:
    channel = CHANNELS_BY_CODE.get(code)
    return channel.label(current_language()) if channel else code


def event_label(event) -> str:
    label = str(EVENT_LABELS.get(event.action, event.action))
    if event.action == "application.status_changed" and "to" in event.data:
        label = f"{label}: {status_label(event.data['to'])}"
    return label


def register_labels(app) -> None:
    app.jinja_env.globals.update(status_label=status_label, right_label=right_label,
                                 event_label=event_label, channel_label=channel_label,
                                 right_codes=RIGHT_CODES, channel_codes=tuple(CHANNELS_BY_CODE))
