"""Normalising identifiers the way every front door must (email, phone, province, language)."""

from __future__ import annotations

import re

import phonenumbers

from confide.domain.errors import FieldProblem
from confide.domain.subjects import LANGUAGES, PROVINCES, IdentifierKind

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


def normalize_identifier(
    kind: IdentifierKind, raw: str, field: str
) -> tuple[str | None, FieldProblem | None]:
    """The normalized value, or a problem naming ``field`` (never echoing the value)."""
    value = raw.strip()
    if not value:
        return None, FieldProblem(field, "is empty")
    if kind is IdentifierKind.EMAIL:
        if len(value) > 254 or not _EMAIL.match(value):
            return None, FieldProblem(field, "is not a valid email address")
        local, _, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}".lower(), None
    if kind is IdentifierKind.PHONE:
        try:
            number = phonenumbers.parse(value, "CA")
        except phonenumbers.NumberParseException:
            return None, FieldProblem(
                field, "is not a telephone number", "use e.g. +1 514 555 0199"
            )
        if not phonenumbers.is_valid_number(number):
            return None, FieldProblem(
                field, "is not a valid telephone number", "use e.g. +1 514 555 0199"
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None
    if len(value) > 100:
        return None, FieldProblem(field, "is longer than 100 characters")
    return value, None


def check_province(value: str, field: str = "province") -> tuple[str | None, FieldProblem | None]:
    code = value.strip().upper()
    if code not in PROVINCES:
        return None, FieldProblem(
            field,
            "is not a Canadian province or territory code",
            "one of " + ", ".join(sorted(PROVINCES)),
        )
    return code, None


def check_language(value: str, field: str = "language") -> tuple[str | None, FieldProblem | None]:
    code = value.strip().lower()[:2]
    if code not in LANGUAGES:
        return None, FieldProblem(field, "is not a supported language", "en or fr")
    return code, None
