"""What changed between two policy versions, in a privacy officer's terms.

``diff(old, new)`` compares two (merged) policies section by section: items
added, removed, and changed field by field, legal rule values changed, and
whether the change requires asking consent again (POL-3: a new purpose or
recipient class that rests on consent). ``PolicyDiff.render()`` is the text the
``confide policy diff`` command prints.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from confide.domain.policy import (
    CONSENT_BASES,
    ConsentMode,
    Policy,
    Purpose,
    RecipientClass,
    Text,
)
from confide.policy.merge import item_key
from confide.policy.strictness import (
    looser_category,
    looser_exception,
    looser_purpose,
    looser_recipient,
    looser_retention,
    looser_rules,
)

#: Sections compared, in the order a privacy officer reads them, with their titles.
SECTIONS: dict[str, str] = {
    "purposes": "Purposes",
    "recipient_classes": "Recipient classes",
    "categories": "Categories of personal information",
    "exceptions": "Exceptions to consent",
    "channels": "Marketing channels",
    "retention": "Retention rules",
    "subject_types": "Whom the policy applies to",
    "exclusions": "Information not protected",
    "collection_sources": "Collection sources",
    "processing_locations": "Processing locations",
    "notice_channels": "Channels for announcing changes",
    "safeguards": "Safeguards",
}

_LOOSER: dict[str, Callable[[Any, Any], list[tuple[str, str]]]] = {
    "purposes": looser_purpose,
    "recipient_classes": looser_recipient,
    "categories": looser_category,
    "exceptions": looser_exception,
    "retention": looser_retention,
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any

    def render(self) -> str:
        return f"{self.field}: {_show(self.old)} -> {_show(self.new)}"


@dataclass(frozen=True)
class ItemChange:
    id: str
    changes: tuple[FieldChange, ...]
    loosened: tuple[str, ...] = ()
    """Explanations of the changes that loosen the item, if any."""


@dataclass(frozen=True)
class SectionDiff:
    section: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[ItemChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class PolicyDiff:
    old_version: str
    new_version: str
    sections: dict[str, SectionDiff]
    header: tuple[FieldChange, ...] = ()
    """Changes to id, version, effective date, title, organization, access procedure."""
    rules: tuple[FieldChange, ...] = ()
    rules_loosened: tuple[str, ...] = ()
    reconsent_reasons: tuple[str, ...] = field(default=())

    @property
    def requires_reconsent(self) -> bool:
        """POL-3: an added purpose or recipient class rests on consent."""
        return bool(self.reconsent_reasons)

    @property
    def empty(self) -> bool:
        return not self.header and not self.rules and all(s.empty for s in self.sections.values())

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (values shown as text), for the API and ``diff --format json``."""

        def change(c: FieldChange) -> dict[str, str]:
            return {"field": c.field, "old": _show(c.old), "new": _show(c.new)}

        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "header": [change(c) for c in self.header],
            "sections": {
                name: {
                    "added": list(section.added),
                    "removed": list(section.removed),
                    "changed": [
                        {
                            "id": item.id,
                            "changes": [change(c) for c in item.changes],
                            "loosened": list(item.loosened),
                        }
                        for item in section.changed
                    ],
                }
                for name, section in self.sections.items()
                if not section.empty
            },
            "rules": [change(c) for c in self.rules],
            "rules_loosened": list(self.rules_loosened),
            "requires_reconsent": self.requires_reconsent,
            "reconsent_reasons": list(self.reconsent_reasons),
        }

    def section(self, name: str) -> SectionDiff:
        return self.sections[name]

    def render(self) -> str:
        lines = [f"Policy {self.old_version} -> {self.new_version}"]
        if self.empty:
            lines.append("No changes.")
            return "\n".join(lines)
        for change in self.header:
            lines.append(f"  {change.render()}")
        for name, title in SECTIONS.items():
            section = self.sections[name]
            if section.empty:
                continue
            lines.append("")
            lines.append(f"{title}:")
            lines += [f"  + added {item}" for item in section.added]
            lines += [f"  - removed {item}" for item in section.removed]
            for item in section.changed:
                lines.append(f"  ~ changed {item.id}")
                lines += [f"      {c.render()}" for c in item.changes]
                lines += [f"      ! loosened: {why}" for why in item.loosened]
        if self.rules:
            lines.append("")
            lines.append("Legal rule values:")
            lines += [f"  ~ {c.render()}" for c in self.rules]
            lines += [f"      ! loosened: {why}" for why in self.rules_loosened]
        lines.append("")
        if self.requires_reconsent:
            lines.append("Re-consent required (POL-3):")
            lines += [f"  * {reason}" for reason in self.reconsent_reasons]
        else:
            lines.append("No re-consent required.")
        return "\n".join(lines)


