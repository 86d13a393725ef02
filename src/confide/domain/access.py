"""Staff roles and what each may do: deny by default.

Every route and CLI command names the roles that may call it; a principal
without one of them is refused. The role set is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from confide.domain.errors import PermissionDenied


class Role(StrEnum):
    PRIVACY_OFFICER = "privacy_officer"
    """Keeps the policy, the requests queue, registers and reports; may do everything staff may do."""
    AGENT = "agent"
    """Customer-service agent: records consents and requests for a caller, sees what it needs."""
    AUDITOR = "auditor"
    """Reads the audit trail, proofs and registers; changes nothing."""
    INTEGRATION = "integration"
    """The company's other systems: record collection, ask for decisions, pull audiences."""


ALL_STAFF: frozenset[Role] = frozenset(Role)


@dataclass(frozen=True)
class Principal:
    """Who is calling: a staff user (with the token used) or the local operator on the CLI."""

    user_id: str
    username: str
    roles: frozenset[Role]
    token_id: str | None = None

    def require(self, allowed: frozenset[Role], action: str) -> None:
        if not (self.roles & allowed):
            raise PermissionDenied(
                f"action {action!r} needs one of the roles: {', '.join(sorted(allowed))}",
                action=action,
            )


# The CLI runs on the server with the operator's own access to the database and key file,
# so it acts as a local privacy officer; its actions are still attributed in the audit trail.
LOCAL_OPERATOR = Principal(
    user_id="local-operator", username="cli", roles=frozenset({Role.PRIVACY_OFFICER})
)
