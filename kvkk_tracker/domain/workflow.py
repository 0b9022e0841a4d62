"""The application's life cycle as an explicit state machine (KVKK.md §3–§4)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    RECEIVED = "received"
    IN_REVIEW = "in_review"
    AWAITING_APPLICANT = "awaiting_applicant"
    DECIDED = "decided"
    REPLIED = "replied"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.IN_REVIEW, Status.AWAITING_APPLICANT,
                           Status.DECIDED})
# Waiting for the applicant never stops the clock: KVKK has no stop-the-clock.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({Status.IN_REVIEW, Status.WITHDRAWN}),
    Status.IN_REVIEW: frozenset({Status.AWAITING_APPLICANT, Status.DECIDED, Status.WITHDRAWN}),
    Status.AWAITING_APPLICANT: frozenset({Status.IN_REVIEW, Status.WITHDRAWN}),
    Status.DECIDED: frozenset({Status.REPLIED, Status.IN_REVIEW, Status.WITHDRAWN}),
    Status.REPLIED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}


class InvalidTransition(Exception):
    def __init__(self, current: str, target: str, why: str = "not_allowed"):
        super().__init__(f"{current} → {target}: {why}")
        self.current, self.target, self.why = current, target, why


def allowed_targets(current: str) -> frozenset[Status]:
    return TRANSITIONS[Status(current)]


def transition(current: str, target: str) -> Status:
    """Return the new status, or raise InvalidTransition if the table forbids the move."""
    try:
        source, goal = Status(current), Status(target)
    except ValueError:
        raise InvalidTransition(current, target, "unknown_status") from None
    if goal not in TRANSITIONS[source]:
        raise InvalidTransition(current, target)
    return goal


def is_open(status: str) -> bool:
    return Status(status) in OPEN_STATUSES


def decision_problems(outcomes: list[str | None], identity_status: str) -> list[str]:
    """Return why the case cannot move to decided yet; an empty list means it can."""
    problems = []
    if any(outcome is None for outcome in outcomes):
        problems.append("undecided_rights")
    releases_data = any(o in ("accepted", "partially_accepted") for o in outcomes)
    if releases_data and identity_status != "verified":
        problems.append("identity_not_verified")
    return problems
