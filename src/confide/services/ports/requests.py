"""Access, correction and portability requests and their one-time codes."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Protocol

from confide.domain.requests.model import (
    AccessRequest,
    PendingIntake,
    RequestState,
    VerificationCode,
)


class RequestRepository(Protocol):
    """Access, correction and portability requests, their one-time codes and prepared files.

    ``save`` is a compare-and-set on the state: it writes only if the stored state is still
    ``expected`` and says whether it did (so a periodic job acts once per request).
    """

    def add(self, request: AccessRequest, intake: PendingIntake | None = None) -> None:
        """Add a request; ``intake`` is an individual's own request's identifier and language,
        kept sealed until it is matched (or the request expires)."""
        ...

    def pending_intake(self, request_id: str) -> PendingIntake | None:
        """The sealed intake of a request not matched yet (None once matched or expired)."""
        ...

    def awaiting_intake(self, received_before: datetime, limit: int = 1000) -> list[str]:
        """Ids of requests awaiting identity not matched yet, received at or before the time."""
        ...

    def record_match(self, request: AccessRequest) -> bool:
        """Write the match (subject, time zone, province, language, due date) and dispose of
        the intake, if the request is still awaiting identity and unmatched (compare-and-set)."""
        ...

    def expire(self, request_id: str, *, dispose: bool) -> bool:
        """Expire a request awaiting identity; ``dispose`` also removes what it carried (the
        identifier, the subject it matched, its note, representative and correction)."""
        ...

    def delete_codes(self, request_id: str) -> int: ...

    def save(self, request: AccessRequest, *, expected: RequestState) -> bool: ...

    def get(self, request_id: str) -> AccessRequest | None: ...

    def listing(
        self,
        *,
        states: Collection[RequestState] | None = None,
        due_until: date | None = None,
        subject_id: str | None = None,
        received_before: datetime | None = None,
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
