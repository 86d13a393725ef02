"""A purpose's consent footing is coherent (CON-2, CON-3, CON-6..10, CEM-1)."""

from __future__ import annotations

from collections.abc import Iterator

from confide.domain.policy import ConsentMode, Sensitivity, Text
from confide.policy.checks.base import CheckContext, Finding

_CONSENT = (ConsentMode.EXPRESS, ConsentMode.IMPLIED)


def express_without_method(ctx: CheckContext) -> Iterator[Finding]:
    for purpose in ctx.policy.purposes:
        if purpose.consent is ConsentMode.EXPRESS and not purpose.consent_methods:
            yield Finding(
                ctx.origins.item("purposes", purpose.id, "consent_methods"),
                f"purpose '{purpose.id}' needs express consent but lists no way to record it",
                "list at least one consent method: verbal, signed_document, checkbox, other_action",
                rule="CON-3",
            )


def implied_without_trigger(ctx: CheckContext) -> Iterator[Finding]:
    for purpose in ctx.policy.purposes:
        if purpose.consent is ConsentMode.IMPLIED and not purpose.implied_by:
            yield Finding(
                ctx.origins.item("purposes", purpose.id, "consent"),
                f"purpose '{purpose.id}' rests on implied consent but says nothing implies it",
                "add 'implied_by:' events (e.g. registration, purchase) or make it express",
                rule="CON-2",
            )
        elif purpose.consent is not ConsentMode.IMPLIED and purpose.implied_by:
            yield Finding(
                ctx.origins.item("purposes", purpose.id, "implied_by"),
                f"purpose '{purpose.id}' is {purpose.consent} but declares implied-consent events",
                "remove 'implied_by:' or make the purpose implied",
                rule="CON-2",
            )


def opt_out_coherent(ctx: CheckContext) -> Iterator[Finding]:
    for purpose in ctx.policy.purposes:
        fixed = purpose.consent in (ConsentMode.SERVICE_ESSENTIAL, ConsentMode.LEGAL_OBLIGATION)
        if fixed and purpose.opt_out_allowed:
            yield Finding(
                ctx.origins.item("purposes", purpose.id, "consent"),
                f"purpose '{purpose.id}' is {purpose.consent} but allows opting out",
                "set 'opt_out_allowed: false' (ending the service is the way out, CON-6)",
                rule="CON-6",
            )
        if purpose.gpc_opt_out and not purpose.opt_out_allowed:
            yield Finding(
                ctx.origins.item("purposes", purpose.id, "gpc_opt_out"),
                f"purpose '{purpose.id}' maps Global Privacy Control to an opt-out it forbids",
                "allow opting out, or remove 'gpc_opt_out'",
                rule="CON-10",
            )
        if purpose.privacy_by_default_off and purpose.consent is not ConsentMode.EXPRESS:
            yield Finding(
                ctx.origins.item("purposes", purpose.id, "privacy_by_default_off"),
                f"purpose '{purpose.id}' is off by default but does not ask express consent",
                "a feature that starts off is turned on by an express choice: "
                "set 'consent: express'",
                rule="CON-9",
            )


def sensitive_needs_express(ctx: CheckContext) -> Iterator[Finding]:
    high = {c.id for c in ctx.policy.categories if c.sensitivity is Sensitivity.HIGH}
    for purpose in ctx.policy.purposes:
        if purpose.consent is ConsentMode.IMPLIED:
            for index, category in enumerate(purpose.categories):
                if category in high:
                    source, path = ctx.origins.item("purposes", purpose.id)
                    yield Finding(
                        (source, (*path, "categories", index)),
                        f"purpose '{purpose.id}' uses sensitive category '{category}' "
                        "on implied consent",
                        "sensitive information needs express consent: make the purpose "
                        "express or drop the category",
                        rule="CON-8",
                    )


def plain_language(ctx: CheckContext) -> Iterator[Finding]:
    for purpose in ctx.policy.purposes:
        if _blank(purpose.description):
            yield Finding(
                ctx.origins.item("purposes", purpose.id, "description"),
                f"purpose '{purpose.id}' needs a plain-language description in English and French",
                "fill both 'en:' and 'fr:'",
                rule="CON-7",
            )


