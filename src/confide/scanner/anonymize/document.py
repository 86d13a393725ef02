"""Rewrite a text with its findings replaced, consistently within the document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from confide.scanner.anonymize.operators import Operator, ReplaceWithType
from confide.scanner.model import Entity, Finding


@dataclass(frozen=True, slots=True)
class Replacement:
    """One replaced span: where it was, what type, which operator (never the old value)."""

    start: int
    end: int
    entity: Entity
    operator: str
    new_start: int
    new_end: int


@dataclass
class AnonymizedText:
    text: str
    replacements: list[Replacement] = field(default_factory=list)


def anonymize_text(
    text: str,
    findings: Sequence[Finding],
    operators: Mapping[Entity, Operator] | None = None,
    default: Operator | None = None,
) -> AnonymizedText:
    """Replace each finding with its operator's output.

    The same value of the same entity gets the same replacement everywhere in the
    document, whatever the operator (a random fake is drawn once per value).
    """
    operators = operators or {}
    fallback = default or ReplaceWithType()
    memo: dict[tuple[Entity, str], str] = {}
    parts: list[str] = []
    replacements: list[Replacement] = []
    pos = 0
    size = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:
            continue  # overlapping findings: the first one wins
        op = operators.get(f.entity, fallback)
        value = text[f.start : f.end]
        key = (f.entity, value)
        new = memo.get(key)
        if new is None:
            new = memo[key] = op.apply(value, f.entity)
        parts.append(text[pos : f.start])
        size += f.start - pos
        parts.append(new)
        replacements.append(Replacement(f.start, f.end, f.entity, op.name, size, size + len(new)))
        size += len(new)
        pos = f.end
    parts.append(text[pos:])
    return AnonymizedText("".join(parts), replacements)
