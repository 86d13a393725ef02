"""A product policy adds to or tightens the main policy, never weakens it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from confide.policy.checks.base import CheckContext, Finding
from confide.policy.merge import collections, item_key, overlay_rules
from confide.policy.strictness import (
    Loosening,
    looser_category,
    looser_exception,
    looser_purpose,
    looser_recipient,
    looser_retention,
    looser_rules,
    rule_of_value,
)

_COMPARERS: dict[str, Callable[[Any, Any], list[Loosening]]] = {
    "purposes": looser_purpose,
    "categories": looser_category,
    "retention": looser_retention,
    "recipient_classes": looser_recipient,
    "exceptions": looser_exception,
}


def product_weakens_main(ctx: CheckContext) -> Iterator[Finding]:
    main_items = collections(ctx.main)
    for sourced in ctx.products:
        product = sourced.product
        if product.extends != ctx.main.id:
            yield Finding(
                (sourced.source, ("extends",)),
                f"product policy '{product.id}' extends '{product.extends}', "
                f"not this policy ('{ctx.main.id}')",
                f"set 'extends: {ctx.main.id}'",
            )
        for name, items in collections(product).items():
            compare = _COMPARERS.get(name)
            if compare is None:
                continue
            originals = {item_key(name, item): item for item in main_items[name]}
            for index, item in enumerate(items):
                original = originals.get(item_key(name, item))
                if original is None:
                    continue
                for field, explanation in compare(item, original):
                    yield Finding(
                        (sourced.source, (name, index, field)),
                        f"product policy '{product.id}' weakens {name} "
                        f"'{item_key(name, item)}': {explanation}",
                        "a product policy may only tighten the main policy; keep the main "
                        "policy's value or a stricter one",
                        key=True,
                    )
        tightened = overlay_rules(ctx.main.rules, product)
        for field, explanation in looser_rules(tightened, ctx.main.rules):
            yield Finding(
                (sourced.source, ("rules", *field.split("."))),
                f"product policy '{product.id}' relaxes rules.{field}: {explanation}",
                "a product policy may only tighten legal rule values",
                rule=rule_of_value(field),
            )
