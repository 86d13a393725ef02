"""Every id a policy refers to is declared (category, purpose, channel, exception, ...)."""

from __future__ import annotations

from collections.abc import Iterator

from confide.domain.policy import CONSENT_BASES, IMPLIED_CONSENT_EVENTS, Policy
from confide.policy.checks.base import CheckContext, Finding
from confide.policy.merge import Where, retention_key


def _declared(policy: Policy, name: str) -> set[str]:
    return {item.id for item in getattr(policy, name)}


def unknown_references(ctx: CheckContext) -> Iterator[Finding]:
    policy, origins = ctx.policy, ctx.origins
    ids = {
        name: _declared(policy, name)
        for name in (
            "categories",
            "purposes",
            "channels",
            "exceptions",
            "subject_types",
            "collection_sources",
        )
    }

    def check(
        where: Where, kind: str, collection: str, refs: tuple[str, ...] | str | None
    ) -> Iterator[Finding]:
        values = (refs,) if isinstance(refs, str) else (refs or ())
        for index, ref in enumerate(values):
            if ref not in ids[collection]:
                source, path = where
                at = (source, (*path, index)) if not isinstance(refs, str) else where
                known = ", ".join(sorted(ids[collection])) or "none declared"
                yield Finding(
                    at,
                    f"unknown {kind} '{ref}'",
                    f"declare it under '{collection}:' or use one of: {known}",
                )

    for subject in policy.subject_types:
        if subject.acts_for is not None:
            where = origins.item("subject_types", subject.id, "acts_for")
            yield from check(where, "subject type", "subject_types", subject.acts_for)
    for category in policy.categories:
        where = origins.item("categories", category.id, "sources")
        yield from check(where, "collection source", "collection_sources", category.sources)
    for exclusion in policy.exclusions:
        where = origins.item("exclusions", exclusion.id, "categories")
        yield from check(where, "category", "categories", exclusion.categories)
    for purpose in policy.purposes:
        item = origins.item("purposes", purpose.id)
        source, path = item
        yield from check(
            (source, (*path, "categories")), "category", "categories", purpose.categories
        )
        yield from check((source, (*path, "channels")), "channel", "channels", purpose.channels)
        yield from check(
            (source, (*path, "subject_types")),
            "subject type",
            "subject_types",
            purpose.subject_types,
        )
        for index, trigger in enumerate(purpose.implied_by):
            if trigger.event not in IMPLIED_CONSENT_EVENTS:
                yield Finding(
                    (source, (*path, "implied_by", index, "event")),
                    f"unknown implied-consent event '{trigger.event}'",
                    "use one of: " + ", ".join(sorted(IMPLIED_CONSENT_EVENTS)),
                    rule="CON-2",
                )
    bases = CONSENT_BASES | ids["exceptions"]
    for recipient in policy.recipient_classes:
        source, path = origins.item("recipient_classes", recipient.id)
        yield from check(
            (source, (*path, "categories")), "category", "categories", recipient.categories
        )
        yield from check((source, (*path, "purposes")), "purpose", "purposes", recipient.purposes)
        for index, basis in enumerate(recipient.bases):
            if basis not in bases:
                yield Finding(
                    (source, (*path, "bases", index)),
                    f"unknown legal basis '{basis}'",
                    "use consent, express_consent, implied_consent or a declared exception: "
                    + ", ".join(sorted(ids["exceptions"])),
                    rule="DIS-1",
                )
    for rule in policy.retention:
        source, path = origins.item("retention", retention_key(rule))
        yield from check((source, (*path, "category")), "category", "categories", rule.category)
        if rule.purpose is not None:
            yield from check((source, (*path, "purpose")), "purpose", "purposes", rule.purpose)
    for location in policy.processing_locations:
        source, path = origins.item("processing_locations", location.id)
        yield from check((source, (*path, "purposes")), "purpose", "purposes", location.purposes)
        yield from check(
            (source, (*path, "categories")), "category", "categories", location.categories
        )
