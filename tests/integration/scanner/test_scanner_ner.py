"""The optional NER plug-in, loaded from a small spaCy pipeline saved on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from confide.scanner.engine import Scanner
from confide.scanner.model import Entity
from confide.scanner.ner import NerModelMissing, SpacyNer

spacy = pytest.importorskip("spacy")


@pytest.fixture
def model(tmp_path: Path) -> str:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": [{"LOWER": "zed"}, {"LOWER": "quux"}]}])
    path = tmp_path / "tiny_ner"
    nlp.to_disk(path)
    return str(path)


def test_ner_adds_names_that_no_cue_announces(model: str) -> None:
    text = "the ticket was opened by zed quux yesterday; SIN 130 692 544"
    plain = Scanner().scan_text(text).findings
    with_ner = Scanner(ner=SpacyNer(model)).scan_text(text).findings
    assert Entity.PERSON not in {f.entity for f in plain}
    names = [text[f.start : f.end] for f in with_ner if f.entity is Entity.PERSON]
    assert names == ["zed quux"]
    assert {f.entity for f in with_ner} == {Entity.PERSON, Entity.SIN}
    assert next(f for f in with_ner if f.entity is Entity.PERSON).recognizer == "spacy_ner"


def test_a_model_that_is_not_installed_is_named_in_a_clear_error() -> None:
    with pytest.raises(NerModelMissing) as info:
        SpacyNer("xx_no_such_model_sm")
    assert "xx_no_such_model_sm" in str(info.value)
