"""Office wording for codes: statuses, timeline events and refusal reasons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...domain.decisions import REASONS_BY_CODE
from ...domain.identity import METHODS_BY_CODE
from ...domain.rights import RELATIONSHIPS, REPLY_CHANNELS
from ...i18n import current_language
from ..labels import status_label

# The public wording speaks to the applicant ("waiting for information from you").
OFFICE_STATUS_LABELS = {
    "awaiting_applicant": _l("Awaiting the applicant"),
}

EVENT_LABELS = {
    "application.received": _l("Application received"),
    "application.status_changed": _l("Status changed"),
    "application.withdrawn": _l("Application withdrawn"),
    "application.assigned": _l("Assignment changed"),
    "application.approved": _l("Decision approved (four eyes)"),
    "application.identity_checked": _l("Identity check recorded"),
    "application.right_decided": _l("Decision recorded"),
    "application.action_recorded": _l("Action recorded"),
    "application.note_added": _l("Internal note added"),
    "application.identity_number_viewed": _l("Identity number shown"),
    "application.attachment_downloaded": _l("Attachment downloaded"),
    "application.applicant_answered": _l("The applicant answered"),
    "application.replied": _l("Reply sent"),
    "application.reminder_sent": _l("Deadline reminder sent"),
    "application.anonymised": _l("Personal data anonymised (retention)"),
    "application.letter_previewed": _l("Letter previewed (draft)"),
    "application.letter_finalised": _l("Letter finalised"),
    "application.letter_downloaded": _l("Letter downloaded"),
    "application.inventory_selected": _l("Inventory entries chosen"),
    "application.evidence_pack_downloaded": _l("Evidence pack downloaded"),
}

LETTER_KIND_LABELS = {
    "receipt": _l("Acknowledgement of receipt"),
    "reply": _l("Reply letter"),
    "info_request": _l("Request for more information"),
    "identity_rejection": _l("Rejection: identity not verified"),
}


def letter_kind_label(kind: str) -> str:
    return str(LETTER_KIND_LABELS.get(kind, kind))

OUTCOME_LABELS = {
    "accepted": _l("Accepted"),
    "partially_accepted": _l("Partially accepted"),
    "rejected": _l("Rejected"),
}

ACTION_LABELS = {
    "rectified": _l("Rectified"),
    "erased": _l("Erased"),
    "anonymised": _l("Anonymised"),
    "recipient_notified": _l("Recipient notified (f)"),
}

IDENTITY_LABELS = {
    "pending": _l("Not verified yet"),
    "verified": _l("Verified"),
    "failed": _l("Verification failed"),
}

ATTACHMENT_KIND_LABELS = {
    "evidence": _l("Supporting document"),
    "power_of_attorney": _l("Power of attorney"),
    "receipt_scan": _l("Receipt scan"),
    "applicant_answer": _l("The applicant's answer"),
}

# The buttons that move an application to each status.
MOVE_LABELS = {
    "in_review": _l("Move to review"),
    "awaiting_applicant": _l("Ask the applicant and wait"),
    "decided": _l("Mark as decided"),
    "closed": _l("Close"),
    "withdrawn": _l("Record withdrawal"),
}

# Why a workflow move was refused (InvalidTransition.why).
TRANSITION_MESSAGES = {
    "undecided_rights": _l("Decide every requested right before moving the application to "
                           "decided."),
    "identity_not_verified": _l("The applicant's identity is not verified. Data may be "
                                "released only to a verified applicant: verify the identity, "
                                "or reject with the reason “identity could not be verified”."),
    "approval_required": _l("A supervisor must approve the decision before the reply goes "
                            "out (four eyes)."),
    "not_decided": _l("Only a decided application can be approved."),
    "own_decision": _l("You took part in this decision: another supervisor must approve it "
                       "(four eyes)."),
    "not_allowed": _l("This move is not possible from the current status."),
    "unknown_status": _l("This move is not possible from the current status."),
}

# Why an operation was refused (CaseError.why).
CASE_ERROR_MESSAGES = {
    "reason_required": _l("Choose a reason: rejections and partial acceptances need one."),
    "justification_required": _l("Write the justification: rejections and partial "
                                 "acceptances need one."),
    "unknown_reason": _l("Choose one of the listed reasons."),
    "unknown_outcome": _l("Choose an outcome."),
    "not_in_review": _l("Decisions can be changed only while the application is open and not "
                        "yet decided. Move it back to review first."),
    "right_not_requested": _l("This right was not requested in this application."),
    "unknown_action": _l("Choose one of the listed actions."),
    "recipient_required": _l("Name the recipient who was notified."),
    "unknown_method": _l("Choose a verification method."),
    "unknown_result": _l("Choose the result of the check."),
    "assignee_not_eligible": _l("Only active officers and supervisors can be assigned."),
    "empty_note": _l("Write the note."),
    "unknown_reply_channel": _l("Choose how the reply was sent."),
    "sent_in_future": _l("The reply cannot have been sent in the future."),
    "sent_before_receipt": _l("The reply cannot have been sent before the application was "
                              "received."),
    "unknown_channel": _l("Choose the channel the application came through."),
    "received_in_future": _l("The receipt time cannot be in the future."),
    "evidence_required": _l("Enter the registry number or the KEP receipt."),
    "no_final_letter": _l("Finalise the reply letter first: the reply that goes out is the "
                          "finalised letter, so that it can be proven later."),
    "no_email_address": _l("The applicant gave no e-mail address. Send the letter by post, KEP "
                           "or in person and record that channel."),
    "letter_outdated": _l("The case changed after the reply letter was finalised (a decision, "
                          "an action, the identity check or the inventory entries): finalise a "
                          "corrected version so that the letter says what was decided."),
    "letter_needs_decided": _l("The reply letter can be finalised only once the application is "
                               "decided and before the reply is recorded."),
    "identity_not_failed": _l("An identity rejection letter is only for an applicant whose "
                              "identity check failed."),
    "letter_case_closed": _l("This application is no longer open."),
    "correction_reason_required": _l("A final version already exists: say why this corrected "
                                     "version replaces it."),
    "too_long": _l("This text is too long."),
    "required": _l("Fill in this field."),
    "unknown_legal_basis": _l("Choose one of the listed legal bases."),
    "entry_not_available": _l("One of the chosen entries has been retired or no longer exists; "
                              "reload the page and choose again."),
    "entry_retired": _l("This entry has been retired and can no longer be changed."),
}


def office_status_label(code: str) -> str:
    label = OFFICE_STATUS_LABELS.get(code)
    return str(label) if label is not None else status_label(code)


def outcome_label(code: str | None) -> str:
    return str(OUTCOME_LABELS[code]) if code in OUTCOME_LABELS else ""


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def identity_label(code: str) -> str:
    return str(IDENTITY_LABELS.get(code, code))


def reason_label(code: str | None) -> str:
    reason = REASONS_BY_CODE.get(code or "")
    if reason is None:
        return ""
    text = reason.label(current_language())
    return f"{reason.citation}: {text}" if reason.citation else text


def method_label(code: str | None) -> str:
    method = METHODS_BY_CODE.get(code or "")
    return method.label(current_language()) if method else ""


def reply_channel_label(code: str | None) -> str:
    for choice in REPLY_CHANNELS:
        if choice.code == code:
            return choice.label(current_language())
    return code or ""


def relationship_label(code: str | None) -> str:
    for choice in RELATIONSHIPS:
        if choice.code == code:
            return choice.label(current_language())
    return code or ""


def attachment_kind_label(code: str) -> str:
    return str(ATTACHMENT_KIND_LABELS.get(code, code))


def move_label(code: str) -> str:
    return str(MOVE_LABELS.get(code, code))


def transition_message(why: str) -> str:
    return str(TRANSITION_MESSAGES.get(why, TRANSITION_MESSAGES["not_allowed"]))


def case_error_message(why: str) -> str:
    message = CASE_ERROR_MESSAGES.get(why)
    return str(message) if message is not None else why


TEMPLATE_HELPERS = {
    "office_status_label": office_status_label,
    "outcome_label": outcome_label,
    "action_label": action_label,
    "identity_label": identity_label,
    "reason_label": reason_label,
    "method_label": method_label,
    "reply_channel_label": reply_channel_label,
    "relationship_label": relationship_label,
    "attachment_kind_label": attachment_kind_label,
    "move_label": move_label,
    "transition_message": transition_message,
}
