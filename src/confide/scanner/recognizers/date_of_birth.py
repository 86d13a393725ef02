"""Dates of birth: a plausible past date written in a common form, reported only with context."""

from __future__ import annotations

import re
from datetime import date

from confide.scanner.context import folded_set
from confide.scanner.model import Entity
from confide.scanner.recognizers.base import Pattern, Recognizer
from confide.scanner.recognizers.registry import register

MONTHS = {
    "january": 1,
    "jan": 1,
    "janvier": 1,
    "janv": 1,
    "february": 2,
    "feb": 2,
    "février": 2,
    "fevrier": 2,
    "févr": 2,
    "march": 3,
    "mar": 3,
    "mars": 3,
    "april": 4,
    "apr": 4,
    "avril": 4,
    "avr": 4,
    "may": 5,
    "mai": 5,
    "june": 6,
    "jun": 6,
    "juin": 6,
    "july": 7,
    "jul": 7,
    "juillet": 7,
    "juil": 7,
    "august": 8,
    "aug": 8,
    "août": 8,
    "aout": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "septembre": 9,
    "october": 10,
    "oct": 10,
    "octobre": 10,
    "november": 11,
    "nov": 11,
    "novembre": 11,
    "december": 12,
    "dec": 12,
    "décembre": 12,
    "decembre": 12,
    "déc": 12,
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUM = re.compile(r"[0-9]+")
_ALPHA = re.compile(r"[^\W\d_]+")
EARLIEST_YEAR = 1900
LATEST_YEAR = 2026


def _plausible(year: int, month: int, day: int) -> bool:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


@register
class DateOfBirthRecognizer(Recognizer):
    name = "date_of_birth"
    entity = Entity.DATE_OF_BIRTH
    context_required = True
    context_before = 40
    context_after = 8
    patterns = (
        Pattern(
            "date_iso",
            r"\b(?:19|20)[0-9]{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12][0-9]|3[01])\b",
        ),
        Pattern(
            "date_numeric",
            r"\b(?:0?[1-9]|[12][0-9]|3[01])[-/.](?:0?[1-9]|[12][0-9]|3[01])[-/.](?:19|20)[0-9]{2}\b",
        ),
        Pattern(
            "date_words_dmy",
            rf"\b(?:1er|[0-3]?[0-9])[ \t]+(?:{_MONTH_ALT})\.?[ \t]+(?:19|20)[0-9]{{2}}\b",
            caseless=True,
        ),
        Pattern(
            "date_words_mdy",
            rf"\b(?:{_MONTH_ALT})\.?[ \t]+[0-3]?[0-9],?[ \t]+(?:19|20)[0-9]{{2}}\b",
            caseless=True,
        ),
    )
    context = folded_set(
        [
            "born",
            "birth",
            "birthday",
            "dob",
            "d.o.b",
            "naissance",
            "née",
            "né",
            "nee",
            "ddn",
            "anniversaire",
            "birthdate",
            "date de naissance",
        ]
    )

    def validate(
        self, value: str, pattern: Pattern, text: str, start: int, end: int
    ) -> float | None:
        nums = [int(n) for n in _NUM.findall(value.replace("1er", "1"))]
        if pattern.name == "date_iso":
            ok = _plausible(nums[0], nums[1], nums[2])
        elif pattern.name == "date_numeric":
            ok = _plausible(nums[2], nums[1], nums[0]) or _plausible(nums[2], nums[0], nums[1])
        else:
            words = [w.lower() for w in _ALPHA.findall(value) if w.lower() in MONTHS]
            if not words or len(nums) < 2:
                return None
            ok = _plausible(nums[-1], MONTHS[words[0]], nums[0])
        return 0.6 if ok else None
