"""The cross-border register: which information is processed or stored outside Québec or Canada.

:func:`cross_border_rows` reads the recipients register and the policy's
processing locations and returns one :class:`CrossBorderRow` per holder outside
Québec: where (country, province), by whom, which categories for which
purposes, under which safeguards, agreement and impact assessment. Rows are
plain values ready for CSV (:data:`CSV_FIELDS`, :func:`rows_to_csv`) or JSON
(:meth:`CrossBorderRow.to_dict`).

:func:`subjects_outside` streams, for subjects and the categories they have on
file, which rows concern them (one :class:`SubjectTransfer` per subject and
holder), so phase 2 can answer for every subject with bounded memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from confide.domain.disclosure.recipients import HOME_COUNTRY, HOME_PROVINCE, Recipient
from confide.domain.policy import Policy


class Scope(StrEnum):
    OUTSIDE_QUEBEC = "outside_quebec"
    """In Canada, in another province."""
    OUTSIDE_CANADA = "outside_canada"


class HolderKind(StrEnum):
    RECIPIENT = "recipient"
    PROCESSING_LOCATION = "processing_location"


@dataclass(frozen=True, slots=True)
class CrossBorderRow:
    holder_kind: HolderKind
    holder_id: str
    holder_name: str
    processor: str
    """``recipient:<class id>`` for a recipient, the location's processor otherwise."""
    country: str
    province: str | None
    scope: Scope
    categories: tuple[str, ...]
    purposes: tuple[str, ...]
    safeguards: str | None
    agreement_reference: str | None = None
    agreement_expires_on: str | None = None
    impact_assessment_reference: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "holder_kind": str(self.holder_kind),
            "holder_id": self.holder_id,
            "holder_name": self.holder_name,
            "processor": self.processor,
            "country": self.country,
            "province": self.province,
            "scope": str(self.scope),
            "categories": list(self.categories),
            "purposes": list(self.purposes),
            "safeguards": self.safeguards,
            "agreement_reference": self.agreement_reference,
            "agreement_expires_on": self.agreement_expires_on,
            "impact_assessment_reference": self.impact_assessment_reference,
        }


CSV_FIELDS: tuple[str, ...] = (
    "holder_kind",
    "holder_id",
    "holder_name",
    "processor",
    "country",
    "province",
    "scope",
    "categories",
    "purposes",
    "safeguards",
    "agreement_reference",
    "agreement_expires_on",
    "impact_assessment_reference",
)


def _scope(country: str, province: str | None) -> Scope | None:
    if country.upper() != HOME_COUNTRY:
        return Scope.OUTSIDE_CANADA
    if (province or "").upper() != HOME_PROVINCE:
        return Scope.OUTSIDE_QUEBEC
    return None


def cross_border_rows(
    policy: Policy, recipients: Iterable[Recipient], *, language: str = "en"
) -> tuple[CrossBorderRow, ...]:
    """Every holder outside Québec: recipients of the register first (by id), then the policy's
    processing locations (in policy order). Empty category or purpose lists are expanded to
    what they mean (the class's for a recipient, every policy category for a location)."""
    rows: list[CrossBorderRow] = []
    for recipient in sorted(recipients, key=lambda r: r.id):
        place = recipient.place
        scope = _scope(place.country, place.province)
        if scope is None:
            continue
        cls = policy.recipient_class(recipient.class_id)
        categories = recipient.categories or (cls.categories if cls else ())
        purposes = recipient.purposes or (cls.purposes if cls else ())
        agreement = recipient.agreement
        assessment = recipient.impact_assessment
        expires = agreement.expires_on if agreement else None
        rows.append(
            CrossBorderRow(
                HolderKind.RECIPIENT,
                recipient.id,
                recipient.name,
                f"recipient:{recipient.class_id}",
                place.country,
                place.province,
                scope,
                tuple(categories),
                tuple(purposes),
                recipient.safeguards,
                agreement.reference if agreement else None,
                expires.isoformat() if expires else None,
                assessment.reference if assessment else None,
            )
        )
    every_category = tuple(c.id for c in policy.categories)
    for location in policy.processing_locations:
        scope = _scope(location.country, location.province)
        if scope is None:
            continue
        rows.append(
            CrossBorderRow(
                HolderKind.PROCESSING_LOCATION,
                location.id,
                location.description.in_language(language),
                location.processor,
                location.country,
                location.province,
                scope,
                location.categories or every_category,
                location.purposes,
                location.safeguards.in_language(language) if location.safeguards else None,
            )
        )
    return tuple(rows)


def rows_to_csv(rows: Iterable[CrossBorderRow]) -> str:
    """CSV text (header :data:`CSV_FIELDS`; lists joined with ``;``)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        flat = row.to_dict()
        for key in ("categories", "purposes"):
            value = flat[key]
            assert isinstance(value, list)
            flat[key] = ";".join(value)
        writer.writerow({k: "" if v is None else v for k, v in flat.items()})
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class SubjectTransfer:
    """Categories of one subject processed or stored by one holder outside Québec."""

    subject_id: str
    holder_id: str
    scope: Scope
    country: str
    categories: tuple[str, ...]


def subjects_outside(
    rows: Iterable[CrossBorderRow], subjects: Iterable[tuple[str, Iterable[str]]]
) -> Iterator[SubjectTransfer]:
    """For each ``(subject id, categories on file)``, the holders outside Québec that may process
    some of them. Streams: one subject at a time."""
    table = tuple(rows)
    for subject_id, categories in subjects:
        on_file = frozenset(categories)
        for row in table:
            shared = tuple(c for c in row.categories if c in on_file)
            if shared:
                yield SubjectTransfer(subject_id, row.holder_id, row.scope, row.country, shared)


__all__ = [
    "CSV_FIELDS",
    "CrossBorderRow",
    "HolderKind",
    "Scope",
    "SubjectTransfer",
    "cross_border_rows",
    "rows_to_csv",
    "subjects_outside",
]