def _blank(text: Text) -> bool:
    return not text.en.strip() or not text.fr.strip()


def casl_windows(ctx: CheckContext) -> Iterator[Finding]:
    """Implied consent to electronic marketing lasts no longer than CASL allows."""
    rules = ctx.policy.rules
    electronic = {c.id for c in ctx.policy.channels if c.electronic}
    limits_days = {
        "purchase": rules.casl_purchase_window_days,
        "contract_end": rules.casl_contract_end_window_days,
        "contract_start": rules.casl_contract_end_window_days,
    }
    for purpose in ctx.policy.purposes:
        if not (purpose.marketing and electronic.intersection(purpose.channels)):
            continue
        if purpose.consent not in _CONSENT:
            yield Finding(
                ctx.origins.item("purposes", purpose.id, "consent"),
                f"marketing purpose '{purpose.id}' on electronic channels must rest on consent",
                "use 'consent: implied' with CASL windows, or 'consent: express'",
                rule="CEM-1",
            )
        for index, trigger in enumerate(purpose.implied_by):
            where = ctx.origins.item("purposes", purpose.id, "implied_by", index)
            if trigger.event == "inquiry":
                months = rules.casl_inquiry_window_months
                too_long = (
                    trigger.window_months is not None and trigger.window_months > months
                ) or (trigger.window_days is not None and trigger.window_days > months * 28)
                limit = f"{months} months"
            elif trigger.event in limits_days:
                days = limits_days[trigger.event]
                too_long = (trigger.window_days is not None and trigger.window_days > days) or (
                    trigger.window_months is not None and trigger.window_months * 31 > days
                )
                limit = f"{days} days"
            else:
                yield Finding(
                    where,
                    f"marketing purpose '{purpose.id}' infers consent from '{trigger.event}', "
                    "which CASL does not recognise",
                    "use purchase, contract_end or inquiry for electronic marketing",
                    rule="CEM-1",
                )
                continue
            unlimited = trigger.window_days is None and trigger.window_months is None
            if unlimited or too_long:
                yield Finding(
                    where,
                    f"implied consent after '{trigger.event}' for '{purpose.id}' exceeds the "
                    f"CASL window of {limit}",
                    f"set a window of at most {limit}",
                    rule="CEM-1",
                )


def trigger_windows(ctx: CheckContext) -> Iterator[Finding]:
    for purpose in ctx.policy.purposes:
        for index, trigger in enumerate(purpose.implied_by):
            where = ctx.origins.item("purposes", purpose.id, "implied_by", index)
            if trigger.window_days is not None and trigger.window_months is not None:
                yield Finding(
                    where,
                    f"implied consent after '{trigger.event}' for '{purpose.id}' has both "
                    "window_days and window_months",
                    "keep one of them",
                    rule="CON-2",
                )
            if any(w is not None and w <= 0 for w in (trigger.window_days, trigger.window_months)):
                yield Finding(
                    where,
                    f"implied consent after '{trigger.event}' for '{purpose.id}' has an empty "
                    "window",
                    "a window is a positive number; leave it out for 'while the relationship "
                    "lasts'",
                    rule="CON-2",
                )


def marketing_channels(ctx: CheckContext) -> Iterator[Finding]:
    for purpose in ctx.policy.purposes:
        if purpose.marketing and not purpose.channels:
            yield Finding(
                ctx.origins.item("purposes", purpose.id, "marketing"),
                f"marketing purpose '{purpose.id}' names no channel",
                "list its channels: consent and opt-outs are recorded per channel",
                rule="CON-1",
            )
        elif purpose.channels and not purpose.marketing:
            yield Finding(
                ctx.origins.item("purposes", purpose.id, "channels"),
                f"purpose '{purpose.id}' has marketing channels but is not a marketing purpose",
                "set 'marketing: true' or remove 'channels:'",
            )
