"""Per-entity precision, recall and F1 of predicted spans against labelled spans.

A prediction matches a label of the same entity when their spans overlap; each label
and each prediction is matched at most once (the earliest free one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from confide.scanner.corpus.generator import Span
from confide.scanner.model import Entity


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(
    gold: Iterable[Span], predicted: Iterable[Span], counts: dict[Entity, Counts] | None = None
) -> dict[Entity, Counts]:
    """Add one document's matches to ``counts`` (a new table when None) and return it."""
    table: dict[Entity, Counts] = counts if counts is not None else {}
    by_entity: dict[Entity, tuple[list[Span], list[Span]]] = {}
    for s in gold:
        by_entity.setdefault(s.entity, ([], []))[0].append(s)
    for s in predicted:
        by_entity.setdefault(s.entity, ([], []))[1].append(s)
    for entity, (labels, preds) in by_entity.items():
        c = table.setdefault(entity, Counts())
        used = [False] * len(labels)
        for p in sorted(preds, key=lambda s: s.start):
            for i, g in enumerate(labels):
                if not used[i] and p.start < g.end and g.start < p.end:
                    used[i] = True
                    c.tp += 1
                    break
            else:
                c.fp += 1
        c.fn += used.count(False)
    return table
