"""Access, correction and portability requests and their one-time codes."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Protocol

from confide.domain.requests.model import AccessRequest, RequestState, VerificationCode


class RequestRepository(Protocol):
    """Access, correction and portability requests, their one-time codes and prepared files.

    ``save`` is a compare-and-set on the state: it writes only if the stored state is still
    ``expected`` and says whether it did (so a periodic job acts once per request).
    """

    def add(self, request: AccessRequest) -> None: ...

    def save(self, request: AccessRequest, *, expected: RequestState) -> bool: ...

    def get(self, request_id: str) -> AccessRequest | None: ...

    def listing(
        self,
        *,
        states: Collection[RequestState] | None = None,
        due_until: date | None = None,
        subject_id: str | None = None,
        limit: int = 500,
    ) -> list[AccessRequest]: ...

    def set_file(self, request_id: str, data: dict[str, object] | None, at: datetime) -> None: ...

    def file(self, request_id: str) -> dict[str, object] | None: ...

    def add_code(self, code: VerificationCode) -> None: ...

    def latest_code(self, request_id: str) -> VerificationCode | None: ...

    def take_attempt(self, code_id: str, max_attempts: int) -> int | None:
        """Count a try atomically while fewer than ``max_attempts`` were counted and the code is
        unused; the tries counted (this one included), or None when no try is left."""
        ...

    def use_code(self, code_id: str, at: datetime) -> bool:
        """Mark the code used if it was not already (compare-and-set)."""
        ...

    def codes_since(
        self, since: datetime, *, subject_id: str | None = None, address_hash: str | None = None
    ) -> int: ...
