"""Errors of the audit trail's domain (Merkle maths, entries, checkpoints).

::

    ConfideError
    ├── ValidationFailed
    │   ├── InvalidEntry          an audit entry field breaks the entry rules (names the field)
    │   ├── MalformedCheckpoint   checkpoint or signed-note text that does not parse
    │   └── ProofRangeError       an index or size outside the tree
    └── MissingNode               the node store lacks a node the tree needs (corrupt store)

Messages name fields, sizes and node coordinates, never entry values.
"""

from __future__ import annotations

from confide.domain.errors import ConfideError, FieldProblem, ValidationFailed


class InvalidEntry(ValidationFailed):
    """An audit entry field is missing, malformed, or could carry personal information."""

    code = "audit_invalid_entry"
    title = "Invalid audit entry"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"audit entry {field}: {reason}", [FieldProblem(field, reason)])
        self.field = field
        self.reason = reason


class MalformedCheckpoint(ValidationFailed):
    """A checkpoint, signed note or verifier key that does not follow its text format."""

    code = "audit_malformed_checkpoint"
    title = "Malformed checkpoint"

    def __init__(self, reason: str) -> None:
        super().__init__(f"malformed checkpoint: {reason}", [FieldProblem("checkpoint", reason)])
        self.reason = reason


class ProofRangeError(ValidationFailed):
    """A leaf index or tree size outside the tree the proof is asked of."""

    code = "audit_proof_range"
    title = "Index or size outside the audit tree"

    def __init__(self, name: str, value: int, maximum: int) -> None:
        reason = f"{value} is outside 0..{maximum}"
        super().__init__(f"{name}: {reason}", [FieldProblem(name, reason)])
        self.name = name
        self.value = value
        self.maximum = maximum


class MissingNode(ConfideError):
    """The node store lacks a complete-subtree node that must exist: the store is corrupt."""

    code = "audit_missing_node"
    title = "Audit tree node missing"

    def __init__(self, level: int, index: int) -> None:
        super().__init__(f"audit tree node ({level}, {index}) is missing", level=level, index=index)
        self.level = level
        self.index = index
