"""An uploaded list of the people an incident affected, matched the way requests are: one
identifier a line, normalized, looked up; a line that names nobody, or more than one person,
refuses the whole list (each such line is named, never its value)."""

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


def _candidates(uow: UnitOfWork, raw: str) -> set[str]:
    """The subjects a bare value could name: as any identifier it normalizes to, or as the
    company's own id."""
    found: set[str] = set()
    for kind in IdentifierKind:
        value, problem = normalize_identifier(kind, raw, "line")
        if problem is None and value is not None:
            subject = uow.subjects.find_by_identifier(kind, value)
            if subject is not None:
                found.add(subject.id)
    subject = uow.subjects.find_by_external_ref(raw.strip())
    if subject is not None:
        found.add(subject.id)
    return found


def parse_list(uow: UnitOfWork, text: str) -> list[str]:
    """The subject ids the list names, in its order (a person named twice, once). Lines are
    ``kind:value`` (``email``, ``phone``, ``account``, ``employee_number``, ``ref``) or a bare
    value; blank lines and lines starting with ``#`` are skipped."""
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ValidationFailed.single("list", f"has more than {MAX_LINES} lines")
    problems: list[FieldProblem] = []
    found: dict[str, None] = {}
    seen_any = False
    for number, line in enumerate(lines, start=1):
        raw = line.strip().lstrip("\ufeff")
        if not raw or raw.startswith("#"):
            continue
        seen_any = True
        where = f"line {number}"
        head, sep, rest = raw.partition(":")
        kind_name = head.strip().lower()
        if sep and (kind_name in _KINDS or kind_name == REF):
            if kind_name == REF:
                subject = uow.subjects.find_by_external_ref(rest.strip())
                candidates = {subject.id} if subject else set()
            else:
                value, problem = normalize_identifier(_KINDS[kind_name], rest, where)
                if problem is not None:
                    problems.append(problem)
                    continue
                assert value is not None
                subject = uow.subjects.find_by_identifier(_KINDS[kind_name], value)
                candidates = {subject.id} if subject else set()
        else:
            candidates = _candidates(uow, raw)
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
        raise UnmatchedLines(problems)
    if not seen_any:
        raise ValidationFailed.single("list", "names no one (one identifier a line)")
    return list(found)
