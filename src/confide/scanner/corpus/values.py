"""Random but valid values of each entity, and hard negatives that look like them.

Names come from Faker's ``en_CA`` and ``fr_CA`` providers, a source the scanner never
uses (it finds names from cues only).
"""

from __future__ import annotations

import random
import string
import uuid
from datetime import date, timedelta

from stdnum import luhn

AREA_CODES = (
    "204",
    "226",
    "236",
    "249",
    "250",
    "289",
    "306",
    "343",
    "365",
    "403",
    "416",
    "418",
    "431",
    "437",
    "438",
    "450",
    "506",
    "514",
    "519",
    "548",
    "579",
    "581",
    "587",
    "604",
    "613",
    "639",
    "647",
    "672",
    "705",
    "709",
    "778",
    "780",
    "782",
    "807",
    "819",
    "825",
    "867",
    "873",
    "902",
    "905",
)
INSTITUTIONS = ("001", "002", "003", "004", "006", "010", "016", "039", "614", "815", "828")
POSTAL_FIRST = "ABCEGHJKLMNPRSTVXY"
POSTAL_OTHER = "ABCEGHJKLMNPRSTVWXYZ"
EN_STREET_TYPES = (
    "Street",
    "St",
    "Avenue",
    "Ave",
    "Road",
    "Rd",
    "Boulevard",
    "Blvd",
    "Drive",
    "Crescent",
    "Court",
    "Lane",
    "Way",
    "Place",
)
FR_STREET_TYPES = ("rue", "avenue", "boulevard", "boul.", "chemin", "rang", "place", "montée")


def with_check_digit(body: str) -> str:
    return body + luhn.calc_check_digit(body)


def sin(rng: random.Random) -> str:
    body = rng.choice("1234567" + "9") + "".join(rng.choice(string.digits) for _ in range(7))
    digits = with_check_digit(body)
    style = rng.random()
    if style < 0.45:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    if style < 0.85:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return digits


def card(rng: random.Random) -> str:
    kind = rng.choice(("visa", "mc", "amex", "mc2"))
    if kind == "amex":
        digits = with_check_digit(rng.choice(("34", "37")) + _digits(rng, 12))
        sep = rng.choice((" ", "-", ""))
        return f"{digits[:4]}{sep}{digits[4:10]}{sep}{digits[10:]}"
    prefix = {"visa": "4", "mc": str(rng.randint(51, 55)), "mc2": str(rng.randint(2221, 2720))}[
        kind
    ]
    digits = with_check_digit(prefix + _digits(rng, 15 - len(prefix)))
    sep = rng.choice((" ", "-", "", " "))
    return sep.join(digits[i : i + 4] for i in range(0, 16, 4))


def phone(rng: random.Random) -> str:
    area = rng.choice(AREA_CODES)
    exchange = str(rng.randint(2, 9)) + _digits(rng, 2)
    while exchange[1:] == "11":
        exchange = str(rng.randint(2, 9)) + _digits(rng, 2)
    line = _digits(rng, 4)
    style = rng.randrange(5)
    return (
        f"({area}) {exchange}-{line}",
        f"{area}-{exchange}-{line}",
        f"{area}.{exchange}.{line}",
        f"+1 {area} {exchange} {line}",
        f"1-{area}-{exchange}-{line}",
    )[style]


def email(rng: random.Random, first: str, last: str) -> str:
    clean = _ascii(first).lower(), _ascii(last).lower()
    local = rng.choice(
        (
            f"{clean[0]}.{clean[1]}",
            f"{clean[0][0]}{clean[1]}",
            f"{clean[0]}{rng.randint(1, 99)}",
            f"{clean[1]}.{clean[0]}",
        )
    )
    domain = rng.choice(
        (
            "gmail.com",
            "videotron.ca",
            "hotmail.com",
            "sympatico.ca",
            "outlook.com",
            "yahoo.ca",
            "bell.net",
            "shaw.ca",
            "example.org",
        )
    )
    return f"{local}@{domain}"


PROVINCE_LETTERS = {
    "NL": "A",
    "NS": "B",
    "PE": "C",
    "NB": "E",
    "QC": "GHJ",
    "ON": "KLMNP",
    "MB": "R",
    "SK": "S",
    "AB": "T",
    "BC": "V",
    "NT": "X",
    "YT": "Y",
}


def postal_code(rng: random.Random, province: str = "") -> str:
    """A postal code whose first letter fits ``province`` (any province when empty)."""
    a = (
        rng.choice(PROVINCE_LETTERS.get(province, POSTAL_FIRST))
        + rng.choice(string.digits)
        + rng.choice(POSTAL_OTHER)
    )
    b = rng.choice(string.digits) + rng.choice(POSTAL_OTHER) + rng.choice(string.digits)
    return f"{a} {b}" if rng.random() < 0.85 else a + b


def street_address(rng: random.Random, french: bool, street_name: str) -> str:
    number = str(rng.randint(1, 9999))
    if french:
        unit = rng.choice(
            ("", "", f", app. {rng.randint(1, 40)}", f", bureau {rng.randint(100, 900)}")
        )
        comma = rng.choice(("", ","))
        return f"{number}{comma} {rng.choice(FR_STREET_TYPES)} {street_name}{unit}"
    unit = rng.choice(("", "", f", Apt {rng.randint(1, 40)}", f", Suite {rng.randint(100, 900)}"))
    if rng.random() < 0.2:
        number = f"{rng.randint(1, 40)}-{number}"
    return f"{number} {street_name} {rng.choice(EN_STREET_TYPES)}{unit}"


