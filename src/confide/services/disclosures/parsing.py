"""Input parsing: the evidence of an exception given by field name, and bulk CSV files.

Bad input raises ``ValidationFailed`` naming the field or line, never the values."""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from confide.domain.disclosure.exceptions import REGISTRY, Evidence, rule_for
from confide.domain.disclosure.history import COLUMNS, REQUIRED
from confide.domain.errors import FieldProblem, ValidationFailed
from confide.services.disclosures.models import BulkLine

# --- evidence and bulk files ----------------------------------------------------------------

_EVIDENCE_TYPES: dict[str, type[Evidence]] = {
    r.evidence_kind: r.evidence_type for r in REGISTRY.values()
}
_TRUE = {"true", "yes", "1", "y", "oui"}
_FALSE = {"false", "no", "0", "n", "non"}


class EvidenceReader:
    """Builds the evidence of one exception code from fields given by name (JSON, CLI, CSV).

    A required field left out becomes blank, so the rules refuse it (``evidence_missing``)
    rather than the input being an error; a field no evidence has is an error.
    """

    def __init__(self, code: str) -> None:
        self.code = code
        self.rule = rule_for(code)  # UnknownExceptionCode off the closed list

    def names(self, kind: str | None = None) -> tuple[str, ...]:
        etype = self._type(kind)
        return tuple(f.name for f in dataclasses.fields(etype))

    def _type(self, kind: str | None) -> type[Evidence]:
        if kind is None:
            return self.rule.evidence_type
        etype = _EVIDENCE_TYPES.get(kind)
        if etype is None:
            raise ValidationFailed.single(
                "evidence.kind", "is not a kind of evidence", ", ".join(sorted(_EVIDENCE_TYPES))
            )
        return etype

    def build(self, given: Mapping[str, object] | None) -> Evidence | None:
        if not given:
            return None
        values = {k: v for k, v in given.items() if v is not None and v != ""}
        kind = values.pop("kind", None)
        etype = self._type(str(kind) if kind is not None else None)
        fields, names = _evidence_fields(etype)
        if "reference" in values:
            values.setdefault(fields[0].name, values.pop("reference"))
        if not names.issuperset(values):
            raise ValidationFailed(
                "evidence: fields the evidence does not have",
                [
                    FieldProblem(
                        f"evidence.{n}",
                        "is not a field of this evidence",
                        ", ".join(f.name for f in fields),
                    )
                    for n in sorted(set(values) - names)
                ],
            )
        if not values:
            return None
        kwargs: dict[str, Any] = {}
        for f in fields:
            if f.name in values:
                kwargs[f.name] = _convert(f, values[f.name])
            elif f.default is dataclasses.MISSING:
                kwargs[f.name] = None if f.type in ("bool", bool) else ""
        return etype(**kwargs)


_FIELDS: dict[type[Evidence], tuple[tuple[dataclasses.Field[Any], ...], frozenset[str]]] = {}


def _evidence_fields(
    etype: type[Evidence],
) -> tuple[tuple[dataclasses.Field[Any], ...], frozenset[str]]:
    found = _FIELDS.get(etype)
    if found is None:
        fields = dataclasses.fields(etype)
        found = _FIELDS[etype] = (fields, frozenset(f.name for f in fields))
    return found


def _convert(f: dataclasses.Field[Any], value: object) -> object:
    if f.type in ("bool", bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValidationFailed.single(f"evidence.{f.name}", "must be true or false")
    if f.type in ("str | None",) and value is None:
        return None
    return str(value).strip()


def read_bulk_csv(lines: Iterable[str]) -> Iterator[BulkLine]:
    """The rows of a bulk file: a CSV with a ``subject_id`` column and, optionally, evidence
    columns (``reference`` or the evidence's own field names, e.g. ``debt_reference``).

    Raises ``ValidationFailed`` for a file without a header or a ``subject_id`` column, and
    for a row without a subject id (naming the line, never the values)."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise ValidationFailed.single("file", "is empty: a header with subject_id is required")
    names = [h.strip().lower() for h in header]
    if "subject_id" not in names:
        raise ValidationFailed.single(
            "file", "has no subject_id column", "header: subject_id[,reference,...]"
        )
    at = names.index("subject_id")
    others = [(i, n) for i, n in enumerate(names) if i != at and n]
    for number, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        sid = row[at].strip() if at < len(row) else ""
        if not sid:
            raise ValidationFailed.single(f"line {number}", "has no subject_id")
        cells = {n: row[i].strip() for i, n in others if i < len(row) and row[i].strip()}
        yield BulkLine(number, sid, cells)


def read_history_csv(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a historical-disclosures file (see ``domain.disclosure.history.COLUMNS``):
    (line number, cells by column). A file without a header or a required column raises
    ``ValidationFailed`` naming the columns; blank rows are skipped."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise ValidationFailed.single("file", "is empty: a header is required", ",".join(COLUMNS))
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise ValidationFailed(
            "file: required columns are missing",
            [FieldProblem(f"file.{c}", "column is missing", ",".join(COLUMNS)) for c in missing],
        )
    unknown = [n for n in names if n and n not in COLUMNS]
    if unknown:
        raise ValidationFailed(
            "file: unknown columns",
            [FieldProblem(f"file.{n}", "is not a column", ",".join(COLUMNS)) for n in unknown],
        )
    for number, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        yield number, {n: row[i] for i, n in enumerate(names) if n and i < len(row)}
