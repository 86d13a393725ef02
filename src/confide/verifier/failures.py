"""What a verification can find wrong, and where (see :mod:`confide.verifier.verify`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class FailureKind(StrEnum):
    MALFORMED = "malformed"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"
    CHANGED = "changed"
    PAYLOAD_MISMATCH = "payload_mismatch"
    BAD_SIGNATURE = "bad_signature"
    CHECKPOINT_MISMATCH = "checkpoint_mismatch"
    INCONSISTENT_CHECKPOINT = "inconsistent_checkpoint"
    UNANCHORED = "unanchored"


@dataclass(frozen=True, slots=True)
class Failure:
    """One thing that does not verify. ``sequence`` is its place in the log (an entry's
    sequence, or the size of a checkpoint); ``line`` is the export line (1-based) when
    there is one; ``last_sequence`` closes a range when the place cannot be narrower."""

    kind: FailureKind
    message: str
    sequence: int | None = None
    line: int | None = None
    checkpoint_size: int | None = None
    last_sequence: int | None = None

    def sort_key(self) -> tuple[float, int, int]:
        place = float("inf") if self.sequence is None else self.sequence
        # At one place, report what happened to the entry before what a checkpoint says.
        checkpoint_level = 1 if self.checkpoint_size is not None else 0
        return (place, checkpoint_level, self.line or 0)

    def describe(self) -> str:
        where = []
        if self.sequence is not None:
            where.append(
                f"entries {self.sequence}..{self.last_sequence}"
                if self.last_sequence is not None
                else f"entry {self.sequence}"
            )
        if self.line is not None:
            where.append(f"line {self.line}")
        return f"{self.kind.value} at {', '.join(where) or 'export'}: {self.message}"

    def shifted(self, positions: int, lines: int) -> Failure:
        """The same failure found in a chunk, placed in the whole export."""
        return replace(
            self,
            sequence=None if self.sequence is None else self.sequence + positions,
            line=None if self.line is None else self.line + lines,
            last_sequence=None if self.last_sequence is None else self.last_sequence + positions,
        )