def birth_date(rng: random.Random, french: bool) -> str:
    d = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
    en_months = (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
    fr_months = (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    )
    style = rng.randrange(3)
    if style == 0:
        return d.isoformat()
    if style == 1:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if french:
        return f"{d.day} {fr_months[d.month - 1]} {d.year}"
    return f"{en_months[d.month - 1]} {d.day}, {d.year}"


def ipv4(rng: random.Random) -> str:
    return ".".join(str(rng.randint(1, 254)) for _ in range(4))


def ipv6(rng: random.Random) -> str:
    groups = [f"{rng.randrange(65536):x}" for _ in range(8)]
    if rng.random() < 0.5:
        return "2001:db8::" + ":".join(groups[:2])
    return ":".join(groups)


def bank_account(rng: random.Random) -> str:
    return f"{_digits(rng, 5)}-{rng.choice(INSTITUTIONS)}-{_digits(rng, 7)}"


def drivers_licence(rng: random.Random, last: str) -> str:
    letter = _ascii(last)[0].upper()
    if rng.random() < 0.5:  # Québec
        return f"{letter}{_digits(rng, 4)}-{_digits(rng, 6)}-{_digits(rng, 2)}"
    return f"{letter}{_digits(rng, 4)}-{_digits(rng, 5)}-{_digits(rng, 5)}"  # Ontario


def health_card(rng: random.Random, first: str, last: str) -> str:
    if rng.random() < 0.5:  # RAMQ
        letters = (_ascii(last).upper() + "XXX")[:3] + _ascii(first)[0].upper()
        month = rng.randint(1, 12) + rng.choice((0, 50))
        return (
            f"{letters} {rng.randint(40, 99)}{month:02d} {rng.randint(1, 28):02d}{_digits(rng, 2)}"
        )
    digits = with_check_digit(str(rng.randint(1, 9)) + _digits(rng, 8))
    version = rng.choice(("", " " + rng.choice(string.ascii_uppercase) * 2))
    return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}{version}"


def passport(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(2)) + _digits(rng, 6)


# -- hard negatives -------------------------------------------------------------------
def failing_nine_digits(rng: random.Random) -> str:
    body = str(rng.randint(1, 9)) + _digits(rng, 7)
    good = luhn.calc_check_digit(body)
    return body + rng.choice([d for d in string.digits if d != good])


def failing_card_digits(rng: random.Random) -> str:
    """Sixteen digits grouped like a card, with a Visa prefix, failing the Luhn check."""
    body = "4" + _digits(rng, 14)
    good = luhn.calc_check_digit(body)
    digits = body + rng.choice([d for d in string.digits if d != good])
    return " ".join(digits[i : i + 4] for i in range(0, 16, 4))


def negative(rng: random.Random, french: bool) -> str:
    kind = rng.randrange(12)
    # Harder negatives, each shaped like a target entity (card, phone, SIN, postal code).
    if kind == 8:
        label = "numéro de suivi" if french else "tracking number"
        return f"{label} {failing_card_digits(rng)}"
    if kind == 9:  # a ten-digit number in phone layout with an area code not in service
        return f"({rng.choice(['999', '958', '976'])}) {rng.randint(2, 9)}{_digits(rng, 2)}-{_digits(rng, 4)}"
    if kind == 10:  # a valid SIN written with mixed separators: not how a SIN is written
        digits = with_check_digit(rng.choice("1234567") + _digits(rng, 7))
        return f"{digits[:3]} {digits[3:6]}-{digits[6:]}"
    if kind == 11:  # a product code shaped like a postal code, first letter never used
        code = f"{rng.choice('DFIOQU')}{rng.randint(0, 9)}{rng.choice('ABCEG')}"
        tail = f"{rng.randint(0, 9)}{rng.choice('HJKLM')}{rng.randint(0, 9)}"
        return f"{'modèle' if french else 'model'} {code} {tail}"
    if kind == 0:
        return (
            f"commande n° {failing_nine_digits(rng)}"
            if french
            else f"order #{failing_nine_digits(rng)}"
        )
    if kind == 1:
        letters = rng.choice("ABCDEFGH") + rng.choice("ABCDEFGH")
        label = "numéro de suivi" if french else "tracking number"
        return f"{label} 1Z{_digits(rng, 3)}{letters}{_digits(rng, 10)}"
    if kind == 2:
        return f"ref {uuid.UUID(int=rng.getrandbits(128))}"
    if kind == 3:
        d = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
        return f"{d.isoformat()} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    if kind == 4:
        letters = rng.choice(string.ascii_uppercase) + rng.choice(string.ascii_uppercase)
        return f"{'code produit' if french else 'product code'} {letters}-{_digits(rng, 5)}"
    if kind == 5:
        return (
            f"{'facture' if french else 'invoice'} INV-{rng.randint(2019, 2025)}-{_digits(rng, 6)}"
        )
    if kind == 6:
        return failing_nine_digits(rng)
    return f"version {rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 99)}"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _ascii(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalpha()) or "x"
