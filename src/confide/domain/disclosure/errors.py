"""Errors of the disclosure area. Messages name ids, fields and rules, never personal values.

A *refusal* (the rules forbid this disclosure) is not an error: it is a
:class:`~confide.domain.disclosure.engine.DisclosureDecision` with ``allowed=False``.
Errors are bad input: an id that names nothing, an exception code off the
closed list, a recipient that contradicts the policy, or an attempt to record a
refused disclosure.
"""

from __future__ import annotations

from confide.domain.errors import FieldProblem, NotAllowed, NotFound, ValidationFailed
from confide.domain.policy import CLOSED_EXCEPTION_CODES


class UnknownExceptionCode(ValidationFailed):
    """An exception code that is not on the closed list of DIS-2: bad input naming its field
    (``exception`` unless told), not a missing resource. The code itself is kept on the error
    (``exception_code``) but not put in its message."""

    def __init__(self, code: str, field: str = "exception") -> None:
        message = "is not an exception code on the closed list of DIS-2"
        super().__init__(
            f"{field}: {message}",
            [FieldProblem(field, message, ", ".join(sorted(CLOSED_EXCEPTION_CODES)))],
        )
        self.exception_code = code


class UnknownRecipientClass(NotFound):
    def __init__(self, class_id: str) -> None:
        super().__init__("recipient class", class_id)
        self.class_id = class_id


class UnknownRecipient(NotFound):
    def __init__(self, recipient_id: str) -> None:
        super().__init__("recipient", recipient_id)
        self.recipient_id = recipient_id


class InvalidRecipient(ValidationFailed):
    """A recipient that contradicts the policy: unknown class, or categories or purposes outside
    its class. Lists every problem (``problems``)."""

    def __init__(self, recipient_id: str, problems: list[FieldProblem]) -> None:
        where = ", ".join(p.location for p in problems)
        super().__init__(f"recipient {recipient_id} does not fit the policy: {where}", problems)
        self.recipient_id = recipient_id


class NoCategories(ValidationFailed):
    def __init__(self) -> None:
        super().__init__(
            "categories: at least one category is required",
            [FieldProblem("categories", "at least one category is required")],
        )


class EvidenceKindMismatch(ValidationFailed):
    """The policy declares a different kind of evidence for an exception than Confide's rule."""

    def __init__(self, code: str, declared: str, expected: str) -> None:
        super().__init__(
            f"exception {code}: the policy declares evidence {declared}, the rule needs {expected}"
        )
        self.code = code


class DisclosureRefused(NotAllowed):
    """Recording a disclosure the rules refused: nothing is recorded unless it was allowed."""

    def __init__(self, subject_id: str, recipient_id: str, reasons: tuple[str, ...]) -> None:
        super().__init__(
            f"disclosure of subject {subject_id} to recipient {recipient_id} was refused"
            f" ({', '.join(reasons)}); it cannot be recorded",
            rule="DIS-1",
            subject_id=subject_id,
            recipient_id=recipient_id,
        )
        self.reasons = reasons


__all__ = [
    "DisclosureRefused",
    "EvidenceKindMismatch",
    "InvalidRecipient",
    "NoCategories",
    "UnknownExceptionCode",
    "UnknownRecipient",
    "UnknownRecipientClass",
]
