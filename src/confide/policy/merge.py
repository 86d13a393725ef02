"""Incorporating product policies into the main policy.

A product policy adds items (new ids) and may replace items of the main policy
(same id) — the weakening check then makes sure a replacement only tightens.
Legal rule overrides replace single values. Nothing is ever removed.

The merge also records where each item of the merged policy was declared
(:class:`Origins`), so a problem found in the merged policy points at the right
file, line and column.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from confide.domain.policy import (
    CallingHours,
    LegalRules,
    Policy,
    ProductPolicy,
    RetentionRule,
)
from confide.policy.yaml_source import YamlPath

#: (source label, path in that source's YAML document)
Where = tuple[str, YamlPath]

#: Collections keyed by ``id`` that a product policy may extend.
ID_COLLECTIONS: tuple[str, ...] = (
    "subject_types",
    "categories",
    "exclusions",
    "collection_sources",
    "channels",
    "purposes",
    "exceptions",
    "recipient_classes",
    "processing_locations",
    "notice_channels",
    "safeguards",
)


def retention_key(rule: RetentionRule) -> str:
    """Retention rules have no id: a rule is identified by its category and optional purpose."""
    return f"{rule.category}@{rule.purpose}" if rule.purpose else rule.category


def item_key(collection: str, item: Any) -> str:
    return retention_key(item) if collection == "retention" else str(item.id)


@dataclass
class Origins:
    """Where each item and legal rule value of a merged policy was declared."""

    main: str
    items: dict[tuple[str, str], Where] = field(default_factory=dict)
    rules: dict[str, Where] = field(default_factory=dict)

    def item(self, collection: str, key: str, *sub: str | int) -> Where:
        source, path = self.items.get((collection, key), (self.main, (collection,)))
        return source, (*path, *sub)

    def rule(self, name: str) -> Where:
        return self.rules.get(name, (self.main, ("rules", *name.split("."))))


def collections(document: Policy | ProductPolicy) -> dict[str, tuple[Any, ...]]:
    """The item collections of a main or product policy, by section name."""
    names = (*ID_COLLECTIONS, "retention")
    return {name: tuple(getattr(document, name)) for name in names}


def record_origins(origins: Origins, source: str, document: Policy | ProductPolicy) -> None:
    for name, items in collections(document).items():
        for index, item in enumerate(items):
            origins.items[(name, item_key(name, item))] = (source, (name, index))


def merge(
    main: Policy, main_source: str, products: list[tuple[str, ProductPolicy]]
) -> tuple[Policy, Origins]:
    """The main policy with every product policy incorporated, in order."""
    origins = Origins(main=main_source)
    record_origins(origins, main_source, main)
    merged = main
    for source, product in products:
        record_origins(origins, source, product)
        changes: dict[str, Any] = {}
        for name, items in collections(product).items():
            if not items:
                continue
            current = {item_key(name, item): item for item in getattr(merged, name)}
            for item in items:
                current[item_key(name, item)] = item
            changes[name] = tuple(current.values())
        if product.rules is not None:
            changes["rules"] = overlay_rules(merged.rules, product)
            for name in _set_rule_fields(product):
                origins.rules[name] = (source, ("rules", *name.split(".")))
        merged = dataclasses.replace(merged, **changes)
    return merged, origins


def overlay_rules(rules: LegalRules, product: ProductPolicy) -> LegalRules:
    """``rules`` with the values the product policy sets."""
    override = product.rules
    if override is None:
        return rules
    values: dict[str, Any] = {}
    for f in dataclasses.fields(override):
        value = getattr(override, f.name)
        if value is None or f.name == "calling_hours":
            continue
        values[f.name] = value
    if override.calling_hours is not None:
        hours = {
            f.name: getattr(override.calling_hours, f.name)
            for f in dataclasses.fields(override.calling_hours)
            if getattr(override.calling_hours, f.name) is not None
        }
        values["calling_hours"] = dataclasses.replace(rules.calling_hours, **hours)
    return dataclasses.replace(rules, **values)


def _set_rule_fields(product: ProductPolicy) -> list[str]:
    override = product.rules
    if override is None:
        return []
    names = [
        f.name
        for f in dataclasses.fields(override)
        if f.name != "calling_hours" and getattr(override, f.name) is not None
    ]
    if override.calling_hours is not None:
        names += [
            f"calling_hours.{f.name}"
            for f in dataclasses.fields(CallingHours)
            if getattr(override.calling_hours, f.name) is not None
        ]
    return names
