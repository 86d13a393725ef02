"""Disclosures rest on the closed list of exceptions and respect DIS-4 and DIS-5."""

from __future__ import annotations

from collections.abc import Iterator

from confide.domain.policy import CLOSED_EXCEPTION_CODES
from confide.policy.checks.base import CheckContext, Finding

_NON_EXPRESS_CONSENT = {"consent", "implied_consent"}


def closed_exception_list(ctx: CheckContext) -> Iterator[Finding]:
    for exception in ctx.policy.exceptions:
        if exception.id not in CLOSED_EXCEPTION_CODES:
            yield Finding(
                ctx.origins.item("exceptions", exception.id, "id"),
                f"exception '{exception.id}' is not on the closed list of exceptions to consent",
                "use one of: " + ", ".join(sorted(CLOSED_EXCEPTION_CODES)),
                rule="DIS-2",
            )
        if exception.notify_individual and exception.notify_within_days is None:
            yield Finding(
                ctx.origins.item("exceptions", exception.id, "notify_individual"),
                f"exception '{exception.id}' notifies the individual but sets no deadline",
                "add 'notify_within_days:'",
                rule="DIS-2",
            )
    emergency = ctx.policy.exception("emergency")
    if emergency is not None and not emergency.notify_individual:
        yield Finding(
            ctx.origins.item("exceptions", "emergency", "id"),
            "a disclosure in an emergency must be followed by a written notice to the individual",
            "set 'notify_individual: true' and 'notify_within_days:'",
            rule="DIS-2",
        )


def telecom_basic_only_without_express(ctx: CheckContext) -> Iterator[Finding]:
    basic = {c.id for c in ctx.policy.categories if c.telecom_basic}
    for recipient in ctx.policy.recipient_classes:
        loose = _NON_EXPRESS_CONSENT.intersection(recipient.bases)
        if not loose:
            continue
        beyond = [c for c in recipient.categories if c not in basic]
        if beyond:
            yield Finding(
                ctx.origins.item("recipient_classes", recipient.id, "bases"),
                f"recipient class '{recipient.id}' may receive {', '.join(beyond)} on "
                f"{' or '.join(sorted(loose))}",
                "beyond name, address and listed number, telecom customer information needs "
                "express_consent or an exception",
                rule="DIS-5",
            )


def recipient_categories_within_purposes(ctx: CheckContext) -> Iterator[Finding]:
    """A recipient receives only categories its purposes may use (DIS-3)."""
    for recipient in ctx.policy.recipient_classes:
        purposes = [ctx.policy.purpose(p) for p in recipient.purposes]
        if not purposes or None in purposes:
            continue  # no purpose to compare with, or an unknown one (reported elsewhere)
        allowed = {c for purpose in purposes if purpose is not None for c in purpose.categories}
        for index, category in enumerate(recipient.categories):
            if category not in allowed and ctx.policy.category(category) is not None:
                source, path = ctx.origins.item("recipient_classes", recipient.id)
                yield Finding(
                    (source, (*path, "categories", index)),
                    f"recipient class '{recipient.id}' receives '{category}', which none of its "
                    "purposes uses",
                    "add the category to one of its purposes or remove it here",
                    rule="DIS-3",
                )


def safeguards_abroad(ctx: CheckContext) -> Iterator[Finding]:
    for location in ctx.policy.processing_locations:
        country = location.country
        if not (country == "*" or (len(country) == 2 and country.isalpha() and country.isupper())):
            yield Finding(
                ctx.origins.item("processing_locations", location.id, "country"),
                f"processing location '{location.id}': country '{country}' is not a "
                "two-letter code",
                "use an ISO 3166-1 alpha-2 code such as CA or US, or * for abroad",
            )
        if not location.outside_canada:
            continue
        if location.safeguards is None:
            yield Finding(
                ctx.origins.item("processing_locations", location.id),
                f"processing location '{location.id}' is outside Canada without safeguards",
                "add 'safeguards:' describing the recipient's protections (en and fr)",
                rule="DIS-4",
            )
        if not location.purposes:
            yield Finding(
                ctx.origins.item("processing_locations", location.id),
                f"processing location '{location.id}' is outside Canada and not limited to "
                "the company's purposes",
                "list the purposes processing abroad may serve under 'purposes:'",
                rule="DIS-4",
            )
