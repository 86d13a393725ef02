"""Fast forms of checks that maintained libraries define, kept equal to them by tests.

The scanner validates thousands of candidates per megabyte; the libraries' general
entry points cost tens of microseconds each. These use the same rules and data:
``luhn_valid`` is python-stdnum's ``luhn.is_valid`` for digit strings (property-tested
against it), ``nanp_valid`` matches phonenumbers' own Canada and United States metadata
the way ``phonenumbers.is_valid_number_for_region`` does (tested against it).
"""

from __future__ import annotations

import re

from phonenumbers.phonemetadata import PhoneMetadata

# a digit doubled, its two digits summed: one digit again, so ``translate`` can do it
_DOUBLED = str.maketrans("0123456789", "0246813579")


def luhn_valid(digits: str) -> bool:
    """Luhn (mod 10) check of a string of ASCII digits."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(map(int, digits[-1::-2])) + sum(map(int, digits[-2::-2].translate(_DOUBLED)))
    return total % 10 == 0


def _region_patterns(region: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    meta = PhoneMetadata.metadata_for_region(region)
    if meta is None or meta.general_desc is None:  # pragma: no cover - metadata ships with it
        raise LookupError(region)
    descs = (
        meta.premium_rate,
        meta.toll_free,
        meta.shared_cost,
        meta.voip,
        meta.personal_number,
        meta.pager,
        meta.uan,
        meta.voicemail,
        meta.fixed_line,
        meta.mobile,
    )
    alternatives = [
        d.national_number_pattern for d in descs if d is not None and d.national_number_pattern
    ]
    general = meta.general_desc.national_number_pattern or ""
    return re.compile(general), re.compile("|".join(f"(?:{a})" for a in alternatives))


_NANP = [_region_patterns(r) for r in ("CA", "US")]


def nanp_valid(national: str) -> bool:
    """Whether a ten-digit national number is valid in Canada or the United States."""
    return any(
        g.fullmatch(national) is not None and t.fullmatch(national) is not None for g, t in _NANP
    )
