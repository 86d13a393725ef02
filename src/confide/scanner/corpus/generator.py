"""Build labelled documents: every entity value is recorded with its character span."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from faker import Faker

from confide.scanner.corpus import templates as T
from confide.scanner.corpus import values as V
from confide.scanner.model import Entity

_PLACEHOLDER = re.compile(r"\{([A-Z0-9_]+)\}")
CITIES = (
    ("Montréal", "QC"),
    ("Québec", "QC"),
    ("Gatineau", "QC"),
    ("Toronto", "ON"),
    ("Ottawa", "ON"),
    ("Vancouver", "BC"),
    ("Calgary", "AB"),
    ("Winnipeg", "MB"),
    ("Halifax", "NS"),
    ("Moncton", "NB"),
    ("Regina", "SK"),
)
KINDS = ("note", "email", "chat", "csv")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    entity: Entity


@dataclass
class LabelledDoc:
    text: str
    spans: list[Span]
    kind: str
    language: str


@dataclass
class _Builder:
    rng: random.Random
    faker: Faker
    french: bool
    parts: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    size: int = 0
    first: str = ""
    last: str = ""
    province: str = ""

    def new_person(self) -> None:
        self.first = self.faker.first_name()
        self.last = self.faker.last_name()

    def add(self, text: str, entity: Entity | None = None) -> None:
        if entity is not None:
            self.spans.append(Span(self.size, self.size + len(text), entity))
        self.parts.append(text)
        self.size += len(text)

    def template(self, template: str) -> None:
        pos = 0
        for m in _PLACEHOLDER.finditer(template):
            self.add(template[pos : m.start()])
            self.placeholder(m.group(1))
            pos = m.end()
        self.add(template[pos:])

    def placeholder(self, name: str) -> None:
        rng = self.rng
        city, prov = CITIES[rng.randrange(len(CITIES))]
        if name == "CITY":
            self.province = prov
        street = (
            self.faker.last_name() if rng.random() < 0.7 else f"Saint-{self.faker.first_name()}"
        )
        makers: dict[str, Callable[[], tuple[str, Entity | None]]] = {
            "PERSON": lambda: (f"{self.first} {self.last}", Entity.PERSON),
            "FIRST": lambda: (self.first, Entity.PERSON),
            "LAST": lambda: (self.last, Entity.PERSON),
            "SIN": lambda: (V.sin(rng), Entity.SIN),
            "CARD": lambda: (V.card(rng), Entity.PAYMENT_CARD),
            "PHONE": lambda: (V.phone(rng), Entity.PHONE),
            "EMAIL": lambda: (V.email(rng, self.first, self.last), Entity.EMAIL),
            "POSTAL": lambda: (V.postal_code(rng, self.province), Entity.POSTAL_CODE),
            "ADDRESS_EN": lambda: (V.street_address(rng, False, street), Entity.STREET_ADDRESS),
            "ADDRESS_FR": lambda: (V.street_address(rng, True, street), Entity.STREET_ADDRESS),
            "DOB": lambda: (V.birth_date(rng, self.french), Entity.DATE_OF_BIRTH),
            "IPV4": lambda: (V.ipv4(rng), Entity.IP_ADDRESS),
            "IPV6": lambda: (V.ipv6(rng), Entity.IP_ADDRESS),
            "BANK": lambda: (V.bank_account(rng), Entity.BANK_ACCOUNT),
            "DL": lambda: (V.drivers_licence(rng, self.last), Entity.DRIVERS_LICENCE),
            "HEALTH": lambda: (V.health_card(rng, self.first, self.last), Entity.HEALTH_CARD),
            "PASSPORT": lambda: (V.passport(rng), Entity.PASSPORT),
            "NEG": lambda: (V.negative(rng, self.french), None),
            "CITY": lambda: (city, None),
            "PROV": lambda: (self.province, None),
        }
        self.add(*makers[name]())


PROSE_SHARE = 0.6  # of note and email sentences: ordinary prose without personal information


def _sentence(b: _Builder) -> str:
    if b.rng.random() < PROSE_SHARE:
        return b.rng.choice(T.FR_PROSE if b.french else T.EN_PROSE)
    return b.rng.choice(T.FR_NOTE if b.french else T.EN_NOTE)


def _note(b: _Builder) -> None:
    for _ in range(b.rng.randint(5, 12)):
        if b.rng.random() < 0.3:
            b.new_person()
        b.template(_sentence(b) + " ")
        if b.rng.random() < 0.25:
            b.add("\n")
    b.add("\n")


def _email(b: _Builder) -> None:
    b.add("From: " if not b.french else "De : ")
    b.template("{PERSON} <{EMAIL}>\n")
    subject = b.rng.choice(T.FR_SUBJECTS if b.french else T.EN_SUBJECTS)
    b.add(f"{'Objet' if b.french else 'Subject'}: {subject}\n\n")
    greeting = b.rng.choice(T.FR_GREETINGS if b.french else T.EN_GREETINGS)
    b.template(f"{greeting} {{FIRST}},\n\n")
    for _ in range(b.rng.randint(3, 7)):
        b.template(_sentence(b) + "\n")
    signoff = b.rng.choice(T.FR_SIGNOFFS if b.french else T.EN_SIGNOFFS)
    b.template(f"\n{signoff},\n{{PERSON}}\n\n")


def _chat(b: _Builder) -> None:
    for i, line in enumerate(T.FR_CHAT if b.french else T.EN_CHAT):
        if b.rng.random() < 0.8:
            b.add(f"[10:{i + 10:02d}] ")
            b.template(line + "\n")
    b.add("\n")


def _csv(b: _Builder) -> None:
    b.add(T.CSV_HEADER + "\n")
    for _ in range(b.rng.randint(3, 10)):
        b.new_person()
        b.template(T.CSV_ROW + "\n")
    b.add("\n")


_BUILDERS = {"note": _note, "email": _email, "chat": _chat, "csv": _csv}


def generate(seed: int, documents: int, kinds: tuple[str, ...] = KINDS) -> list[LabelledDoc]:
    """``documents`` labelled documents, half English and half French, the same for a seed."""
    rng = random.Random(seed)
    fakers = {False: Faker("en_CA"), True: Faker("fr_CA")}
    fakers[False].seed_instance(seed)
    fakers[True].seed_instance(seed + 1)
    docs = []
    for i in range(documents):
        french = i % 2 == 1
        kind = kinds[(i // 2) % len(kinds)]
        b = _Builder(rng, fakers[french], french)
        b.new_person()
        _BUILDERS[kind](b)
        docs.append(LabelledDoc("".join(b.parts), b.spans, kind, "fr" if french else "en"))
    return docs
