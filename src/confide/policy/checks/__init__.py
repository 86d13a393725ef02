"""Semantic checks of a policy, beyond its shape: one registry, one module per theme.

To add a check, write a function ``(CheckContext) -> Iterable[Finding]`` in the
module of its theme (or a new one) and list it in :data:`CHECKS`.
"""

from __future__ import annotations

from confide.policy.checks import (
    consent,
    disclosure,
    legal_rules,
    organization,
    references,
    retention,
    uniqueness,
    weakening,
)
from confide.policy.checks.base import Check, CheckContext, Finding, SourcedProduct

CHECKS: tuple[Check, ...] = (
    organization.organization_identity,
    organization.main_policy_shape,
    organization.authorized_users_act_for_an_account_holder,
    uniqueness.duplicate_ids,
    references.unknown_references,
    retention.category_without_retention,
    retention.retention_bounds,
    retention.anonymization_settings,
    consent.express_without_method,
    consent.implied_without_trigger,
    consent.opt_out_coherent,
    consent.sensitive_needs_express,
    consent.plain_language,
    consent.casl_windows,
    consent.trigger_windows,
    consent.marketing_channels,
    disclosure.closed_exception_list,
    disclosure.telecom_basic_only_without_express,
    disclosure.recipient_categories_within_purposes,
    disclosure.safeguards_abroad,
    legal_rules.looser_than_law,
    legal_rules.calling_hours_format,
    legal_rules.positive_values,
    weakening.product_weakens_main,
)

__all__ = ["CHECKS", "Check", "CheckContext", "Finding", "SourcedProduct"]
