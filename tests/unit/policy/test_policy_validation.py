"""validate_file reports every problem at its line and column, with a hint.

Each test breaks a private copy of the packaged policy in one place and checks
the problem is reported exactly there (the position is found in the edited text
by the test itself).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_support import at, copy_default_policy, edit, messages, position

from confide.domain.errors import ValidationFailed
from confide.policy import PolicyInvalid, load_policy, validate_file


@pytest.fixture
def main(tmp_path: Path) -> Path:
    return copy_default_policy(tmp_path)


@pytest.fixture
def travel(main: Path) -> Path:
    return main.parent / "products" / "travel.yaml"


def test_the_packaged_policy_is_valid() -> None:
    from confide.policy import default_policy_path

    assert validate_file(default_policy_path()) == []


def test_a_private_copy_is_valid(main: Path) -> None:
    assert validate_file(main) == []


# --- YAML and schema ---------------------------------------------------------------


def test_yaml_syntax_error_points_at_the_broken_place(main: Path) -> None:
    edit(main, "  name: cell.expert\n", "  name: [cell.expert\n")
    problems = validate_file(main)
    assert len(problems) == 1
    assert "YAML syntax error" in problems[0].message
    assert problems[0].hint
    line, _ = position(main, "  name: [cell.expert")
    assert line <= problems[0].line <= line + 2


def test_duplicate_yaml_key_is_reported_at_the_second_key(main: Path) -> None:
    edit(main, "  home_province: QC\n", "  home_province: QC\n  home_province: ON\n")
    problems = validate_file(main)
    line, column = position(main, "  home_province: ON", offset=2)
    found = at(problems, main, line, column)
    assert found and "duplicate key 'home_province'" in found[0].message, messages(problems)


def test_missing_required_field_points_at_its_mapping(main: Path) -> None:
    edit(
        main, "  - id: credit_information\n    sensitivity: high\n", "  - id: credit_information\n"
    )
    problems = validate_file(main)
    line, column = position(main, "id: credit_information")
    found = at(problems, main, line, column)
    assert found, messages(problems)
    assert "required field 'sensitivity' is missing" in found[0].message
    assert found[0].hint == "add 'sensitivity:' here"


def test_unknown_field_points_at_the_key_and_lists_the_allowed_fields(main: Path) -> None:
    edit(main, "  - id: credit_check\n", "  - id: credit_check\n    colour: red\n")
    problems = validate_file(main)
    line, column = position(main, "colour: red")
    found = at(problems, main, line, column)
    assert found and "unknown field 'colour'" in found[0].message, messages(problems)
    assert found[0].hint is not None and "consent_methods" in found[0].hint


def test_wrong_enum_value_points_at_the_value(main: Path) -> None:
    edit(
        main,
        "  - id: credit_check\n    consent: express",
        "  - id: credit_check\n    consent: maybe",
    )
    problems = validate_file(main)
    line, column = position(main, "consent: maybe", offset=len("consent: "))
    found = at(problems, main, line, column)
    assert found and "'express'" in found[0].message, messages(problems)


def test_yaml_reads_on_as_a_boolean_and_the_hint_says_to_quote(main: Path) -> None:
    edit(main, "  home_province: QC\n", "  home_province: ON\n")
    problems = validate_file(main)
    line, column = position(main, "home_province: ON", offset=len("home_province: "))
    found = at(problems, main, line, column)
    assert found and found[0].hint is not None and "quote" in found[0].hint, messages(problems)


def test_unquoted_version_number_gets_a_quoting_hint(main: Path) -> None:
    edit(main, 'version: "2026.1"\n', "version: 2026.1\n")
    problems = validate_file(main)
    line, column = position(main, "version: 2026.1", offset=len("version: "))
    found = at(problems, main, line, column)
    assert found and found[0].hint is not None and "quote" in found[0].hint


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    problems = validate_file(path)
    assert [(p.line, p.column) for p in problems] == [(1, 1)]
    assert "mapping" in problems[0].message


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    problems = validate_file(tmp_path / "absent.yaml")
    assert len(problems) == 1 and "cannot read" in problems[0].message


def test_invalid_utf8_is_reported_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"id: x\ntitle: caf\xe9\n")
    problems = validate_file(path)
    assert [(p.line, p.column) for p in problems] == [(2, 11)]


# --- Semantic checks ---------------------------------------------------------------


def test_unknown_category_referenced_by_a_purpose(main: Path) -> None:
    edit(
        main,
        "categories: [name, mailing_address, credit_information]",
        "categories: [name, mailing_address, credit_info]",
    )
    problems = validate_file(main)
    line, column = position(main, "credit_info]")
    found = at(problems, main, line, column)
    assert found and found[0].message == "unknown category 'credit_info'", messages(problems)
    assert found[0].hint is not None and "credit_information" in found[0].hint


def test_unknown_purpose_referenced_by_a_recipient_class(main: Path) -> None:
    edit(main, "purposes: [credit_check, billing]", "purposes: [credit_check, biling]")
    problems = validate_file(main)
    line, column = position(main, "biling]")
    found = at(problems, main, line, column)
    assert found and "unknown purpose 'biling'" in found[0].message, messages(problems)


def test_unknown_channel_referenced_by_a_marketing_purpose(main: Path) -> None:
    text = main.read_text(encoding="utf-8")
    old = "channels: [telemarketing, postal_mail, email, text_message]\n    # CASL"
    assert old in text
    main.write_text(
        text.replace(
            old, "channels: [telemarketing, carrier_pigeon, email, text_message]\n    # CASL"
        ),
        encoding="utf-8",
    )
    problems = validate_file(main)
    line, column = position(main, "carrier_pigeon")
    found = at(problems, main, line, column)
    assert found and "unknown channel 'carrier_pigeon'" in found[0].message, messages(problems)


def test_unknown_exception_used_as_a_legal_basis(main: Path) -> None:
    edit(main, "bases: [emergency]", "bases: [emergencies]")
    problems = validate_file(main)
    line, column = position(main, "emergencies]")
    found = at(problems, main, line, column)
    assert found and found[0].rule == "DIS-1", messages(problems)


def test_ret_1_category_without_a_retention_rule(main: Path) -> None:
    edit(
        main,
        "  - category: location_data\n",
        "  - category: usage_data\n    purpose: location_services\n",
    )
    problems = validate_file(main)
    line, column = position(main, "  - id: location_data\n", offset=4)
    found = at(problems, main, line, column)
    assert found and found[0].rule == "RET-1", messages(problems)
    assert "'location_data' has no retention rule" in found[0].message


def test_ret_1_minimum_longer_than_maximum(main: Path) -> None:
    edit(
        main,
        "  - category: location_data\n    min_days: 0\n    max_days: 90",
        "  - category: location_data\n    min_days: 120\n    max_days: 90",
    )
    problems = validate_file(main)
    line, column = position(main, "min_days: 120", offset=len("min_days: "))
    found = at(problems, main, line, column)
    assert found and found[0].rule == "RET-1", messages(problems)
    assert "min_days (120) is greater than max_days (90)" in found[0].message


def test_ret_3_an_anonymizing_rule_without_its_settings(main: Path) -> None:
    edit(
        main,
        "    anonymization:\n      quasi_identifiers: [province, subject_type, collected_month]\n"
        "      k: 10\n      l: 2\n      sensitive: value\n",
        "",
    )
    problems = validate_file(main)
    found = [p for p in problems if p.rule == "RET-3"]
    assert found and "usage_data" in found[0].message, messages(problems)
    assert "re-identification" in found[0].message


def test_ret_3_anonymization_settings_out_of_bounds(main: Path) -> None:
    edit(
        main,
        "      quasi_identifiers: [province, subject_type, collected_month]\n      k: 10\n      l: 2\n",
        "      quasi_identifiers: [province, postal_code]\n      k: 1\n      l: 2\n",
    )
    problems = [p for p in validate_file(main) if p.rule == "RET-3"]
    text = " ".join(p.message for p in problems)
    assert "not postal_code" in text and "k must be at least 2" in text, text


def test_duplicate_ids_within_a_section(main: Path) -> None:
    edit(main, "  - id: postal_mail\n", "  - id: telemarketing\n")
    problems = validate_file(main)
    line, column = position(
        main, "  - id: telemarketing\n    description:\n      en: Marketing by", 4
    )
    found = at(problems, main, line, column)
    assert found and "duplicate id 'telemarketing'" in found[0].message, messages(problems)


def test_con_3_express_purpose_with_no_consent_method(main: Path) -> None:
    edit(
        main,
        "consent_methods: [verbal, signed_document, checkbox, other_action]",
        "consent_methods: []",
    )
    problems = validate_file(main)
    line, column = position(main, "consent_methods: []", offset=len("consent_methods: "))
    found = at(problems, main, line, column)
    assert found and found[0].rule == "CON-3", messages(problems)
    assert "'credit_check'" in found[0].message


def test_con_8_sensitive_category_on_implied_consent(main: Path) -> None:
    edit(
        main,
        "    categories: [usage_data, service_records]\n    description:\n      en: To design",
        "    categories: [usage_data, location_data]\n    description:\n      en: To design",
    )
    problems = validate_file(main)
    line, column = position(main, "location_data]\n    description:\n      en: To design")
    found = at(problems, main, line, column)
    assert found and found[0].rule == "CON-8", messages(problems)


def test_con_9_feature_off_by_default_must_ask_express_consent(main: Path) -> None:
    edit(
        main,
        "  - id: location_services\n    consent: express",
        "  - id: location_services\n    consent: implied\n    implied_by: [{event: registration}]",
    )
    problems = validate_file(main)
    assert any(p.rule == "CON-9" for p in problems), messages(problems)


def test_con_6_service_essential_purpose_cannot_allow_opt_out(main: Path) -> None:
    edit(
        main,
        "  - id: provide_service\n    consent: service_essential\n    opt_out_allowed: false\n",
        "  - id: provide_service\n    consent: service_essential\n",
    )
    problems = validate_file(main)
    line, column = position(main, "consent: service_essential\n    subject_types: [customer", 9)
    found = at(problems, main, line, column)
    assert found and found[0].rule == "CON-6", messages(problems)


def test_cem_1_implied_marketing_window_longer_than_casl(main: Path) -> None:
    edit(
        main,
        "      - event: purchase\n        window_days: 730",
        "      - event: purchase\n        window_days: 1000",
    )
    problems = validate_file(main)
    line, column = position(main, "      - event: purchase\n", offset=8)
    found = at(problems, main, line, column)
    assert found and found[0].rule == "CEM-1", messages(problems)
    assert "730 days" in found[0].message


def test_dis_2_exception_outside_the_closed_list(main: Path) -> None:
    edit(main, "  - id: required_by_law\n", "  - id: business_convenience\n")
    edit(
        main, "bases: [required_by_law, court_order]", "bases: [business_convenience, court_order]"
    )
    problems = validate_file(main)
    line, column = position(main, "  - id: business_convenience", offset=len("  - id: "))
    found = at(problems, main, line, column)
    assert found and found[0].rule == "DIS-2", messages(problems)


def test_dis_5_non_basic_information_on_mere_consent(main: Path) -> None:
    edit(
        main,
        "    bases: [consent]\n    categories: [name, mailing_address, telephone_number]\n"
        "    description:\n      en: Shipping",
        "    bases: [consent]\n"
        "    categories: [name, mailing_address, telephone_number, billing_records]\n"
        "    description:\n      en: Shipping",
    )
    problems = validate_file(main)
    assert any(p.rule == "DIS-5" and "shipping_company" in p.message for p in problems), messages(
        problems
    )


def test_dis_4_processing_abroad_without_safeguards(main: Path) -> None:
    text = main.read_text(encoding="utf-8")
    start = text.index("    safeguards:\n      en: Safeguards at least as stringent")
    end = text.index("\n\n", start)
    main.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    problems = validate_file(main)
    line, column = position(main, "  - id: suppliers_abroad", offset=4)
    found = at(problems, main, line, column)
    assert found and found[0].rule == "DIS-4", messages(problems)


def test_legal_rule_looser_than_the_law(main: Path) -> None:
    edit(main, "  access_response_days: 30\n", "  access_response_days: 45\n")
    problems = validate_file(main)
    line, column = position(main, "access_response_days: 45", offset=len("access_response_days: "))
    found = at(problems, main, line, column)
    assert found and found[0].rule == "ACC-1", messages(problems)


def test_calling_hours_wider_than_the_law(main: Path) -> None:
    edit(main, 'weekday_end: "21:30"', 'weekday_end: "22:00"')
    problems = validate_file(main)
    line, column = position(main, '"22:00"')
    found = at(problems, main, line, column)
    assert found and found[0].rule == "CEM-5", messages(problems)


def test_stricter_legal_values_are_accepted(main: Path) -> None:
    edit(main, "  access_response_days: 30\n", "  access_response_days: 20\n")
    edit(
        main,
        "  access_extension_allowed_federal: true\n",
        "  access_extension_allowed_federal: false\n",
    )
    edit(main, "  dnc_keep_days: 1109\n", "  dnc_keep_days: 2000\n")
    assert validate_file(main) == []


# --- Product policies --------------------------------------------------------------


def test_product_policy_file_not_found(main: Path) -> None:
    edit(main, "file: products/travel.yaml", "file: products/missing.yaml")
    problems = validate_file(main)
    line, column = position(main, "products/missing.yaml")
    found = at(problems, main, line, column)
    assert found and "not found" in found[0].message, messages(problems)


def test_problems_in_a_product_policy_name_the_product_file(main: Path, travel: Path) -> None:
    edit(
        travel,
        "categories: [telephone_number, roaming_records]\n    description:\n      en: The carriers",
        "categories: [telephone_number, roaming_recs]\n    description:\n      en: The carriers",
    )
    problems = validate_file(main)
    line, column = position(travel, "roaming_recs]")
    found = at(problems, travel, line, column)
    assert found and "unknown category 'roaming_recs'" in found[0].message, messages(problems)


def test_load_policy_raises_policy_invalid_with_every_problem(main: Path) -> None:
    edit(main, "  access_response_days: 30\n", "  access_response_days: 45\n")
    edit(
        main, "categories: [name, mailing_address, credit_information]", "categories: [name, nope]"
    )
    with pytest.raises(PolicyInvalid) as raised:
        load_policy(main)
    error = raised.value
    assert isinstance(error, ValidationFailed)
    assert len(error.policy_problems) == len(validate_file(main)) >= 2
    assert len(error.problems) == len(error.policy_problems)
    assert str(main) in str(error)


def test_render_is_file_line_column_message_hint(main: Path) -> None:
    edit(main, "  access_response_days: 30\n", "  access_response_days: 45\n")
    [problem] = validate_file(main)
    line, column = position(main, "access_response_days: 45", offset=len("access_response_days: "))
    assert problem.render() == (
        f"{main}:{line}:{column}: [ACC-1] rules.access_response_days is looser than the law: "
        f"access_response_days is 45, longer than 30 ({problem.hint})"
    )


def test_positions_are_the_same_with_or_without_libyaml(
    main: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    from confide.policy import yaml_source

    edit(main, "  home_province: QC\n", "  home_province: QC\n  home_province: NB\n")
    edit(main, "categories: [name, mailing_address, credit_information]", "categories: [é, x]")
    default = validate_file(main)
    monkeypatch.setattr(yaml_source, "_SafeLoader", yaml.SafeLoader)
    assert validate_file(main) == default
    assert len(default) == 1  # a duplicate key stops before the meaning is checked

    edit(main, "  home_province: QC\n  home_province: NB\n", "  home_province: QC\n")
    pure = validate_file(main)
    monkeypatch.undo()
    assert validate_file(main) == pure
    assert {"unknown category 'é'", "unknown category 'x'"} <= {p.message for p in pure}
    line, column = position(main, "x]")
    assert at(pure, main, line, column)


def test_home_province_must_be_a_canadian_province(main: Path) -> None:
    edit(main, "  home_province: QC\n", "  home_province: XX\n")
    problems = validate_file(main)
    line, column = position(main, "home_province: XX", offset=len("home_province: "))
    found = at(problems, main, line, column)
    assert found and "not a Canadian province" in found[0].message, messages(problems)


def test_cmp_3_privacy_officer_email_must_be_an_address(main: Path) -> None:
    edit(main, "    email: info@cell.expert\n", "    email: info-at-cell\n")
    problems = validate_file(main)
    line, column = position(main, "email: info-at-cell", offset=len("email: "))
    found = at(problems, main, line, column)
    assert found and found[0].rule == "CMP-3", messages(problems)
    assert "info-at-cell" not in found[0].message


def test_authorized_user_cannot_act_for_itself(main: Path) -> None:
    edit(main, "    acts_for: customer\n", "    acts_for: authorized_user\n")
    problems = validate_file(main)
    line, column = position(main, "acts_for: authorized_user", offset=len("acts_for: "))
    found = at(problems, main, line, column)
    assert found and "acts, through others, for itself" in found[0].message, messages(problems)


def test_pol_2_policy_must_name_a_notice_channel(main: Path) -> None:
    text = main.read_text(encoding="utf-8")
    start = text.index("notice_channels:\n")
    end = text.index("\n\n", start)
    main.write_text(text[:start] + "notice_channels: []" + text[end:], encoding="utf-8")
    problems = validate_file(main)
    line, column = position(main, "notice_channels: []", offset=len("notice_channels: "))
    found = at(problems, main, line, column)
    assert found and found[0].rule == "POL-2", messages(problems)


def test_a_main_policy_extends_nothing(main: Path) -> None:
    edit(main, "id: confide-privacy-policy\n", "id: confide-privacy-policy\nextends: other\n")
    problems = validate_file(main)
    line, column = position(main, "extends: other")
    found = at(problems, main, line, column)
    assert found and "extends nothing" in found[0].message, messages(problems)


def test_implied_window_in_days_and_months_is_ambiguous(main: Path) -> None:
    edit(
        main,
        "      - event: inquiry\n        window_months: 6",
        "      - event: inquiry\n        window_months: 6\n        window_days: 90",
    )
    problems = validate_file(main)
    line, column = position(main, "      - event: inquiry", offset=8)
    found = at(problems, main, line, column)
    assert found and "both window_days and window_months" in found[0].message, messages(problems)


def test_marketing_purpose_without_channels(main: Path) -> None:
    text = main.read_text(encoding="utf-8")
    rest = "    categories: [name, mailing_address, email, telephone_number, usage_data"
    old = "    channels: [telemarketing, postal_mail, email, text_message]\n" + rest
    assert text.count(old) == 1
    main.write_text(text.replace(old, rest), encoding="utf-8")
    problems = validate_file(main)
    before = "  - id: individual_marketing\n    consent: express\n    marketing: "
    line, column = position(main, before + "true", offset=len(before))
    found = at(problems, main, line, column)
    assert found and found[0].rule == "CON-1", messages(problems)


def test_legal_values_must_be_positive(main: Path) -> None:
    edit(main, "  unsubscribe_business_days: 10\n", "  unsubscribe_business_days: 0\n")
    problems = validate_file(main)
    line, column = position(
        main, "unsubscribe_business_days: 0", len("unsubscribe_business_days: ")
    )
    found = at(problems, main, line, column)
    assert found and found[0].rule == "CEM-2", messages(problems)
    assert "positive" in found[0].message


def test_product_policy_file_must_stay_in_the_policy_folder(main: Path) -> None:
    (main.parent.parent / "elsewhere.yaml").write_text("id: x\n", encoding="utf-8")
    edit(main, "file: products/travel.yaml", "file: ../elsewhere.yaml")
    problems = validate_file(main)
    line, column = position(main, "../elsewhere.yaml")
    found = at(problems, main, line, column)
    assert found and "outside this policy's folder" in found[0].message, messages(problems)
