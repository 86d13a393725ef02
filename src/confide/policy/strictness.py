"""What makes one version of a policy item looser than another.

Used to refuse a product policy that weakens the main policy, to refuse rule
values looser than the law's defaults (rules.md), and to flag loosenings in a
diff. Each function returns the loosenings found, as (field, explanation) pairs;
an empty list means ``new`` is as strict as ``old`` or stricter.
"""

from __future__ import annotations

import dataclasses

from confide.domain.policy import (
    Category,
    ConsentException,
    ConsentMode,
    DisposalMethod,
    ImpliedConsentTrigger,
    LegalRules,
    Purpose,
    RecipientClass,
    RetentionRule,
    Sensitivity,
)

Loosening = tuple[str, str]

#: Higher is stricter: the more a purpose's footing protects the individual.
CONSENT_STRICTNESS: dict[ConsentMode, int] = {
    ConsentMode.EXPRESS: 3,
    ConsentMode.IMPLIED: 2,
    ConsentMode.SERVICE_ESSENTIAL: 1,
    ConsentMode.LEGAL_OBLIGATION: 0,
}

SENSITIVITY_RANK: dict[Sensitivity, int] = {
    Sensitivity.LOW: 0,
    Sensitivity.MEDIUM: 1,
    Sensitivity.HIGH: 2,
}

#: Legal rule values where a smaller number is stricter (deadlines, windows).
LOWER_IS_STRICTER: frozenset[str] = frozenset(
    {
        "access_response_days",
        "access_extension_max_days",
        "casl_purchase_window_days",
        "casl_contract_end_window_days",
        "casl_inquiry_window_months",
        "unsubscribe_business_days",
        "dnc_add_within_days",
        "national_dnc_max_age_days",
        "withdrawal_ack_business_days",
    }
)
#: Legal rule values where a larger number is stricter (how long records are kept, ages).
HIGHER_IS_STRICTER: frozenset[str] = frozenset(
    {
        "dnc_keep_days",
        "breach_record_retention_months",
        "quebec_incident_register_years",
        "quebec_minor_age",
    }
)
#: Legal rule flags where ``false`` is stricter (an extension allowed is a loosening).
FALSE_IS_STRICTER: frozenset[str] = frozenset(
    {"access_extension_allowed_federal", "access_extension_allowed_quebec"}
)


#: The rule of rules.md each legal value implements.
RULE_OF_VALUE: dict[str, str] = {
    "access_response_days": "ACC-1",
    "access_extension_max_days": "ACC-2",
    "access_extension_allowed_federal": "ACC-2",
    "access_extension_allowed_quebec": "ACC-2",
    "casl_purchase_window_days": "CEM-1",
    "casl_contract_end_window_days": "CEM-1",
    "casl_inquiry_window_months": "CEM-1",
    "unsubscribe_business_days": "CEM-2",
    "dnc_add_within_days": "CEM-4",
    "dnc_keep_days": "CEM-4",
    "national_dnc_max_age_days": "CEM-4",
    "calling_hours": "CEM-5",
    "breach_record_retention_months": "BRE-5",
    "quebec_incident_register_years": "BRE-5",
    "quebec_minor_age": "CON-8",
    "withdrawal_ack_business_days": "CON-5",
}


def rule_of_value(name: str) -> str | None:
    """``calling_hours.weekday_end`` -> ``CEM-5``."""
    return RULE_OF_VALUE.get(name.split(".")[0])


def looser_rules(new: LegalRules, old: LegalRules) -> list[Loosening]:
    """Legal rule values in ``new`` looser than in ``old``."""
    found: list[Loosening] = []
    for f in dataclasses.fields(LegalRules):
        name = f.name
        before, after = getattr(old, name), getattr(new, name)
        if name in LOWER_IS_STRICTER and after > before:
            found.append((name, f"{name} is {after}, longer than {before}"))
        elif name in HIGHER_IS_STRICTER and after < before:
            found.append((name, f"{name} is {after}, less than {before}"))
        elif name in FALSE_IS_STRICTER and after and not before:
            found.append((name, f"{name} allows what the stricter value forbids"))
    hours_old, hours_new = old.calling_hours, new.calling_hours
    for name in ("weekday_start", "weekend_start"):
        if getattr(hours_new, name) < getattr(hours_old, name):
            found.append(
                (
                    f"calling_hours.{name}",
                    f"calling starts at {getattr(hours_new, name)}, "
                    f"earlier than {getattr(hours_old, name)}",
                )
            )
    for name in ("weekday_end", "weekend_end"):
        if getattr(hours_new, name) > getattr(hours_old, name):
            found.append(
                (
                    f"calling_hours.{name}",
                    f"calling ends at {getattr(hours_new, name)}, "
                    f"later than {getattr(hours_old, name)}",
                )
            )
    return found


