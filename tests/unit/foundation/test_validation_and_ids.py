"""Identifier normalisation and ids."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from confide.domain.ids import new_id
from confide.domain.subjects import IdentifierKind
from confide.services.validation import check_language, check_province, normalize_identifier


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("514-555-0134", "+15145550134"),
        ("+1 (416) 555 0100", "+14165550100"),
        ("1 604 555 0199", "+16045550199"),
    ],
)
def test_canadian_phone_numbers_normalize_to_e164(raw: str, expected: str) -> None:
    assert normalize_identifier(IdentifierKind.PHONE, raw, "phone") == (expected, None)


@pytest.mark.parametrize("raw", ["12", "555-0134", "call me", "+1 011 555 0134"])
def test_invalid_phone_numbers_are_refused_without_echoing_them(raw: str) -> None:
    value, problem = normalize_identifier(IdentifierKind.PHONE, raw, "phone")
    assert value is None and problem is not None
    assert problem.location == "phone" and raw not in problem.message


def test_email_is_lower_cased_and_checked() -> None:
    assert (
        normalize_identifier(IdentifierKind.EMAIL, " Jean@Exemple.QC.ca ", "email")[0]
        == "jean@exemple.qc.ca"
    )
    assert normalize_identifier(IdentifierKind.EMAIL, "jean@", "email")[1] is not None
    assert normalize_identifier(IdentifierKind.EMAIL, "a b@example.ca", "email")[1] is not None


def test_province_and_language_codes() -> None:
    assert check_province(" qc ") == ("QC", None)
    assert check_province("XX")[1] is not None
    assert check_language("fr-CA") == ("fr", None)
    assert check_language("de")[1] is not None


def test_ids_are_time_ordered_and_prefixed() -> None:
    a = new_id("sub", datetime(2026, 1, 1, tzinfo=UTC), rand=0)
    b = new_id("sub", datetime(2026, 1, 2, tzinfo=UTC), rand=0)
    assert a.startswith("sub_") and len(a) == 30
    assert a < b
    assert new_id("sub", datetime(2026, 1, 1, tzinfo=UTC), rand=5) == new_id(
        "sub", datetime(2026, 1, 1, tzinfo=UTC), rand=5
    )
