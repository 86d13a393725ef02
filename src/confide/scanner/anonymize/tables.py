"""k-anonymity and l-diversity of a table, and generalization until a target k is met.

Rows are mappings of column name to string. Each quasi-identifier is generalized along a
hierarchy of levels (level 0 is the value itself, the last level is ``*``); the column
whose values are most varied is generalized one level at a time until every group of
rows sharing the same quasi-identifiers has at least k rows.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from confide.scanner.errors import AnonymityTargetUnreachable, UnknownColumn

Row = Mapping[str, str]
Hierarchy = Callable[[str, int], str]  # (value, level) -> generalized value
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")


def postal_code_hierarchy(value: str, level: int) -> str:
    """H2X 1Y4 -> H2X1Y4 -> H2X -> H2 -> H -> *"""
    compact = value.replace(" ", "").upper()
    keep = (6, 3, 2, 1, 0)[min(level, 4)]
    return compact[:keep] if keep else "*"


def date_hierarchy(value: str, level: int) -> str:
    """1985-03-12 -> 1985-03 -> 1985 -> 1980s -> *"""
    m = _DATE.match(value)
    if level == 0:
        return value
    if not m or level >= 4:
        return "*"
    year, month = m.group(1), m.group(2)
    return (f"{year}-{month}", year, f"{year[:3]}0s")[level - 1]


def number_hierarchy(value: str, level: int) -> str:
    """42 -> 40-44 -> 40-49 -> 0-99 -> *"""
    if level == 0:
        return value
    try:
        n = int(float(value))
    except ValueError:
        return "*"
    widths = (5, 10, 100)
    if level > len(widths):
        return "*"
    w = widths[level - 1]
    lo = n - n % w
    return f"{lo}-{lo + w - 1}"


def suppress_hierarchy(value: str, level: int) -> str:
    return value if level == 0 else "*"


def levels_of(hierarchy: Hierarchy) -> int:
    """Number of the top level (always ``*``) of a hierarchy."""
    tops: dict[Hierarchy, int] = {postal_code_hierarchy: 5, date_hierarchy: 4, number_hierarchy: 4}
    return tops.get(hierarchy, 1)


@dataclass(frozen=True)
class AnonymityReport:
    k: int  # size of the smallest group of rows sharing the quasi-identifiers
    l_diversity: int | None  # fewest distinct sensitive values in a group (None: none asked)
    groups: int
    levels: Mapping[str, int]  # generalization level reached per quasi-identifier


def _check_columns(rows: Sequence[Row], columns: Sequence[str]) -> None:
    if rows:
        for c in columns:
            if c not in rows[0]:
                raise UnknownColumn(c)


def measure(
    rows: Sequence[Row],
    quasi: Sequence[str],
    sensitive: str | None = None,
    levels: Mapping[str, int] | None = None,
) -> AnonymityReport:
    """k (and l for ``sensitive``) of the table as it is."""
    _check_columns(rows, [*quasi, *([sensitive] if sensitive else [])])
    groups: dict[tuple[str, ...], list[Row]] = defaultdict(list)
    for row in rows:
        groups[tuple(row[q] for q in quasi)].append(row)
    k = min((len(g) for g in groups.values()), default=0)
    l_div = None
    if sensitive is not None:
        l_div = min((len({r[sensitive] for r in g}) for g in groups.values()), default=0)
    return AnonymityReport(k, l_div, len(groups), dict(levels or dict.fromkeys(quasi, 0)))


def generalize(
    rows: Sequence[Row], levels: Mapping[str, int], hierarchies: Mapping[str, Hierarchy]
) -> list[dict[str, str]]:
    """The rows with each quasi-identifier generalized to its level."""
    out = []
    for row in rows:
        new = dict(row)
        for column, level in levels.items():
            new[column] = hierarchies[column](row[column], level)
        out.append(new)
    return out


def anonymize_table(
    rows: Sequence[Row],
    quasi: Sequence[str],
    k: int,
    hierarchies: Mapping[str, Hierarchy] | None = None,
    sensitive: str | None = None,
) -> tuple[list[dict[str, str]], AnonymityReport]:
    """Generalize quasi-identifiers, most varied first, until the table is k-anonymous."""
    _check_columns(rows, quasi)
    chosen = {q: (hierarchies or {}).get(q, suppress_hierarchy) for q in quasi}
    levels = dict.fromkeys(quasi, 0)
    current = [dict(r) for r in rows]
    while True:
        report = measure(current, quasi, sensitive, levels)
        if report.k >= k:
            return current, report
        open_columns = [q for q in quasi if levels[q] < levels_of(chosen[q])]
        if not open_columns:
            raise AnonymityTargetUnreachable(k, report.k)
        variety = {q: len(Counter(r[q] for r in current)) for q in open_columns}
        column = max(open_columns, key=lambda q: (variety[q], -quasi.index(q)))
        levels[column] += 1
        current = generalize(rows, levels, chosen)
