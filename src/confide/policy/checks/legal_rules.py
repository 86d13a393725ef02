"""Rule values are never looser than the law's defaults in rules.md."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from confide.domain.policy import LegalRules
from confide.policy.checks.base import CheckContext, Finding
from confide.policy.strictness import looser_rules, rule_of_value

_HHMM = "HH:MM, 24-hour clock"


def looser_than_law(ctx: CheckContext) -> Iterator[Finding]:
    for field, explanation in looser_rules(ctx.main.rules, LegalRules()):
        yield Finding(
            (ctx.main_source, ("rules", *field.split("."))),
            f"rules.{field} is looser than the law: {explanation}",
            "a policy may make a legal value stricter, never weaker; restore the rules.md value",
            rule=rule_of_value(field),
        )


def calling_hours_format(ctx: CheckContext) -> Iterator[Finding]:
    hours = ctx.policy.rules.calling_hours
    for name in ("weekday_start", "weekday_end", "weekend_start", "weekend_end"):
        value = getattr(hours, name)
        if not _is_hhmm(value):
            yield Finding(
                ctx.origins.rule(f"calling_hours.{name}"),
                f"rules.calling_hours.{name} is not a time",
                f'write it as "{_HHMM}", quoted, e.g. "09:00"',
                rule="CEM-5",
            )


def _is_hhmm(value: str) -> bool:
    hours, sep, minutes = value.partition(":")
    if not (sep and len(hours) == 2 and len(minutes) == 2 and (hours + minutes).isdigit()):
        return False
    return int(hours) < 24 and int(minutes) < 60


def positive_values(ctx: CheckContext) -> Iterator[Finding]:
    rules = ctx.policy.rules
    for f in dataclasses.fields(LegalRules):
        value = getattr(rules, f.name)
        if isinstance(value, int) and not isinstance(value, bool) and value <= 0:
            yield Finding(
                ctx.origins.rule(f.name),
                f"rules.{f.name} must be a positive number",
                "legal values are durations, ages or counts",
                rule=rule_of_value(f.name),
            )