def looser_purpose(new: Purpose, old: Purpose) -> list[Loosening]:
    found: list[Loosening] = []
    if CONSENT_STRICTNESS[new.consent] < CONSENT_STRICTNESS[old.consent]:
        found.append(("consent", f"consent loosened from {old.consent} to {new.consent}"))
    _widened(found, "categories", new.categories, old.categories, "may use more categories")
    _widened(found, "channels", new.channels, old.channels, "reaches more channels")
    _widened(
        found,
        "consent_methods",
        new.consent_methods,
        old.consent_methods,
        "accepts more consent methods",
    )
    if old.subject_types and set(new.subject_types or ()) != set(old.subject_types):
        wider = not new.subject_types or set(new.subject_types) - set(old.subject_types)
        if wider:
            found.append(("subject_types", "applies to more subject types"))
    if old.opt_out_allowed and not new.opt_out_allowed:
        found.append(("opt_out_allowed", "can no longer be opted out of"))
    if old.privacy_by_default_off and not new.privacy_by_default_off:
        found.append(("privacy_by_default_off", "is no longer off by default"))
    if old.gpc_opt_out and not new.gpc_opt_out:
        found.append(("gpc_opt_out", "no longer honours the Global Privacy Control signal"))
    found.extend(_looser_triggers(new.implied_by, old.implied_by))
    return found


def _looser_triggers(
    new: tuple[ImpliedConsentTrigger, ...], old: tuple[ImpliedConsentTrigger, ...]
) -> list[Loosening]:
    found: list[Loosening] = []
    before = {t.event: t for t in old}
    for trigger in new:
        previous = before.get(trigger.event)
        if previous is None:
            found.append(("implied_by", f"consent is now inferred from '{trigger.event}'"))
        elif _window_days(trigger) > _window_days(previous):
            found.append(
                ("implied_by", f"the implied consent window after '{trigger.event}' is longer")
            )
    return found


def _window_days(trigger: ImpliedConsentTrigger) -> float:
    """A comparable length; months count as 31 days, no window as unlimited."""
    if trigger.window_days is not None:
        return trigger.window_days
    if trigger.window_months is not None:
        return trigger.window_months * 31
    return float("inf")


def looser_category(new: Category, old: Category) -> list[Loosening]:
    found: list[Loosening] = []
    if SENSITIVITY_RANK[new.sensitivity] < SENSITIVITY_RANK[old.sensitivity]:
        found.append(
            ("sensitivity", f"sensitivity lowered from {old.sensitivity} to {new.sensitivity}")
        )
    if new.telecom_basic and not old.telecom_basic:
        found.append(("telecom_basic", "becomes disclosable as basic telecom information"))
    return found


def looser_retention(new: RetentionRule, old: RetentionRule) -> list[Loosening]:
    found: list[Loosening] = []
    if new.max_days > old.max_days:
        found.append(("max_days", f"kept up to {new.max_days} days instead of {old.max_days}"))
    if new.counted_from != old.counted_from:
        found.append(
            (
                "counted_from",
                f"counted from {new.counted_from} instead of {old.counted_from}",
            )
        )
    if old.disposal is DisposalMethod.ANONYMIZE and old.anonymization is not None:
        kept = new.anonymization
        if new.disposal is DisposalMethod.ANONYMIZE and kept is not None:
            if kept.k < old.anonymization.k:
                found.append(
                    ("anonymization", f"groups of {kept.k} instead of {old.anonymization.k}")
                )
            if kept.l < old.anonymization.l:
                found.append(
                    ("anonymization", f"{kept.l} distinct values instead of {old.anonymization.l}")
                )
            added = set(kept.quasi_identifiers) - set(old.anonymization.quasi_identifiers)
            if added:
                found.append(
                    ("anonymization", f"keeps more attributes ({', '.join(sorted(added))})")
                )
    return found


def looser_recipient(new: RecipientClass, old: RecipientClass) -> list[Loosening]:
    found: list[Loosening] = []
    _widened(found, "categories", new.categories, old.categories, "receives more categories")
    _widened(found, "purposes", new.purposes, old.purposes, "serves more purposes")
    _widened(found, "bases", new.bases, old.bases, "accepts more legal bases")
    return found


def looser_exception(new: ConsentException, old: ConsentException) -> list[Loosening]:
    found: list[Loosening] = []
    if new.evidence != old.evidence:
        found.append(("evidence", "requires different evidence"))
    if old.notify_individual and not new.notify_individual:
        found.append(("notify_individual", "no longer notifies the individual"))
    if old.notify_within_days is not None and (
        new.notify_within_days is None or new.notify_within_days > old.notify_within_days
    ):
        found.append(("notify_within_days", "gives more time to notify the individual"))
    return found


def _widened(
    found: list[Loosening],
    name: str,
    new: tuple[str, ...],
    old: tuple[str, ...],
    message: str,
) -> None:
    extra = sorted(set(new) - set(old))
    if extra:
        found.append((name, f"{message}: {', '.join(extra)}"))
