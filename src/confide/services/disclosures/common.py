"""Roles, limits and small helpers shared by the disclosure use cases."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from confide.domain.consent.events import SubjectProfile
from confide.domain.disclosure import (
    DisclosureDecision,
)
from confide.domain.disclosure.obligations import ObligationKind
from confide.domain.disclosure.records import DisclosureFacts, DisclosureNotice, StoredDisclosure
from confide.domain.errors import FieldProblem, NotAllowed, ValidationFailed
from confide.domain.ids import new_id

BATCH = 5000  # rows of a bulk file checked and written together (memory stays bounded)
UNKNOWN_SUBJECT = "unknown_subject"


class DisclosureNotAllowed(NotAllowed):
    """The rules refused a disclosure: nothing was disclosed or recorded in the ledger. The
    refused decision itself is recorded (``decision_id``); ``reasons`` are reason codes."""

    def __init__(self, decision_id: str, decision: DisclosureDecision) -> None:
        reasons = tuple(str(r) for r in decision.reasons)
        super().__init__(
            f"disclosure refused ({', '.join(reasons)}); decision {decision_id} recorded,"
            " nothing disclosed",
            rule=decision.rules[0] if decision.rules else "DIS-1",
            decision_id=decision_id,
            reasons=reasons,
        )
        self.decision_id = decision_id
        self.decision = decision
        self.reasons = reasons


# The last two characters of an id encode the low 10 bits of its random part (see domain.ids).
_TAILS = tuple(new_id("x", datetime(2000, 1, 1, tzinfo=UTC), j)[-2:] for j in range(1024))


def id_minter(prefix: str, now: datetime) -> Callable[[], str]:
    """Ids for the rows of one bulk, as ``new_id`` makes them: one random base per 2**20 rows
    and a counter in the low 20 bits (unique within the bulk, unguessable across bulks), so
    only the last four characters are encoded per row."""
    head, n = "", 1 << 20

    def mint() -> str:
        nonlocal head, n
        if n >= 1 << 20:
            head, n = new_id(prefix, now, secrets.randbits(60) << 20)[:-4], 0
        i = n
        n += 1
        return f"{head}{_TAILS[i >> 10]}{_TAILS[i & 1023]}"

    return mint


def subject_profile(f: DisclosureFacts) -> SubjectProfile:
    return SubjectProfile(f.subject_id, f.province, f.language, f.birth_date)


def notices_owed(
    stored: StoredDisclosure, decision: DisclosureDecision, now: datetime
) -> tuple[DisclosureNotice, ...]:
    return tuple(
        DisclosureNotice(new_id("ntc", now), stored.record.subject_id, stored.id, o.due)
        for o in decision.obligations
        if o.kind is ObligationKind.NOTIFY_INDIVIDUAL_IN_WRITING
    )


class UnknownReference(ValidationFailed):
    """An id in a disclosure request that names nothing (a recipient, purpose, category or
    subject): bad input naming its field (422), like an exception code off the list; the id
    itself is not repeated in the message."""

    def __init__(self, field: str, kind: str) -> None:
        message = f"names no {kind}"
        super().__init__(f"{field}: {message}", [FieldProblem(field, message)])
        self.field = field
        self.kind = kind
