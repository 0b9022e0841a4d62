"""Who may see and change which application (least privilege, KVKK.md §6)."""

from __future__ import annotations

from ..models import Application, User

CASE_ROLES = frozenset({"officer", "supervisor", "auditor"})
WRITE_ROLES = frozenset({"officer", "supervisor"})
# Who reads /auditor/ (reports, registers, exports): read-only, never case content changes.
READER_ROLES = frozenset({"auditor", "supervisor"})


def can_view(user: User, application: Application) -> bool:
    """Officers see the unassigned pool and their own cases; supervisors and auditors all."""
    if user.role in ("supervisor", "auditor"):
        return True
    if user.role == "officer":
        return application.assignee_id in (None, user.id)
    return False  # admins manage users and settings, never case content


def can_edit(user: User, application: Application) -> bool:
    if user.role == "supervisor":
        return True
    return user.role == "officer" and application.assignee_id == user.id


def can_assign(user: User) -> bool:
    return user.role == "supervisor"
