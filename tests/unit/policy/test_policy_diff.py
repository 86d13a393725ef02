"""diff(old, new) says what changed in a privacy officer's terms, and when to ask consent again."""

from __future__ import annotations

import dataclasses

from confide.domain.policy import (
    ConsentMode,
    LegalRules,
    Policy,
    Purpose,
    RecipientClass,
    Sensitivity,
    Text,
)
from confide.policy import diff


def _purpose(purpose_id: str, consent: ConsentMode) -> Purpose:
    return Purpose(
        id=purpose_id,
        description=Text(en="A new use.", fr="Une nouvelle utilisation."),
        consent=consent,
        categories=("name",),
    )


def _recipient(class_id: str, bases: tuple[str, ...]) -> RecipientClass:
    return RecipientClass(
        id=class_id,
        description=Text(en="A new recipient.", fr="Un nouveau destinataire."),
        categories=("name",),
        bases=bases,
    )


def test_identical_policies_have_no_changes(policy: Policy) -> None:
    result = diff(policy, policy)
    assert result.empty
    assert not result.requires_reconsent
    assert "No changes." in result.render()


def test_pol_3_added_express_purpose_requires_reconsent(policy: Policy) -> None:
    new = dataclasses.replace(
        policy,
        version="2026.2",
        purposes=(*policy.purposes, _purpose("research", ConsentMode.EXPRESS)),
    )
    result = diff(policy, new)
    assert result.section("purposes").added == ("research",)
    assert result.requires_reconsent
    assert result.reconsent_reasons == ("new purpose 'research' rests on express consent",)
    text = result.render()
    assert "Policy 2026.1 -> 2026.2" in text
    assert "+ added research" in text
    assert "Re-consent required (POL-3)" in text


def test_pol_3_added_legal_obligation_purpose_needs_no_reconsent(policy: Policy) -> None:
    new = dataclasses.replace(
        policy, purposes=(*policy.purposes, _purpose("tax_audit", ConsentMode.LEGAL_OBLIGATION))
    )
    result = diff(policy, new)
    assert result.section("purposes").added == ("tax_audit",)
    assert not result.requires_reconsent
    assert "No re-consent required." in result.render()


def test_pol_3_added_recipient_class_resting_on_consent_requires_reconsent(
    policy: Policy,
) -> None:
    new = dataclasses.replace(
        policy,
        recipient_classes=(*policy.recipient_classes, _recipient("insurer", ("express_consent",))),
    )
    result = diff(policy, new)
    assert result.section("recipient_classes").added == ("insurer",)
    assert result.requires_reconsent


def test_pol_3_added_recipient_class_on_an_exception_only_needs_no_reconsent(
    policy: Policy,
) -> None:
    new = dataclasses.replace(
        policy,
        recipient_classes=(*policy.recipient_classes, _recipient("auditor", ("required_by_law",))),
    )
    assert not diff(policy, new).requires_reconsent


def test_removed_items_are_listed(policy: Policy) -> None:
    new = dataclasses.replace(
        policy, channels=tuple(c for c in policy.channels if c.id != "text_message")
    )
    result = diff(policy, new)
    assert result.section("channels").removed == ("text_message",)
    assert "- removed text_message" in result.render()


def test_changed_purpose_lists_field_changes_and_flags_loosening(policy: Policy) -> None:
    credit = policy.purpose("credit_check")
    assert credit is not None
    looser = dataclasses.replace(credit, consent=ConsentMode.IMPLIED)
    new = dataclasses.replace(
        policy, purposes=tuple(looser if p.id == "credit_check" else p for p in policy.purposes)
    )
    [change] = diff(policy, new).section("purposes").changed
    assert change.id == "credit_check"
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("consent", ConsentMode.EXPRESS, ConsentMode.IMPLIED)
    ]
    assert change.loosened == ("consent loosened from express to implied",)
    text = diff(policy, new).render()
    assert "consent: express -> implied" in text
    assert "! loosened: consent loosened from express to implied" in text


def test_changed_category_sensitivity_is_shown(policy: Policy) -> None:
    new = dataclasses.replace(
        policy,
        categories=tuple(
            dataclasses.replace(c, sensitivity=Sensitivity.HIGH) if c.id == "email" else c
            for c in policy.categories
        ),
    )
    [change] = diff(policy, new).section("categories").changed
    assert (change.id, change.changes[0].field) == ("email", "sensitivity")
    assert change.loosened == ()


def test_changed_retention_is_keyed_by_category(policy: Policy) -> None:
    new = dataclasses.replace(
        policy,
        retention=tuple(
            dataclasses.replace(r, max_days=60) if r.category == "location_data" else r
            for r in policy.retention
        ),
    )
    [change] = diff(policy, new).section("retention").changed
    assert change.id == "location_data"
    assert [(c.field, c.old, c.new) for c in change.changes] == [("max_days", 90, 60)]


def test_legal_rule_changes_are_shown_with_loosenings(policy: Policy) -> None:
    new = dataclasses.replace(policy, rules=LegalRules(access_response_days=45))
    result = diff(policy, new)
    assert [(c.field, c.old, c.new) for c in result.rules] == [
        ("rules.access_response_days", 30, 45)
    ]
    assert result.rules_loosened == ("access_response_days is 45, longer than 30",)
    assert "rules.access_response_days: 30 -> 45" in result.render()


def test_changed_privacy_officer_is_a_header_change(policy: Policy) -> None:
    officer = dataclasses.replace(policy.organization.privacy_officer, email="privacy@cell.expert")
    organization = dataclasses.replace(policy.organization, privacy_officer=officer)
    result = diff(policy, dataclasses.replace(policy, organization=organization))
    assert [c.field for c in result.header] == ["organization.privacy_officer.email"]
    assert not result.empty


def test_diff_as_dict_is_json_ready(policy: Policy) -> None:
    import json

    credit = policy.purpose("credit_check")
    assert credit is not None
    new = dataclasses.replace(
        policy,
        purposes=(
            *(
                dataclasses.replace(credit, consent=ConsentMode.IMPLIED)
                if p.id == "credit_check"
                else p
                for p in policy.purposes
            ),
            _purpose("research", ConsentMode.EXPRESS),
        ),
    )
    data = json.loads(json.dumps(diff(policy, new).as_dict()))
    purposes = data["sections"]["purposes"]
    assert purposes["added"] == ["research"]
    assert purposes["changed"] == [
        {
            "id": "credit_check",
            "changes": [{"field": "consent", "old": "express", "new": "implied"}],
            "loosened": ["consent loosened from express to implied"],
        }
    ]
    assert data["requires_reconsent"] is True
    assert set(data["sections"]) == {"purposes"}
