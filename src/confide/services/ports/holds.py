"""Legal holds (ACC-8, RET-2)."""

from __future__ import annotations

from typing import Protocol

from confide.domain.holds import LegalHold


class HoldRepository(Protocol):
    """Legal holds (ACC-8, RET-2), whatever opened them: requests, complaints, litigation,
    regulators' orders, breach investigations. Reasons are sealed by the adapter."""

    def add(self, hold: LegalHold) -> None: ...

    def close(self, hold: LegalHold) -> bool:
        """Store the closing of ``hold`` (closed_at/by/reason set) if it is still open in the
        store; False (nothing written) when it was closed meanwhile."""
        ...

    def get(self, hold_id: str) -> LegalHold | None: ...

    def listing(
        self,
        *,
        subject_id: str | None = None,
        cause: str | None = None,
        active_only: bool = False,
        limit: int = 500,
    ) -> list[LegalHold]:
        """Holds oldest first; ``subject_id`` keeps those naming that subject."""
        ...

    def covering(
        self,
        subject_id: str | None,
        category: str | None,
        system: str | None,
        *,
        active_only: bool = True,
    ) -> list[LegalHold]:
        """Holds whose scope meets (subject, category, system); None there means all of them.
        The instant is the caller's to check (``LegalHold.applies_to``)."""
        ...
