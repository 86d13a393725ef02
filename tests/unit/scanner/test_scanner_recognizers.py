"""Each recognizer finds its entity in realistic text and rejects look-alikes."""

from __future__ import annotations

import pytest

from confide.scanner.engine import Scanner
from confide.scanner.errors import DuplicateRecognizer, UnknownRecognizer
from confide.scanner.model import Entity
from confide.scanner.recognizers.base import Pattern, Recognizer
from confide.scanner.recognizers.registry import default_recognizers, recognizer_classes, register


def found(text: str, entity: Entity) -> list[str]:
    return [text[f.start : f.end] for f in Scanner().scan_text(text).findings if f.entity is entity]


FINDS = [
    (Entity.SIN, "SIN: 130 692 544", "130 692 544"),
    (Entity.SIN, "numéro d'assurance sociale 130-692-544", "130-692-544"),
    (Entity.SIN, "sin 130692544 on file", "130692544"),
    (Entity.PAYMENT_CARD, "Visa 4111 1111 1111 1111 exp 09/27", "4111 1111 1111 1111"),
    (Entity.PAYMENT_CARD, "amex 3782-822463-10005", "3782-822463-10005"),
    (Entity.PAYMENT_CARD, "carte 5555555555554444", "5555555555554444"),
    (Entity.PHONE, "call (514) 872-1234 tonight", "(514) 872-1234"),
    (Entity.PHONE, "tél. : +1 418 643-1234", "+1 418 643-1234"),
    (Entity.PHONE, "cell 604.555.0199", "604.555.0199"),
    (Entity.PHONE, "fax 211-555-0199", None),  # N11 codes are never area codes
    (Entity.EMAIL, "write to marie-eve.gagnon@videotron.ca today", "marie-eve.gagnon@videotron.ca"),
    (Entity.POSTAL_CODE, "Montréal (QC) H2X 1Y4", "H2X 1Y4"),
    (Entity.POSTAL_CODE, "Toronto ON M5V3L9", "M5V3L9"),
    (Entity.STREET_ADDRESS, "123 rue Saint-Denis, app. 4, Montréal", "123 rue Saint-Denis, app. 4"),
    (Entity.STREET_ADDRESS, "ship to 12-345 King Street W, Apt 9", "12-345 King Street W, Apt 9"),
    (
        Entity.STREET_ADDRESS,
        "4500, boulevard René-Lévesque Ouest",
        "4500, boulevard René-Lévesque Ouest",
    ),
    (Entity.DATE_OF_BIRTH, "Date of birth: 1985-03-12", "1985-03-12"),
    (Entity.DATE_OF_BIRTH, "née le 12 mars 1985", "12 mars 1985"),
    (Entity.DATE_OF_BIRTH, "DOB March 3, 1971", "March 3, 1971"),
    (Entity.IP_ADDRESS, "login from 203.0.113.42 failed", "203.0.113.42"),
    (Entity.IP_ADDRESS, "client ip 2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334"),
    (Entity.BANK_ACCOUNT, "bank account 12345-003-1234567", "12345-003-1234567"),
    (Entity.BANK_ACCOUNT, "numéro de compte 81234567 (dépôt direct)", "81234567"),
    (Entity.DRIVERS_LICENCE, "permis de conduire T1234-567890-12", "T1234-567890-12"),
    (Entity.DRIVERS_LICENCE, "Ontario driver's licence A1234-56789-01234", "A1234-56789-01234"),
    (Entity.HEALTH_CARD, "carte RAMQ TREJ 8503 1212", "TREJ 8503 1212"),
    (Entity.HEALTH_CARD, "OHIP health card 1234-567-897 AB", "1234-567-897 AB"),
    (Entity.PASSPORT, "passport number AB123456", "AB123456"),
    (Entity.PERSON, "Hi Jean-François,\nthanks", "Jean-François"),
    (Entity.PERSON, "Spoke with Mme Lévesque today", "Lévesque"),
    (Entity.PERSON, "Name: Aïcha Benali\n", "Aïcha Benali"),
    (Entity.PERSON, "Regards,\nSophie Tremblay\n", "Sophie Tremblay"),
]


