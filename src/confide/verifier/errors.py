"""Errors of the independent audit verifier.

::

    ConfideError
    └── ValidationFailed
        ├── MalformedCheckpoint   (confide.domain.audit.errors) text that does not parse
        └── SignatureInvalid      a note not signed, or badly signed, by the expected key
"""

from __future__ import annotations

from confide.domain.errors import FieldProblem, ValidationFailed


class SignatureInvalid(ValidationFailed):
    """The note carries no valid signature by the expected key (names the key, not the note)."""

    code = "audit_signature_invalid"
    title = "Checkpoint signature invalid"

    def __init__(self, key_name: str, reason: str) -> None:
        super().__init__(
            f"checkpoint signature by key {key_name}: {reason}", [FieldProblem("signature", reason)]
        )
        self.key_name = key_name
        self.reason = reason
