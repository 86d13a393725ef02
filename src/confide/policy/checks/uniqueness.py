"""Ids are unique within each collection of each file (a product reusing a main id overrides it)."""

from __future__ import annotations

from collections.abc import Iterator

from confide.policy.checks.base import CheckContext, Finding
from confide.policy.merge import collections, item_key


def duplicate_ids(ctx: CheckContext) -> Iterator[Finding]:
    for source, document in ctx.documents():
        for name, items in collections(document).items():
            first: dict[str, int] = {}
            for index, item in enumerate(items):
                key = item_key(name, item)
                if key in first:
                    what = "retention rule for" if name == "retention" else "id"
                    yield Finding(
                        (source, (name, index)),
                        f"{name}: duplicate {what} '{key}' (first declared as item "
                        f"{first[key] + 1})",
                        "ids must be unique within a section; rename or merge the two",
                    )
                else:
                    first[key] = index
