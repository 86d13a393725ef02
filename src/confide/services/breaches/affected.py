"""An uploaded list of the people an incident affected, matched the way requests are: one
identifier a line, normalized, looked up; a line that names nobody, or more than one person,
refuses the whole list (each such line is named, never its value).

Lines are first read and normalized, then looked up in bulk (one query per kind of identifier
and 900 values): a supplier's list of 100,000 accounts is a few hundred queries, not 200,000.
"""

from __future__ import annotations

from confide.domain.breaches.model import UnmatchedLines
from confide.domain.errors import FieldProblem, ValidationFailed
from confide.domain.subjects import IdentifierKind
from confide.services.ports.store import UnitOfWork
from confide.services.validation import normalize_identifier

MAX_LINES = 200_000
REF = "ref"
"""The prefix of a line naming the company's own id of the person (``external_ref``)."""

_KINDS = {k.value: k for k in IdentifierKind}
Key = tuple[IdentifierKind, str]


def _read(line: str, where: str) -> tuple[list[Key], list[str], FieldProblem | None]:
    """What a line may name: identifiers and company ids to look up (a bare value is tried as
    every identifier it normalizes to, and as the company's own id)."""
    head, sep, rest = line.partition(":")
    kind_name = head.strip().lower()
    if sep and kind_name == REF:
        return [], [rest.strip()], None
    if sep and kind_name in _KINDS:
        value, problem = normalize_identifier(_KINDS[kind_name], rest, where)
        if problem is not None or value is None:
            return [], [], problem
        return [(_KINDS[kind_name], value)], [], None
    keys = []
    for kind in IdentifierKind:
        value, problem = normalize_identifier(kind, line, where)
        if problem is None and value is not None:
            keys.append((kind, value))
    return keys, [line.strip()], None


def parse_list(uow: UnitOfWork, text: str) -> list[str]:
    """The subject ids the list names, in its order (a person named twice, once). Lines are
    ``kind:value`` (``email``, ``phone``, ``account``, ``employee_number``, ``ref``) or a bare
    value; blank lines and lines starting with ``#`` are skipped."""
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ValidationFailed.single("list", f"has more than {MAX_LINES} lines")
    problems: list[FieldProblem] = []
    wanted: list[tuple[str, list[Key], list[str]]] = []
    for number, line in enumerate(lines, start=1):
        raw = line.strip().lstrip("\ufeff")
        if not raw or raw.startswith("#"):
            continue
        where = f"line {number}"
        keys, refs, problem = _read(raw, where)
        if problem is not None:
            problems.append(problem)
        else:
            wanted.append((where, keys, refs))
    if not wanted and not problems:
        raise ValidationFailed.single("list", "names no one (one identifier a line)")
    by_key = uow.subjects.ids_by_identifier({k for _, keys, _ in wanted for k in keys})
    by_ref = uow.subjects.ids_by_external_ref({r for _, _, refs in wanted for r in refs})
    found: dict[str, None] = {}
    for where, keys, refs in wanted:
        candidates = {by_key[k] for k in keys if k in by_key} | {
            by_ref[r] for r in refs if r in by_ref
        }
        if not candidates:
            problems.append(FieldProblem(where, "matches no one Confide knows"))
        elif len(candidates) > 1:
            problems.append(
                FieldProblem(
                    where,
                    f"matches {len(candidates)} people",
                    "prefix the value with its kind, e.g. email: or account:",
                )
            )
        else:
            found[next(iter(candidates))] = None
    if problems:
        problems.sort(key=lambda p: int(p.location.split()[-1]))
        raise UnmatchedLines(problems)
    return list(found)
