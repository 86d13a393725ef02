"""Every category has a retention rule, with a minimum no longer than its maximum (RET-1); an
anonymizing rule says how re-identification is prevented (RET-3)."""

from __future__ import annotations

from collections.abc import Iterator

from confide.domain.policy import ANONYMIZATION_ATTRIBUTES, DisposalMethod
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


def anonymization_settings(ctx: CheckContext) -> Iterator[Finding]:
    """An anonymizing rule names what re-identification is analysed over (RET-3): its
    quasi-identifiers, k and l; no other rule has such settings."""
    for rule in ctx.policy.retention:
        key = retention_key(rule)
        settings = rule.anonymization
        if rule.disposal is DisposalMethod.ANONYMIZE and settings is None:
            yield Finding(
                ctx.origins.item("retention", key, "disposal"),
                f"retention of '{key}' anonymizes without saying how re-identification is "
                "prevented",
                "add 'anonymization:' with quasi_identifiers (of "
                + ", ".join(sorted(ANONYMIZATION_ATTRIBUTES))
                + "), k (at least 2) and l",
                rule="RET-3",
            )
            continue
        if settings is None:
            continue
        where = ctx.origins.item("retention", key, "anonymization")
        if rule.disposal is not DisposalMethod.ANONYMIZE:
            yield Finding(
                where,
                f"retention of '{key}' has anonymization settings but disposes by "
                f"{rule.disposal.value}",
                "remove 'anonymization:' or make the disposal 'anonymize'",
                rule="RET-3",
            )
        unknown = [q for q in settings.quasi_identifiers if q not in ANONYMIZATION_ATTRIBUTES]
        if (
            not settings.quasi_identifiers
            or unknown
            or len(set(settings.quasi_identifiers)) < len(settings.quasi_identifiers)
        ):
            yield Finding(
                where,
                f"retention of '{key}': quasi_identifiers must name, once each, some of "
                + ", ".join(sorted(ANONYMIZATION_ATTRIBUTES))
                + (f" (not {', '.join(unknown)})" if unknown else ""),
                "list the attributes the anonymized records keep",
                rule="RET-3",
            )
        if settings.k < 2 or settings.l < 1 or settings.l > settings.k:
            yield Finding(
                where,
                f"retention of '{key}': k must be at least 2 and l between 1 and k "
                f"(k={settings.k}, l={settings.l})",
                "k is the smallest group kept, l the fewest distinct values in a group",
                rule="RET-3",
            )
        if settings.sensitive not in (None, "value"):
            yield Finding(
                where,
                f"retention of '{key}': sensitive may only be 'value'",
                "l-diversity is measured over the anonymized value",
                rule="RET-3",
            )
