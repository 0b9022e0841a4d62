"""What officers and supervisors do to an application. Every change is audited."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from ..domain import workflow
from ..domain.decisions import ACTIONS, DecisionError, check_decision
from ..domain.identity import METHODS_BY_CODE, RESULTS
from ..models import Application, ApplicationRight, CaseNote, RightAction, User
from . import access, audit, outbox
from .actors import Actor
from .errors import ServiceError


class Forbidden(ServiceError):
    """The user may not do this to this application."""


class ConcurrentEdit(ServiceError):
    """Someone else changed the application since the user loaded it."""

    def __init__(self, application: Application):
        super().__init__("application changed")
        self.changed_by = application.updated_by.name if application.updated_by else None
        self.changed_at = application.updated_at


class CaseError(ServiceError):
    def __init__(self, why: str, field: str | None = None):
        super().__init__(why)
        self.why, self.field = why, field


def user_actor(user: User, ip: str | None = None) -> Actor:
    return Actor("user", str(user.id), ip)


def _touch(application: Application, user: User, now: datetime,
           expected_version: int | None) -> None:
    if expected_version is not None and application.version != expected_version:
        raise ConcurrentEdit(application)
    application.updated_at = now
    application.updated_by_id = user.id


def _require_edit(user: User, application: Application) -> None:
    if not access.can_edit(user, application):
        raise Forbidden()


def take(session: Session, user: User, now: datetime, application: Application, *,
         expected_version: int | None = None, ip: str | None = None) -> None:
    """An officer takes an unassigned application from the pool."""
    if user.role not in access.WRITE_ROLES or application.assignee_id is not None:
        raise Forbidden()
    _touch(application, user, now, expected_version)
    application.assignee_id = user.id
    audit.record(session, user_actor(user, ip), now, "application.assigned",
                 application_id=application.id, data={"from": None, "to": user.id})


def assign(session: Session, user: User, now: datetime, application: Application,
           assignee: User | None, *, expected_version: int | None = None,
           ip: str | None = None) -> None:
    """A supervisor (re)assigns an application, or returns it to the pool."""
    if not access.can_assign(user):
        raise Forbidden()
    if assignee is not None and (assignee.role not in access.WRITE_ROLES or not assignee.active):
        raise CaseError("assignee_not_eligible", "assignee")
    _touch(application, user, now, expected_version)
    old = application.assignee_id
    application.assignee_id = assignee.id if assignee else None
    if workflow.is_open(application.status):
        application.next_reminder_at = now  # the sweep re-reads the ladder (e.g. unassigned)
    audit.record(session, user_actor(user, ip), now, "application.assigned",
                 application_id=application.id,
                 data={"from": old, "to": application.assignee_id})


def change_status(session: Session, user: User, now: datetime, application: Application,
                  target: str, *, four_eyes: bool = False, expected_version: int | None = None,
                  ip: str | None = None) -> None:
    """Move the application through the workflow, refusing moves the table forbids."""
    _require_edit(user, application)
    new = workflow.transition(application.status, target)
    if new == workflow.Status.DECIDED:
        problems = workflow.decision_problems([r.outcome for r in application.rights],
                                              application.identity_status)
        if problems:
            raise workflow.InvalidTransition(application.status, target, problems[0])
    if new == workflow.Status.REPLIED and four_eyes and application.approved_at is None:
        raise workflow.InvalidTransition(application.status, target, "approval_required")
    # Check the version before changing anything: a stale edit must leave the case untouched.
    _touch(application, user, now, expected_version)
    data: dict = {"from": application.status, "to": new.value}
    if new == workflow.Status.IN_REVIEW and application.status == workflow.Status.DECIDED \
            and application.approved_by_id is not None:
        # A reopened decision needs approving again; the trail shows the approval that lapsed.
        data["approved_by"] = {"from": application.approved_by_id, "to": None}
        application.approved_at = None
        application.approved_by_id = None
    application.status = new.value
    if new == workflow.Status.REPLIED:
        application.replied_at = now
        outbox.queue_reply_notice(session, now, application)  # only if there is an e-mail
    if not workflow.is_open(new):
        application.next_reminder_at = None  # no more reminders: the sweep forgets it
    if new in (workflow.Status.CLOSED, workflow.Status.WITHDRAWN):
        application.closed_at = now
    action = "application.withdrawn" if new == workflow.Status.WITHDRAWN else (
        "application.status_changed")
    audit.record(session, user_actor(user, ip), now, action, application_id=application.id,
                 data=data)


def approve(session: Session, user: User, now: datetime, application: Application, *,
            expected_version: int | None = None, ip: str | None = None) -> None:
    """A supervisor approves a decision before it goes out (four eyes)."""
    if user.role != "supervisor":
        raise Forbidden()
    if application.status != workflow.Status.DECIDED:
        raise workflow.InvalidTransition(application.status, "approved", "not_decided")
    if any(right.decided_by_id == user.id for right in application.rights):
        # Four eyes means a second person: nobody approves a decision they took part in.
        raise workflow.InvalidTransition(application.status, "approved", "own_decision")
    _touch(application, user, now, expected_version)
    old = application.approved_by_id
    application.approved_by_id = user.id
    application.approved_at = now
    audit.record(session, user_actor(user, ip), now, "application.approved",
                 application_id=application.id, data={"from": old, "to": user.id})


def verify_identity(session: Session, user: User, now: datetime, application: Application, *,
                    method: str, result: str, note: str | None = None,
                    expected_version: int | None = None, ip: str | None = None) -> None:
    _require_edit(user, application)
    if method not in METHODS_BY_CODE:
        raise CaseError("unknown_method", "method")
    if result not in RESULTS or result == "pending":
        raise CaseError("unknown_result", "result")
    _touch(application, user, now, expected_version)
    old = application.identity_status
    application.identity_status = result
    application.identity_method = method
    application.identity_note = note or None
    application.identity_checked_by_id = user.id
    application.identity_checked_at = now
    audit.record(session, user_actor(user, ip), now, "application.identity_checked",
                 application_id=application.id,
                 data={"method": method, "from": old, "to": result})


def _right(application: Application, right_code: str) -> ApplicationRight:
    for right in application.rights:
        if right.right_code == right_code:
            return right
    raise CaseError("right_not_requested", "right")


def decide_right(session: Session, user: User, now: datetime, application: Application, *,
                 right_code: str, outcome: str, reason_code: str | None,
                 justification: str | None, expected_version: int | None = None,
                 ip: str | None = None) -> None:
    """Record the outcome for one requested right; rejections need a reason and reasons."""
    _require_edit(user, application)
    if not workflow.is_open(application.status) or application.status == "decided":
        raise CaseError("not_in_review")
    try:
        check_decision(outcome, reason_code, justification)
    except DecisionError as error:
        raise CaseError(error.why, error.field) from None
    right = _right(application, right_code)
    _touch(application, user, now, expected_version)
    old = {"outcome": right.outcome, "reason_code": right.reason_code}
    right.outcome = outcome
    right.reason_code = reason_code
    right.justification = (justification or "").strip() or None
    right.decided_by_id = user.id
    right.decided_at = now
    audit.record(session, user_actor(user, ip), now, "application.right_decided",
                 application_id=application.id,
                 data={"right": right_code, "old": old,
                       "new": {"outcome": outcome, "reason_code": reason_code}})


def record_action(session: Session, user: User, now: datetime, application: Application, *,
                  right_code: str, action: str, done_on: date, recipient: str | None = None,
                  proof: str | None = None, expected_version: int | None = None,
                  ip: str | None = None) -> RightAction:
    """Record what was done: rectified, erased, anonymised, or a recipient notified (f)."""
    _require_edit(user, application)
    if action not in ACTIONS:
        raise CaseError("unknown_action", "action")
    if action == "recipient_notified" and not (recipient or "").strip():
        raise CaseError("recipient_required", "recipient")
    right = _right(application, right_code)
    _touch(application, user, now, expected_version)
    entry = RightAction(action=action, recipient=(recipient or "").strip() or None,
                        done_on=done_on, proof=(proof or "").strip() or None,
                        created_by_id=user.id, created_at=now)
    right.actions.append(entry)
    session.flush()
    audit.record(session, user_actor(user, ip), now, "application.action_recorded",
                 application_id=application.id,
                 data={"right": right_code, "action": action, "recipient": entry.recipient,
                       "done_on": done_on.isoformat()})
    return entry


def add_note(session: Session, user: User, now: datetime, application: Application,
             body: str, *, ip: str | None = None) -> CaseNote:
    if not access.can_edit(user, application) and not (
            user.role == "officer" and application.assignee_id is None):
        raise Forbidden()
    body = body.strip()
    if not body:
        raise CaseError("empty_note", "body")
    note = CaseNote(application_id=application.id, author_id=user.id, body=body, created_at=now)
    session.add(note)
    session.flush()
    audit.record(session, user_actor(user, ip), now, "application.note_added",
                 application_id=application.id, data={"note_id": note.id})
    return note


def reveal_tckn(session: Session, user: User, now: datetime, application: Application, *,
                ip: str | None = None) -> str | None:
    """Return the unmasked identity number, leaving an audit event behind."""
    if not access.can_view(user, application):
        raise Forbidden()
    audit.record(session, user_actor(user, ip), now, "application.identity_number_viewed",
                 application_id=application.id)
    return application.tckn or application.passport_no
