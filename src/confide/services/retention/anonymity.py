"""Re-identification analysis of the anonymized records a run keeps (RET-3).

The rows kept for a category are its quasi-identifiers (as the rule names them) and its
value with every personal information the scanner finds replaced by its type (an irreversible
operator). Before anything is kept, the quasi-identifiers are generalized (province to region
to ``*``, a month to its year to its decade ...) until every group of rows sharing them holds
at least ``k`` rows with at least ``l`` distinct values; groups still too small when the
generalization can go no further are *suppressed*: their records are deleted, not kept. The
table that is written therefore meets the rule's k and l, and the plan says how many were
suppressed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from confide.domain.policy import Anonymization
from confide.scanner.anonymize.tables import (
    Hierarchy,
    date_hierarchy,
    generalize,
    levels_of,
    suppress_hierarchy,
)

SUPPRESSION_LIMIT = 0.05
"""Generalize further while more than this share of the rows would be suppressed."""

REGIONS = {
    "BC": "West",
    "AB": "West",
    "SK": "Prairies",
    "MB": "Prairies",
    "ON": "Ontario",
    "QC": "Quebec",
    "NB": "Atlantic",
    "NS": "Atlantic",
    "PE": "Atlantic",
    "NL": "Atlantic",
    "YT": "North",
    "NT": "North",
    "NU": "North",
}


def province_hierarchy(value: str, level: int) -> str:
    """QC -> Quebec (region) -> *"""
    if level == 0:
        return value
    if level == 1:
        return REGIONS.get(value, "*")
    return "*"


def _top(h: Hierarchy) -> int:
    return 2 if h is province_hierarchy else levels_of(h)


HIERARCHIES: Mapping[str, Hierarchy] = {
    "province": province_hierarchy,
    "subject_type": suppress_hierarchy,
    "birth_year": date_hierarchy,
    "collected_month": date_hierarchy,
    "system": suppress_hierarchy,
}


def _first_level(column: str) -> int:
    # Dates are stored as the first day of their year or month: start at that granularity.
    return {"birth_year": 2, "collected_month": 1}.get(column, 0)


@dataclass(frozen=True)
class AnonymityPlan:
    levels: dict[str, int]
    k: int
    l_diversity: int
    kept: int
    suppressed: tuple[str, ...]
    """Ids of records whose group stays below k or l: deleted instead of kept."""


def plan_anonymity(rows: Sequence[Mapping[str, str]], settings: Anonymization) -> AnonymityPlan:
    """Levels of generalization and the records to suppress so that the kept table meets
    ``settings.k`` and ``settings.l`` over ``settings.quasi_identifiers``."""
    quasi = list(settings.quasi_identifiers)
    sensitive = settings.sensitive
    levels = {q: _first_level(q) for q in quasi}
    while True:
        failing = _failing(rows, quasi, levels, settings.k, settings.l, sensitive)
        open_columns = [q for q in quasi if levels[q] < _top(HIERARCHIES[q])]
        if len(failing) <= SUPPRESSION_LIMIT * len(rows) or not open_columns:
            break
        variety = {
            q: len(Counter(HIERARCHIES[q](r[q], levels[q]) for r in rows)) for q in open_columns
        }
        column = max(open_columns, key=lambda q: (variety[q], -quasi.index(q)))
        levels[column] += 1
    suppressed = tuple(sorted(failing))
    kept_rows = [r for r in rows if r["id"] not in failing]
    k, l_div = _measure(kept_rows, quasi, levels, sensitive)
    return AnonymityPlan(levels, k, l_div, len(kept_rows), suppressed)


def anonymized_attributes(row: Mapping[str, str], plan_levels: Mapping[str, int]) -> dict[str, str]:
    """The quasi-identifiers of ``row`` as kept (generalized to the plan's levels)."""
    return generalize([{q: row[q] for q in plan_levels}], plan_levels, HIERARCHIES)[0]


def _groups(
    rows: Sequence[Mapping[str, str]], quasi: Sequence[str], levels: Mapping[str, int]
) -> dict[tuple[str, ...], list[Mapping[str, str]]]:
    groups: dict[tuple[str, ...], list[Mapping[str, str]]] = defaultdict(list)
    for r in rows:
        groups[tuple(HIERARCHIES[q](r[q], levels[q]) for q in quasi)].append(r)
    return groups


def _failing(
    rows: Sequence[Mapping[str, str]],
    quasi: Sequence[str],
    levels: Mapping[str, int],
    k: int,
    l_div: int,
    sensitive: str | None,
) -> set[str]:
    out: set[str] = set()
    for group in _groups(rows, quasi, levels).values():
        diverse = len({r[sensitive] for r in group}) if sensitive else len(group)
        if len(group) < k or diverse < l_div:
            out.update(r["id"] for r in group)
    return out


def _measure(
    rows: Sequence[Mapping[str, str]],
    quasi: Sequence[str],
    levels: Mapping[str, int],
    sensitive: str | None,
) -> tuple[int, int]:
    groups = _groups(rows, quasi, levels).values()
    k = min((len(g) for g in groups), default=0)
    if sensitive is None:
        return k, k
    return k, min((len({r[sensitive] for r in g}) for g in groups), default=0)
