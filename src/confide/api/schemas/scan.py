"""Bodies for scanning and anonymizing text over HTTP."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from confide.scanner.anonymize.document import AnonymizedText
from confide.scanner.model import ScanResult

MAX_TEXT = 1_000_000


class ScanIn(BaseModel):
    text: str = Field(max_length=MAX_TEXT)


class FindingOut(BaseModel):
    entity: str
    start: int
    end: int
    score: float
    recognizer: str
    pattern: str
    context: list[str]
    explanation: str


class ScanOut(BaseModel):
    characters: int
    counts: dict[str, int]
    findings: list[FindingOut]
    notes: list[str]

    @classmethod
    def of(cls, r: ScanResult) -> ScanOut:
        return cls(
            characters=r.chars,
            counts=r.counts(),
            findings=[
                FindingOut(
                    entity=f.entity.value,
                    start=f.start,
                    end=f.end,
                    score=round(f.score, 4),
                    recognizer=f.recognizer,
                    pattern=f.pattern,
                    context=list(f.context),
                    explanation=f.explain(),
                )
                for f in r.findings
            ],
            notes=[n.reason for n in r.notes],
        )


class AnonymizeIn(BaseModel):
    text: str = Field(max_length=MAX_TEXT)
    operator: Literal["redact", "replace", "mask", "generalize", "fake"] = "replace"
    keep_last: int = Field(default=4, ge=0, le=64)
    locale: Literal["en_CA", "fr_CA"] = "en_CA"


class ReplacementOut(BaseModel):
    entity: str
    operator: str
    start: int
    end: int


class AnonymizeOut(BaseModel):
    text: str
    replacements: list[ReplacementOut]

    @classmethod
    def of(cls, a: AnonymizedText) -> AnonymizeOut:
        return cls(
            text=a.text,
            replacements=[
                ReplacementOut(
                    entity=r.entity.value, operator=r.operator, start=r.new_start, end=r.new_end
                )
                for r in a.replacements
            ],
        )
