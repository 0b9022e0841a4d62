"""Who may see, change and assign which application (services/access.py), role by role."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kvkk_tracker.services import access

ME, OTHER = 1, 2
# (role, whose case) -> (can_view, can_edit); "pool" is unassigned.
EXPECTED = {
    ("officer", "pool"): (True, False),
    ("officer", "mine"): (True, True),
    ("officer", "other"): (False, False),
    ("supervisor", "pool"): (True, True),
    ("supervisor", "mine"): (True, True),
    ("supervisor", "other"): (True, True),
    ("auditor", "pool"): (True, False),
    ("auditor", "mine"): (True, False),
    ("auditor", "other"): (True, False),
    ("admin", "pool"): (False, False),  # users and settings only, never case content
    ("admin", "mine"): (False, False),
    ("admin", "other"): (False, False),
}
ASSIGNEE = {"pool": None, "mine": ME, "other": OTHER}


@pytest.mark.parametrize(("role", "whose"), sorted(EXPECTED))
def test_view_and_edit_rules(role, whose):
    user = SimpleNamespace(id=ME, role=role)
    application = SimpleNamespace(assignee_id=ASSIGNEE[whose])
    assert (access.can_view(user, application), access.can_edit(user, application)) == (
        EXPECTED[(role, whose)])


@pytest.mark.parametrize(("role", "allowed"), [("officer", False), ("supervisor", True),
                                               ("auditor", False), ("admin", False)])
def test_only_supervisors_assign(role, allowed):
    assert access.can_assign(SimpleNamespace(id=ME, role=role)) is allowed


def test_an_unknown_role_sees_nothing():
    user = SimpleNamespace(id=ME, role="intern")
    application = SimpleNamespace(assignee_id=None)
    assert not access.can_view(user, application) and not access.can_edit(user, application)


def test_the_rules_agree_with_the_models_roles():
    from kvkk_tracker.models import ROLES

    assert {role for role, _ in EXPECTED} == set(ROLES)
    assert access.WRITE_ROLES <= access.CASE_ROLES <= set(ROLES)
