"""Product policies are incorporated into the main one; they may tighten it, never weaken it."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_support import at, copy_default_policy, edit, messages, position

from confide.domain.policy import ConsentMode, Sensitivity
from confide.policy import LoadedPolicy, load_policy, validate_file


@pytest.fixture
def main(tmp_path: Path) -> Path:
    return copy_default_policy(tmp_path)


@pytest.fixture
def travel(main: Path) -> Path:
    return main.parent / "products" / "travel.yaml"


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


OVERRIDE_CREDIT_CHECK = """
  - id: credit_check
    consent: {consent}
    subject_types: [customer]
    categories: [name, mailing_address, credit_information]
    description:
      en: Credit check for the travel service.
      fr: Vérification de crédit pour le service Voyage.
"""


def test_merge_adds_the_products_items_to_the_main_policy(loaded: LoadedPolicy) -> None:
    policy = loaded.policy
    assert policy.category("roaming_records") is not None
    assert policy.retention_for("roaming_records")
    assert policy.purpose("credit_check") is not None  # main items kept
    assert policy.extends is None
    assert loaded.product_sources["travel"].startswith("# Product policy: travel")


def test_a_product_may_shorten_retention(main: Path, travel: Path) -> None:
    text = travel.read_text(encoding="utf-8")
    text = text.replace(
        "retention:\n",
        "retention:\n  - category: usage_data\n    min_days: 0\n    max_days: 200\n"
        "    counted_from: collection\n    disposal: anonymize\n    reason:\n"
        "      en: Shorter for roaming.\n      fr: Plus court pour l'itinérance.\n"
        "    anonymization:\n      quasi_identifiers: [province]\n      k: 10\n      l: 2\n",
    )
    travel.write_text(text, encoding="utf-8")
    problems = validate_file(main)
    assert problems == [], messages(problems)
    [rule] = load_policy(main).policy.retention_for("usage_data")
    assert rule.max_days == 200


def test_a_product_may_tighten_a_legal_value(main: Path, travel: Path) -> None:
    _append(
        travel, '\nrules:\n  access_response_days: 20\n  calling_hours:\n    weekday_end: "20:00"\n'
    )
    policy = load_policy(main).policy
    assert policy.rules.access_response_days == 20
    assert policy.rules.calling_hours.weekday_end == "20:00"
    assert policy.rules.calling_hours.weekday_start == "09:00"  # unset values kept


def test_a_product_may_not_loosen_a_purposes_consent(main: Path, travel: Path) -> None:
    edit(
        travel,
        "purposes:\n",
        "purposes:"
        + OVERRIDE_CREDIT_CHECK.format(consent="implied")
        + "    implied_by: [{event: registration}]\n",
    )
    problems = validate_file(main)
    line, column = position(travel, "consent: implied", offset=0)
    found = at(problems, travel, line, column)
    assert found, messages(problems)
    assert "weakens purposes 'credit_check': consent loosened from express to implied" in (
        found[0].message
    )


def test_a_product_may_keep_a_purpose_as_strict(main: Path, travel: Path) -> None:
    edit(travel, "purposes:\n", "purposes:" + OVERRIDE_CREDIT_CHECK.format(consent="express"))
    assert validate_file(main) == []
    purpose = load_policy(main).policy.purpose("credit_check")
    assert purpose is not None and purpose.consent is ConsentMode.EXPRESS
    assert purpose.description.en == "Credit check for the travel service."


def test_a_product_may_not_lower_a_categorys_sensitivity(main: Path, travel: Path) -> None:
    edit(
        travel,
        "categories:\n",
        "categories:\n  - id: credit_information\n    sensitivity: medium\n"
        "    sources: [third_party]\n    description: {en: Credit, fr: Crédit}\n",
    )
    problems = validate_file(main)
    line, column = position(travel, "sensitivity: medium")
    found = at(problems, travel, line, column)
    assert found and "sensitivity lowered from high to medium" in found[0].message, messages(
        problems
    )


def test_a_product_may_raise_a_categorys_sensitivity(main: Path, travel: Path) -> None:
    edit(
        travel,
        "categories:\n",
        "categories:\n  - id: employment_records\n    sensitivity: high\n"
        "    sources: [from_individual]\n    description: {en: Employee file, fr: Dossier}\n",
    )
    assert validate_file(main) == []
    category = load_policy(main).policy.category("employment_records")
    assert category is not None and category.sensitivity is Sensitivity.HIGH


def test_raising_sensitivity_surfaces_the_rules_that_follow_from_it(
    main: Path, travel: Path
) -> None:
    edit(
        travel,
        "categories:\n",
        "categories:\n  - id: billing_records\n    sensitivity: high\n"
        "    sources: [from_individual]\n    description: {en: Billing, fr: Facturation}\n",
    )
    problems = validate_file(main)
    # Billing records are used by implied purposes: sensitive information needs express consent.
    assert problems and {p.rule for p in problems} == {"CON-8"}, messages(problems)
    assert all(Path(p.file) == main for p in problems)


def test_a_product_may_not_lengthen_retention(main: Path, travel: Path) -> None:
    edit(
        travel,
        "retention:\n",
        "retention:\n  - category: credit_information\n    min_days: 0\n    max_days: 3650\n"
        "    counted_from: collection\n    disposal: destroy\n"
        "    reason: {en: Longer, fr: Plus long}\n",
    )
    problems = validate_file(main)
    line, column = position(travel, "max_days: 3650", offset=0)
    found = at(problems, travel, line, column)
    assert found and "kept up to 3650 days instead of 730" in found[0].message, messages(problems)


def test_ret_3_a_product_may_not_weaken_anonymization(main: Path, travel: Path) -> None:
    edit(
        travel,
        "retention:\n",
        "retention:\n  - category: usage_data\n    min_days: 0\n    max_days: 395\n"
        "    counted_from: collection\n    disposal: anonymize\n"
        "    reason: {en: Same, fr: Pareil}\n"
        "    anonymization:\n      quasi_identifiers: [province, subject_type, collected_month, system]\n"
        "      k: 5\n      l: 2\n      sensitive: value\n",
    )
    text = " ".join(p.message for p in validate_file(main))
    assert "groups of 5 instead of 10" in text and "keeps more attributes (system)" in text, text


def test_a_product_may_not_relax_legal_rules(main: Path, travel: Path) -> None:
    _append(travel, "\nrules:\n  quebec_minor_age: 12\n")
    problems = validate_file(main)
    line, column = position(travel, "quebec_minor_age: 12", offset=len("quebec_minor_age: "))
    found = at(problems, travel, line, column)
    assert found and found[0].rule == "CON-8", messages(problems)
    assert "relaxes rules.quebec_minor_age" in found[0].message


def test_a_product_may_not_give_a_recipient_more_categories(main: Path, travel: Path) -> None:
    edit(
        travel,
        "recipient_classes:\n",
        "recipient_classes:\n  - id: collection_agency\n    purposes: [billing]\n"
        "    bases: [debt_collection]\n"
        "    categories: [name, mailing_address, email, telephone_number, billing_records,"
        " usage_data]\n"
        "    description: {en: Agencies, fr: Agences}\n",
    )
    problems = validate_file(main)
    assert any("receives more categories: usage_data" in p.message for p in problems), messages(
        problems
    )


def test_a_product_must_extend_this_policy(main: Path, travel: Path) -> None:
    edit(travel, "extends: confide-privacy-policy", "extends: some-other-policy")
    problems = validate_file(main)
    line, column = position(travel, "some-other-policy")
    found = at(problems, travel, line, column)
    assert found and "extends 'some-other-policy'" in found[0].message, messages(problems)


def test_a_products_id_must_match_its_listing(main: Path, travel: Path) -> None:
    edit(travel, "id: travel\n", "id: voyage\n")
    problems = validate_file(main)
    assert any("'voyage' does not match 'travel'" in p.message for p in problems)


def test_the_main_policy_stands_alone_even_where_a_product_replaces_an_item(
    main: Path, travel: Path
) -> None:
    edit(
        main, "categories: [name, mailing_address, credit_information]", "categories: [name, typo]"
    )
    edit(travel, "purposes:\n", "purposes:" + OVERRIDE_CREDIT_CHECK.format(consent="express"))
    problems = validate_file(main)
    line, column = position(main, "typo]")
    assert at(problems, main, line, column), messages(problems)


def test_sensitivity_of_product_categories_is_kept(loaded: LoadedPolicy) -> None:
    roaming = loaded.policy.category("roaming_records")
    assert roaming is not None and roaming.sensitivity is Sensitivity.HIGH
