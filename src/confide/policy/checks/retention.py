"""Every category has a retention rule, with a minimum no longer than its maximum (RET-1)."""

from __future__ import annotations

from collections.abc import Iterator

from confide.policy.checks.base import CheckContext, Finding
from confide.policy.merge import retention_key


def category_without_retention(ctx: CheckContext) -> Iterator[Finding]:
    covered = {rule.category for rule in ctx.policy.retention if rule.purpose is None}
    for category in ctx.policy.categories:
        if category.id not in covered:
            yield Finding(
                ctx.origins.item("categories", category.id),
                f"category '{category.id}' has no retention rule",
                f"add a rule under 'retention:' with 'category: {category.id}', "
                "min_days, max_days, counted_from, disposal and reason",
                rule="RET-1",
            )


def retention_bounds(ctx: CheckContext) -> Iterator[Finding]:
    for rule in ctx.policy.retention:
        key = retention_key(rule)
        if rule.min_days < 0 or rule.max_days < 0:
            yield Finding(
                ctx.origins.item("retention", key, "min_days" if rule.min_days < 0 else "max_days"),
                f"retention of '{key}': days cannot be negative",
                "write 0 or a positive number of days",
                rule="RET-1",
            )
        elif rule.min_days > rule.max_days:
            yield Finding(
                ctx.origins.item("retention", key, "min_days"),
                f"retention of '{key}': min_days ({rule.min_days}) is greater than "
                f"max_days ({rule.max_days})",
                "the minimum must not exceed the maximum",
                rule="RET-1",
            )
