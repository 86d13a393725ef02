"""The labelled corpus is reproducible and its labels point at the values; the scanner meets
its accuracy targets on it."""

from __future__ import annotations

from confide.scanner.corpus import generate
from confide.scanner.corpus.evaluate import Counts, score
from confide.scanner.corpus.generator import Span
from confide.scanner.engine import Scanner
from confide.scanner.model import Entity


def test_the_same_seed_gives_the_same_corpus_and_another_seed_another() -> None:
    a, b, c = generate(42, 20), generate(42, 20), generate(43, 20)
    assert [d.text for d in a] == [d.text for d in b]
    assert [d.text for d in a] != [d.text for d in c]


def test_corpus_has_english_and_french_notes_emails_chats_and_csv() -> None:
    docs = generate(1, 16)
    assert {d.language for d in docs} == {"en", "fr"}
    assert {d.kind for d in docs} == {"note", "email", "chat", "csv"}


def test_every_label_spans_a_non_blank_value_without_surrounding_spaces() -> None:
    for doc in generate(2, 40):
        for span in doc.spans:
            value = doc.text[span.start : span.end]
            assert value and value == value.strip()


def test_scoring_counts_overlaps_once_and_misses_and_extras() -> None:
    gold = [Span(0, 5, Entity.SIN), Span(10, 15, Entity.SIN)]
    predicted = [Span(1, 4, Entity.SIN), Span(2, 3, Entity.SIN), Span(20, 25, Entity.EMAIL)]
    table = score(gold, predicted)
    assert (table[Entity.SIN].tp, table[Entity.SIN].fp, table[Entity.SIN].fn) == (1, 1, 1)
    assert (table[Entity.EMAIL].tp, table[Entity.EMAIL].fp) == (0, 1)


def test_f1_is_at_least_097_on_sin_card_email_phone_and_postal_code() -> None:
    scanner = Scanner()
    counts: dict[Entity, Counts] = {}
    for doc in generate(2024, 300):
        found = scanner.scan_text(doc.text).findings
        score(doc.spans, [Span(f.start, f.end, f.entity) for f in found], counts)
    for entity in (Entity.SIN, Entity.PAYMENT_CARD, Entity.EMAIL, Entity.PHONE, Entity.POSTAL_CODE):
        assert counts[entity].tp > 50
        assert counts[entity].f1 >= 0.97, (entity, counts[entity])