@pytest.mark.parametrize(("entity", "text", "value"), FINDS)
def test_recognizer_finds_the_value_in_context(
    entity: Entity, text: str, value: str | None
) -> None:
    assert found(text, entity) == ([value] if value else [])


REJECTS = [
    (Entity.SIN, "SIN 130 692 545"),  # fails Luhn
    (Entity.SIN, "SIN 830 692 544"),  # 8 is not a first digit in use
    (Entity.SIN, "order #130692544 shipped"),  # Luhn-valid by chance, but an order number
    (Entity.PAYMENT_CARD, "card 4111 1111 1111 1112"),  # fails Luhn
    (Entity.PAYMENT_CARD, "card 9111 1111 1111 1111 1"),  # no such issuer
    (Entity.PHONE, "call 123-456-7890"),  # area codes never start with 1
    (Entity.POSTAL_CODE, "code D2X 1Y4"),  # D is not a postal letter
    (Entity.POSTAL_CODE, "Montréal, ON H2X 1Y4"),  # H is Québec, not Ontario
    (Entity.DATE_OF_BIRTH, "ticket closed 2024-03-12 14:22:01"),  # a date without birth context
    (Entity.DATE_OF_BIRTH, "date of birth 1985-13-45"),  # not a date
    (Entity.IP_ADDRESS, "at 12:30:45 the call dropped"),
    (Entity.IP_ADDRESS, "mac 00:1a:2b:3c:4d:5e"),
    (Entity.IP_ADDRESS, "ip 999.1.1.1"),
    (Entity.BANK_ACCOUNT, "tracking 81234567"),  # digits not called an account
    (Entity.BANK_ACCOUNT, "transfer 12345-999-1234567"),  # 999 is no institution
    (Entity.DRIVERS_LICENCE, "product T1234-567890-12"),  # no licence context
    (Entity.PASSPORT, "sku AB123456 in stock"),  # product code
    (Entity.HEALTH_CARD, "RAMQ TREJ 8599 1212"),  # month 99 is no month
    (Entity.PERSON, "Hello Team,\nthe build is green"),
    (Entity.PERSON, "Thanks,\nthe support team\n"),
]


@pytest.mark.parametrize(("entity", "text"), REJECTS)
def test_recognizer_rejects_look_alikes(entity: Entity, text: str) -> None:
    assert found(text, entity) == []


def test_context_words_raise_the_score_and_are_named_in_the_explanation() -> None:
    bare = Scanner().scan_text("130692544").findings
    with_context = Scanner().scan_text("NAS 130692544").findings
    assert bare and with_context
    assert with_context[0].score > bare[0].score
    assert with_context[0].context == ("nas",)
    assert "nas" in with_context[0].explain()


def test_explanation_never_contains_the_value() -> None:
    text = "SIN 130 692 544, email a.b@example.org"
    for f in Scanner().scan_text(text).findings:
        assert text[f.start : f.end] not in f.explain()


def test_negative_context_in_the_next_csv_cell_does_not_hide_a_value() -> None:
    row = "Jean Roy,130692544,order #123"
    assert found(row, Entity.SIN) == ["130692544"]


def test_every_recognizer_module_registers_one_named_recognizer() -> None:
    classes = recognizer_classes()
    assert len(classes) >= 13
    assert {cls.entity for cls in classes.values()} == set(Entity)
    for name, cls in classes.items():
        assert cls.name == name and cls.patterns


def test_registering_a_second_recognizer_under_a_taken_name_fails() -> None:
    class Impostor(Recognizer):
        name = "ca_sin"
        entity = Entity.SIN
        patterns = (Pattern("x", r"x"),)

    recognizer_classes()
    with pytest.raises(DuplicateRecognizer):
        register(Impostor)


def test_asking_for_an_unknown_recognizer_names_it() -> None:
    with pytest.raises(UnknownRecognizer) as info:
        default_recognizers(["no_such_thing"])
    assert "no_such_thing" in str(info.value)


def test_scanner_can_be_limited_to_some_entities() -> None:
    text = "SIN 130 692 544, email a.b@example.org"
    found_entities = {f.entity for f in Scanner(entities=["EMAIL"]).scan_text(text).findings}
    assert found_entities == {Entity.EMAIL}