def diff(old: Policy, new: Policy) -> PolicyDiff:
    sections = {name: _section(name, getattr(old, name), getattr(new, name)) for name in SECTIONS}
    header = tuple(
        change
        for name in ("id", "version", "effective_date", "title", "organization", "access")
        for change in _field_changes(name, getattr(old, name), getattr(new, name))
    )
    rules = tuple(_field_changes("rules", old.rules, new.rules))
    return PolicyDiff(
        old_version=old.version,
        new_version=new.version,
        sections=sections,
        header=header,
        rules=rules,
        rules_loosened=tuple(why for _, why in looser_rules(new.rules, old.rules)),
        reconsent_reasons=_reconsent(new, sections),
    )


def _section(name: str, old_items: tuple[Any, ...], new_items: tuple[Any, ...]) -> SectionDiff:
    old = {item_key(name, item): item for item in old_items}
    new = {item_key(name, item): item for item in new_items}
    changed: list[ItemChange] = []
    for key in (k for k in new if k in old):
        if old[key] == new[key]:
            continue
        looser = _LOOSER.get(name)
        changed.append(
            ItemChange(
                id=key,
                changes=tuple(_field_changes("", old[key], new[key])),
                loosened=tuple(why for _, why in looser(new[key], old[key])) if looser else (),
            )
        )
    return SectionDiff(
        section=name,
        added=tuple(k for k in new if k not in old),
        removed=tuple(k for k in old if k not in new),
        changed=tuple(changed),
    )


def _field_changes(prefix: str, old: Any, new: Any) -> list[FieldChange]:
    """Leaf-level changes between two values (dataclasses are compared field by field)."""
    if old == new:
        return []
    both_dataclasses = dataclasses.is_dataclass(old) and dataclasses.is_dataclass(new)
    if both_dataclasses and type(old) is type(new) and not isinstance(old, Text):
        changes: list[FieldChange] = []
        for f in dataclasses.fields(old):
            name = f"{prefix}.{f.name}" if prefix else f.name
            changes += _field_changes(name, getattr(old, f.name), getattr(new, f.name))
        return changes
    return [FieldChange(prefix or "value", old, new)]


def _reconsent(new: Policy, sections: dict[str, SectionDiff]) -> tuple[str, ...]:
    reasons: list[str] = []
    for purpose_id in sections["purposes"].added:
        purpose = new.purpose(purpose_id)
        if purpose is not None and _rests_on_consent(purpose):
            reasons.append(f"new purpose '{purpose_id}' rests on {purpose.consent} consent")
    for class_id in sections["recipient_classes"].added:
        recipient = new.recipient_class(class_id)
        if recipient is not None and _accepts_consent(recipient):
            bases = ", ".join(b for b in recipient.bases if b in CONSENT_BASES)
            reasons.append(f"new recipient class '{class_id}' receives information on {bases}")
    return tuple(reasons)


def _rests_on_consent(purpose: Purpose) -> bool:
    return purpose.consent in (ConsentMode.EXPRESS, ConsentMode.IMPLIED)


def _accepts_consent(recipient: RecipientClass) -> bool:
    return bool(CONSENT_BASES.intersection(recipient.bases))


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, Text):
        return repr(value.en)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            "{"
            + ", ".join(
                f"{f.name}={_show(getattr(value, f.name))}" for f in dataclasses.fields(value)
            )
            + "}"
        )
    return str(value)
