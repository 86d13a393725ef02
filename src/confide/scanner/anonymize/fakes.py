"""Format-preserving fake values for each entity (Faker ``en_CA`` / ``fr_CA``)."""

from __future__ import annotations

import random
import re
import string
from datetime import date

from faker import Faker

from confide.scanner.checks import luhn_valid
from confide.scanner.model import Entity

_YEAR = re.compile(r"\b(19|20)[0-9]{2}\b")
_FAKERS: dict[str, Faker] = {}


def year_of(value: str) -> int | None:
    m = _YEAR.search(value)
    return int(m.group(0)) if m else None


def _faker(locale: str, rng: random.Random) -> Faker:
    faker = _FAKERS.get(locale)
    if faker is None:
        faker = _FAKERS[locale] = Faker(locale)
    faker.seed_instance(rng.getrandbits(64))
    return faker


def _luhn_digit(body: str) -> str:
    for d in string.digits:
        if luhn_valid(body + d):
            return d
    raise AssertionError("unreachable: one check digit always fits")


def _reshape(template: str, digits: str) -> str:
    """Put ``digits`` into the positions of the digits of ``template`` (separators stay)."""
    it = iter(digits)
    return "".join(next(it) if c.isdigit() else c for c in template)


def _shuffle_chars(value: str, rng: random.Random) -> str:
    out = []
    for c in value:
        if c.isdigit():
            out.append(rng.choice(string.digits))
        elif c.isalpha():
            out.append(
                rng.choice(string.ascii_uppercase if c.isupper() else string.ascii_lowercase)
            )
        else:
            out.append(c)
    return "".join(out)


def fake_value(value: str, entity: Entity, rng: random.Random, locale: str) -> str:
    digits = [c for c in value if c.isdigit()]
    if entity is Entity.SIN:
        body = rng.choice("1234567") + "".join(rng.choice(string.digits) for _ in range(7))
        return _reshape(value, body + _luhn_digit(body))
    if entity is Entity.PAYMENT_CARD:
        body = value.lstrip()[0] + "".join(
            rng.choice(string.digits) for _ in range(len(digits) - 2)
        )
        return _reshape(value, body + _luhn_digit(body))
    if entity is Entity.PHONE:
        area = rng.choice(("514", "438", "416", "647", "604", "613", "819", "418", "403"))
        local = str(rng.randint(2, 9)) + "".join(rng.choice(string.digits) for _ in range(6))
        new = area + local
        if len(digits) == 11:
            new = "1" + new
        return _reshape(value, new)
    faker = _faker(locale, rng)
    if entity is Entity.EMAIL:
        return str(faker.email())
    if entity is Entity.PERSON:
        return str(faker.name()) if " " in value.strip() else str(faker.first_name())
    if entity is Entity.STREET_ADDRESS:
        return str(faker.street_address())
    if entity is Entity.POSTAL_CODE:
        code = str(faker.postcode()).upper().replace(" ", "")
        return f"{code[:3]} {code[3:]}" if " " in value else code
    if entity is Entity.DATE_OF_BIRTH:
        born = faker.date_between(start_date=date(1940, 1, 1), end_date=date(2006, 12, 31))
        return born.isoformat()
    if entity is Entity.IP_ADDRESS:
        return str(faker.ipv6()) if ":" in value else str(faker.ipv4_public())
    return _shuffle_chars(value, rng)
