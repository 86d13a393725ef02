"""Who is calling, and the check every use case makes: deny by default.

Every use case names the :class:`~confide.domain.permissions.Action` it performs; the roles
allowed come from the one permissions table, and a principal without one of them is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from confide.domain.errors import PermissionDenied
from confide.domain.permissions import Action, roles_for
from confide.domain.roles import ALL_STAFF, Role

__all__ = ["ALL_STAFF", "LOCAL_OPERATOR", "WORKER", "Action", "Principal", "Role"]


@dataclass(frozen=True)
class Principal:
    """Who is calling: a staff user (with the token used) or the local operator on the CLI."""

    user_id: str
    username: str
    roles: frozenset[Role]
    token_id: str | None = None

    def can(self, action: Action) -> bool:
        return bool(self.roles & roles_for(action))

    def require(self, action: Action) -> None:
        """Raise :class:`PermissionDenied` unless one of this principal's roles may do ``action``."""
        if not self.can(action):
            allowed = roles_for(action)
            raise PermissionDenied(
                f"action {action.value!r} needs one of the roles: {', '.join(sorted(allowed))}",
                action=action.value,
            )


# The CLI runs on the server with the operator's own access to the database and key file,
# so it acts as a local privacy officer; its actions are still attributed in the audit trail.
LOCAL_OPERATOR = Principal(
    user_id="local-operator", username="cli", roles=frozenset({Role.PRIVACY_OFFICER})
)

WORKER = Principal(user_id="system", username="system", roles=frozenset({Role.INTEGRATION}))
"""Who background jobs act as: the integration role, named ``system`` in the audit trail."""
