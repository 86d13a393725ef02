"""What the scanner finds and reports.

A :class:`Finding` is one piece of personal information at a character span of the
scanned text, with the recognizer that found it and why (pattern, validation,
context words) so it can be shown to a person and audited. Findings never hold
the matched value in their explanation; the value is read from the text by span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Entity(StrEnum):
    """Kinds of personal information the scanner recognizes."""

    SIN = "SIN"
    PAYMENT_CARD = "PAYMENT_CARD"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    POSTAL_CODE = "POSTAL_CODE"
    STREET_ADDRESS = "STREET_ADDRESS"
    DATE_OF_BIRTH = "DATE_OF_BIRTH"
    IP_ADDRESS = "IP_ADDRESS"
    BANK_ACCOUNT = "BANK_ACCOUNT"
    DRIVERS_LICENCE = "DRIVERS_LICENCE"
    HEALTH_CARD = "HEALTH_CARD"
    PASSPORT = "PASSPORT"
    PERSON = "PERSON"


class Finding(NamedTuple):
    """One piece of personal information found at ``text[start:end]``.

    Immutable; a named tuple rather than a frozen dataclass because the scanner makes one per
    candidate and a frozen dataclass costs five times as much to build.
    """

    entity: Entity
    start: int
    end: int
    score: float
    recognizer: str
    pattern: str
    context: tuple[str, ...] = ()

    def explain(self) -> str:
        """Plain words on why this was reported (no value, only the reasons)."""
        why = f"{self.entity.value} by {self.recognizer} (pattern {self.pattern}"
        if self.context:
            why += f"; context: {', '.join(self.context)}"
        return why + f"; score {self.score:.2f})"


@dataclass(frozen=True, slots=True)
class SkipNote:
    """Something not scanned, or scanned differently, and why (shown to the person who ran it)."""

    location: str
    reason: str


@dataclass
class ScanResult:
    """Findings in one text or file, with the notes about what was skipped."""

    source: str
    findings: list[Finding] = field(default_factory=list)
    notes: list[SkipNote] = field(default_factory=list)
    chars: int = 0

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.entity.value] = out.get(f.entity.value, 0) + 1
        return dict(sorted(out.items()))
