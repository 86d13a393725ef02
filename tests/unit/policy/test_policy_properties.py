"""Properties of diff and merge over many policy variations (Hypothesis)."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from confide.domain.policy import LegalRules, Policy, ProductPolicy, Text
from confide.policy import diff
from confide.policy.checks import CheckContext, SourcedProduct
from confide.policy.checks.weakening import product_weakens_main
from confide.policy.merge import merge

SECTIONS = ("purposes", "recipient_classes", "categories", "exceptions", "channels")


@st.composite
def trimmed(draw: st.DrawFn, policy: Policy) -> Policy:
    """The policy with a random subset of items removed from a few sections."""
    changes: dict[str, Any] = {}
    for name in SECTIONS:
        items = getattr(policy, name)
        keep = draw(st.lists(st.booleans(), min_size=len(items), max_size=len(items)))
        changes[name] = tuple(item for item, kept in zip(items, keep, strict=True) if kept)
    return dataclasses.replace(policy, **changes)


def _policy() -> Policy:
    from confide.policy import load_policy

    return load_policy().policy


POLICY = _policy()


@settings(max_examples=60, deadline=None)
@given(trimmed(POLICY))
def test_diff_reports_exactly_the_removed_items_and_reverse_adds_them(smaller: Policy) -> None:
    forward, backward = diff(POLICY, smaller), diff(smaller, POLICY)
    for name in SECTIONS:
        before = {item.id for item in getattr(POLICY, name)}
        after = {item.id for item in getattr(smaller, name)}
        assert set(forward.section(name).removed) == before - after
        assert set(backward.section(name).added) == before - after
        assert forward.section(name).added == ()
        assert forward.section(name).changed == ()
    assert not forward.requires_reconsent


@settings(max_examples=60, deadline=None)
@given(trimmed(POLICY))
def test_a_product_restating_main_items_changes_nothing_and_weakens_nothing(
    subset: Policy,
) -> None:
    product = ProductPolicy(
        id="restate",
        version="1",
        title=Text(en="Restate", fr="Reformule"),
        extends=POLICY.id,
        purposes=subset.purposes,
        recipient_classes=subset.recipient_classes,
        categories=subset.categories,
        exceptions=subset.exceptions,
        channels=subset.channels,
    )
    merged, origins = merge(POLICY, "main.yaml", [("restate.yaml", product)])
    assert diff(POLICY, merged).empty
    context = CheckContext(
        merged, POLICY, "main.yaml", (SourcedProduct("restate.yaml", product),), origins
    )
    assert list(product_weakens_main(context)) == []


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=1, max_value=1500),
    st.integers(min_value=1, max_value=40),
)
def test_rules_are_looser_than_the_law_exactly_when_a_value_exceeds_it(
    access_days: int, purchase_window: int, unsubscribe_days: int
) -> None:
    rules = LegalRules(
        access_response_days=access_days,
        casl_purchase_window_days=purchase_window,
        unsubscribe_business_days=unsubscribe_days,
    )
    changed = diff(POLICY, dataclasses.replace(POLICY, rules=rules))
    looser = access_days > 30 or purchase_window > 730 or unsubscribe_days > 10
    assert bool(changed.rules_loosened) == looser
