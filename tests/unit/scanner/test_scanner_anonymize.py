"""Anonymizers: each operator, consistency within a document, keys, reversibility (RET-3)."""

from __future__ import annotations

import re

import pytest
from stdnum import luhn
from stdnum.ca import sin as stdnum_sin

from confide.scanner.anonymize import (
    Encrypt,
    Fake,
    Generalize,
    Mask,
    Pseudonym,
    Redact,
    ReplaceWithType,
    anonymize_text,
    decrypt,
    operator_named,
)
from confide.scanner.engine import Scanner
from confide.scanner.errors import DecryptionFailed, KeyRequired, UnknownOperator
from confide.scanner.model import Entity

KEY = b"k" * 32
TEXT = (
    "Hi Jean Tremblay, SIN 130 692 544, card 4111 1111 1111 1111, call (514) 872-1234, "
    "jean.t@example.ca, H2X 1Y4, date of birth 1985-03-12, ip 203.0.113.42. "
    "Again: card 4111 1111 1111 1111 and SIN 130 692 544."
)
VALUES = ["130 692 544", "4111 1111 1111 1111", "(514) 872-1234", "jean.t@example.ca", "H2X 1Y4"]


def run(op: object, text: str = TEXT) -> str:
    findings = Scanner().scan_text(text).findings
    return anonymize_text(text, findings, default=op).text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "op",
    [
        Redact(),
        ReplaceWithType(),
        Mask(),
        Pseudonym(KEY),
        Generalize(),
        Encrypt(KEY),
        Fake(),
        Fake(key=KEY),
    ],
)
def test_no_found_value_survives_any_operator(op: object) -> None:
    out = run(op)
    for value in VALUES:
        assert value not in out


def test_replace_names_the_entity_type() -> None:
    assert "SIN <SIN>, card <PAYMENT_CARD>" in run(ReplaceWithType())


def test_mask_keeps_the_last_digits_and_the_separators() -> None:
    assert (
        Mask(keep_last=4).apply("4111 1111 1111 1234", Entity.PAYMENT_CARD) == "**** **** **** 1234"
    )
    assert Mask(keep_last=0).apply("H2X 1Y4", Entity.POSTAL_CODE) == "*** ***"


def test_ret_3_only_irreversible_operators_count_as_anonymizing() -> None:
    assert Redact().anonymizes and ReplaceWithType().anonymizes and Generalize().anonymizes
    assert Mask(keep_last=0).anonymizes and not Mask(keep_last=4).anonymizes
    assert not Pseudonym(KEY).anonymizes and not Encrypt(KEY).anonymizes and not Fake().anonymizes


def test_pseudonym_is_the_same_for_the_same_value_and_key_and_differs_across_keys() -> None:
    a = Pseudonym(KEY).apply("130 692 544", Entity.SIN)
    assert a == Pseudonym(KEY).apply("130-692-544", Entity.SIN)  # same number, other layout
    assert a != Pseudonym(b"z" * 32).apply("130 692 544", Entity.SIN)
    assert a != Pseudonym(KEY).apply("293 827 192", Entity.SIN)
    assert re.fullmatch(r"SIN_[0-9a-f]{16}", a)


def test_keyed_operators_refuse_a_short_key() -> None:
    with pytest.raises(KeyRequired):
        Pseudonym(b"short")
    with pytest.raises(KeyRequired):
        Encrypt(b"")


def test_encryption_round_trips_with_the_key_and_fails_with_another() -> None:
    token = Encrypt(KEY).apply("130 692 544", Entity.SIN)
    assert decrypt(token, KEY, Entity.SIN) == "130 692 544"
    with pytest.raises(DecryptionFailed):
        decrypt(token, b"x" * 32, Entity.SIN)
    with pytest.raises(DecryptionFailed):
        decrypt(token, KEY, Entity.EMAIL)  # the entity type is bound to the token


def test_generalize_keeps_the_forward_sortation_area_the_year_and_the_network() -> None:
    g = Generalize()
    assert g.apply("h2x 1y4", Entity.POSTAL_CODE) == "H2X"
    assert g.apply("12 mars 1985", Entity.DATE_OF_BIRTH) == "1985"
    assert g.apply("203.0.113.42", Entity.IP_ADDRESS) == "203.0.113.0/24"
    assert g.apply("130 692 544", Entity.SIN) == "<SIN>"


def test_fake_values_keep_the_format_and_stay_valid() -> None:
    fake = Fake(key=KEY)
    sin = fake.apply("130-692-544", Entity.SIN)
    assert re.fullmatch(r"[0-9]{3}-[0-9]{3}-[0-9]{3}", sin) and stdnum_sin.is_valid(sin)
    card = fake.apply("4111 1111 1111 1111", Entity.PAYMENT_CARD)
    assert re.fullmatch(r"4[0-9]{3} [0-9]{4} [0-9]{4} [0-9]{4}", card)
    assert luhn.is_valid(card.replace(" ", "")) and card != "4111 1111 1111 1111"
    phone = fake.apply("(514) 872-1234", Entity.PHONE)
    assert re.fullmatch(r"\([0-9]{3}\) [0-9]{3}-[0-9]{4}", phone)
    assert re.fullmatch(
        r"[A-Z][0-9][A-Z] [0-9][A-Z][0-9]", fake.apply("H2X 1Y4", Entity.POSTAL_CODE)
    )
    assert fake.apply("130-692-544", Entity.SIN) == sin  # keyed: a function of the value


def test_a_value_gets_the_same_replacement_everywhere_in_a_document() -> None:
    out = run(Fake(locale="fr_CA"))
    fake_cards = re.findall(r"card ([0-9 ]{19})", out)
    assert len(fake_cards) == 2 and fake_cards[0] == fake_cards[1]
    fake_sins = re.findall(r"SIN ([0-9 ]{11})", out)
    assert len(fake_sins) == 2 and fake_sins[0] == fake_sins[1]


def test_replacements_record_positions_in_both_texts_and_never_the_old_value() -> None:
    findings = Scanner().scan_text(TEXT).findings
    result = anonymize_text(TEXT, findings, {Entity.SIN: Redact()}, default=ReplaceWithType())
    for r in result.replacements:
        assert result.text[r.new_start : r.new_end] == (
            "" if r.entity is Entity.SIN else f"<{r.entity.value}>"
        )
        assert not any(TEXT[r.start : r.end] in str(v) for v in (r.operator, r.entity))


def test_operators_are_built_by_name_and_an_unknown_name_is_refused() -> None:
    assert operator_named("mask", keep_last=2).apply("123456", Entity.SIN) == "****56"
    assert operator_named("pseudonym", key=KEY).name == "pseudonym"
    with pytest.raises(UnknownOperator):
        operator_named("shred")
