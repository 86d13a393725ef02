"""Optional named-entity recognition: a spaCy pipeline, where one is installed, adds the
names and places that cues miss.

Off by default (the cue-based recognizers need no model). ``SpacyNer("fr_core_news_sm")``
or a path to a saved pipeline loads it; entities of the labels mapped below become
findings, merged with the pattern findings (overlaps resolved by score).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from confide.scanner.errors import ScannerError
from confide.scanner.model import Entity, Finding

LABELS: Mapping[str, Entity] = {"PERSON": Entity.PERSON, "PER": Entity.PERSON}


class NerModelMissing(ScannerError):
    """The NER model asked for is not installed (the scanner runs without NER)."""

    code = "ner_model_missing"

    def __init__(self, model: str) -> None:
        super().__init__(f"NER model {model} is not installed", model=model)


class SpacyNer:
    """Findings from a spaCy pipeline's named entities."""

    name = "spacy_ner"

    def __init__(
        self, model: str, score: float = 0.7, labels: Mapping[str, Entity] = LABELS
    ) -> None:
        try:
            import spacy

            self._nlp: Any = spacy.load(model)
        except (ImportError, OSError) as exc:
            raise NerModelMissing(model) from exc
        self.model = model
        self.score = score
        self.labels = dict(labels)

    def find(self, text: str) -> list[Finding]:
        doc = self._nlp(text)
        return [
            Finding(
                self.labels[ent.label_],
                ent.start_char,
                ent.end_char,
                self.score,
                self.name,
                ent.label_,
            )
            for ent in doc.ents
            if ent.label_ in self.labels
        ]
