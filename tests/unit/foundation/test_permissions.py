"""The permissions table: one place says which roles may do each action, and the check obeys it."""

from __future__ import annotations

import pytest

from confide.domain.access import Principal
from confide.domain.errors import PermissionDenied
from confide.domain.permissions import PERMISSIONS, Action, roles_for
from confide.domain.roles import Role


def _principal(role: Role) -> Principal:
    return Principal(user_id=f"u-{role}", username=str(role), roles=frozenset({role}))


def test_every_action_is_in_the_table_with_at_least_one_role() -> None:
    assert set(PERMISSIONS) == set(Action)
    assert all(PERMISSIONS[action] for action in Action)


def test_the_privacy_officer_may_do_everything_staff_may_do() -> None:
    assert all(Role.PRIVACY_OFFICER in roles for roles in PERMISSIONS.values())


def test_the_auditor_reads_and_proves_but_changes_no_personal_information() -> None:
    """A signed checkpoint records nothing about anyone; every other auditor action reads."""
    auditor = {a for a, roles in PERMISSIONS.items() if Role.AUDITOR in roles}
    assert auditor == {
        Action.STAFF_ME,
        Action.POLICY_READ,
        Action.CONSENT_READ,
        Action.DECISIONS_READ,
        Action.RECIPIENTS_READ,
        Action.DISCLOSURES_ACCOUNT,
        Action.DISCLOSURES_CROSS_BORDER,
        Action.DISCLOSURES_NOTICES,
        Action.HOLDS_READ,
        Action.RETENTION_READ,
        Action.RETENTION_CERTIFICATES,
        Action.INCIDENTS_READ,
        Action.INCIDENTS_EXPORT,
        Action.COMPLAINTS_READ,
        Action.SOURCES_READ,
        Action.SCANNER_SCAN_TEXT,
        Action.SCANNER_ANONYMIZE,
        Action.AUDIT_READ_CHECKPOINTS,
        Action.AUDIT_READ_ENTRIES,
        Action.AUDIT_PROVE,
        Action.AUDIT_VERIFY,
        Action.AUDIT_EXPORT,
        Action.AUDIT_CHECKPOINT,
    }


@pytest.mark.parametrize("action", list(Action))
def test_a_principal_may_do_an_action_exactly_when_the_table_gives_its_role(action: Action) -> None:
    for role in Role:
        principal = _principal(role)
        if role in roles_for(action):
            principal.require(action)
            assert principal.can(action)
        else:
            assert not principal.can(action)
            with pytest.raises(PermissionDenied) as refused:
                principal.require(action)
            assert refused.value.fields["action"] == action.value
            assert action.value in str(refused.value)


def test_a_principal_with_no_role_may_do_nothing() -> None:
    nobody = Principal(user_id="x", username="x", roles=frozenset())
    assert not any(nobody.can(action) for action in Action)


def test_every_action_in_the_table_is_checked_somewhere() -> None:
    """An action nobody checks is a dead line in the table (or a use case that forgot to check)."""
    import re
    from pathlib import Path

    import confide

    root = Path(confide.__file__).parent
    used = set()
    for path in root.rglob("*.py"):
        if path.name == "permissions.py":
            continue
        used |= set(re.findall(r"\bAction\.([A-Z_]+)\b", path.read_text(encoding="utf-8")))
    assert {a.name for a in Action} - used == set()
