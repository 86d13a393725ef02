"""Canadian postal codes: valid letters, first letter naming the province or territory."""

from __future__ import annotations

import re

from confide.scanner.context import folded_set
from confide.scanner.model import Entity
from confide.scanner.recognizers.base import Pattern, Recognizer
from confide.scanner.recognizers.registry import register

# First letter of the forward sortation area -> provinces and territories it serves.
FIRST_LETTER = {
    "A": {"NL"},
    "B": {"NS"},
    "C": {"PE"},
    "E": {"NB"},
    "G": {"QC"},
    "H": {"QC"},
    "J": {"QC"},
    "K": {"ON"},
    "L": {"ON"},
    "M": {"ON"},
    "N": {"ON"},
    "P": {"ON"},
    "R": {"MB"},
    "S": {"SK"},
    "T": {"AB"},
    "V": {"BC"},
    "X": {"NT", "NU"},
    "Y": {"YT"},
}
PROVINCE_WORDS = {
    "NL": "NL",
    "TERRE-NEUVE": "NL",
    "NEWFOUNDLAND": "NL",
    "NS": "NS",
    "N.-E.": "NS",
    "PE": "PE",
    "PEI": "PE",
    "NB": "NB",
    "N.-B.": "NB",
    "QC": "QC",
    "QUÉBEC": "QC",
    "QUEBEC": "QC",
    "ON": "ON",
    "ONT": "ON",
    "ONTARIO": "ON",
    "MB": "MB",
    "MANITOBA": "MB",
    "SK": "SK",
    "SASKATCHEWAN": "SK",
    "AB": "AB",
    "ALB": "AB",
    "ALBERTA": "AB",
    "BC": "BC",
    "C.-B.": "BC",
    "NT": "NT",
    "NU": "NU",
    "YT": "YT",
    "YUKON": "YT",
}
_PROVINCE_BEFORE = re.compile(r"([A-ZÉa-zé.-]{2,13})[ ,]*$")

LETTERS = "ABCEGHJ-NPRSTV-Z"


@register
class PostalCodeRecognizer(Recognizer):
    name = "ca_postal_code"
    entity = Entity.POSTAL_CODE
    patterns = (
        Pattern(
            "postal_code",
            rf"\b[ABCEGHJ-NPRSTVXY][0-9][{LETTERS}][ -]?[0-9][{LETTERS}][0-9]\b",
        ),
    )
    context = folded_set(["postal", "code", "adresse", "address", "zip"])

    def validate(
        self, value: str, pattern: Pattern, text: str, start: int, end: int
    ) -> float | None:
        before = _PROVINCE_BEFORE.search(text[max(0, start - 16) : start])
        if before:
            province = PROVINCE_WORDS.get(before.group(1).upper())
            if province is not None and province not in FIRST_LETTER[value[0]]:
                return 0.3  # "Montréal, ON H2X 1Y4" is suspicious: the letter names Québec
        return 0.75
