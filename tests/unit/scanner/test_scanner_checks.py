"""The fast checks give the answers of the maintained libraries they stand in for."""

from __future__ import annotations

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.ca import sin as stdnum_sin

from confide.scanner.checks import luhn_valid, nanp_valid
from confide.scanner.engine import Scanner
from confide.scanner.model import Entity

digits = st.text(alphabet="0123456789", min_size=1, max_size=20)


@settings(max_examples=2000)
@given(digits)
def test_luhn_check_agrees_with_python_stdnum(number: str) -> None:
    assert luhn_valid(number) == luhn.is_valid(number)


@settings(max_examples=500)
@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_sin_recognizer_accepts_exactly_what_stdnum_accepts(body: str) -> None:
    for check in "0123456789":
        number = body + check
        found = Scanner(entities=["SIN"]).scan_text(f"SIN {number}").findings
        assert bool(found) == stdnum_sin.is_valid(number)


@settings(max_examples=3000)
@given(st.from_regex(r"\A[2-9][0-9]{2}[2-9][0-9]{6}\Z"))
def test_nanp_check_agrees_with_phonenumbers(national: str) -> None:
    number = phonenumbers.PhoneNumber(country_code=1, national_number=int(national))
    expected = any(phonenumbers.is_valid_number_for_region(number, r) for r in ("CA", "US"))
    assert nanp_valid(national) == expected


def test_phone_recognizer_reports_only_numbers_phonenumbers_calls_valid() -> None:
    text = "call 514-872-1234 or 514-155-1234"
    found = [
        text[f.start : f.end]
        for f in Scanner().scan_text(text).findings
        if f.entity is Entity.PHONE
    ]
    assert found == ["514-872-1234"]
