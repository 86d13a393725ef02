"""The recipients register checked against the policy (classes, categories, purposes, papers)."""

from __future__ import annotations

from datetime import date

import pytest
from disclosure_support import packaged_policy, recipient

from confide.domain.disclosure import Agreement, ImpactAssessment, Place
from confide.domain.disclosure.errors import InvalidRecipient
from confide.domain.disclosure.recipients import recipient_problems, validate_recipient
from confide.domain.policy import Policy


@pytest.fixture(scope="module")
def policy() -> Policy:
    return packaged_policy()


def test_a_recipient_within_its_class_is_valid_and_gives_its_class(policy: Policy) -> None:
    agency = recipient("collection_agency", categories=("name", "billing_records"))
    assert validate_recipient(policy, agency).id == "collection_agency"
    assert agency.allowed_categories(validate_recipient(policy, agency)) == {
        "name",
        "billing_records",
    }


def test_a_recipient_without_its_own_lists_may_receive_what_its_class_allows(
    policy: Policy,
) -> None:
    shipper = recipient("shipping_company")
    cls = validate_recipient(policy, shipper)
    assert shipper.allowed_categories(cls) == set(cls.categories)
    assert shipper.allowed_purposes(cls) == set(cls.purposes)


def test_an_unknown_class_is_refused(policy: Policy) -> None:
    with pytest.raises(InvalidRecipient) as error:
        validate_recipient(policy, recipient("data_broker"))
    assert [p.location for p in error.value.problems] == ["class_id"]


def test_categories_and_purposes_outside_the_class_are_each_named(policy: Policy) -> None:
    stray = recipient(
        "shipping_company",
        categories=("name", "credit_information", "usage_data"),
        purposes=("provide_service", "individual_marketing"),
    )
    problems = recipient_problems(policy, stray)
    assert [(p.location, p.message) for p in problems] == [
        ("categories", "category credit_information is not allowed for class shipping_company"),
        ("categories", "category usage_data is not allowed for class shipping_company"),
        ("purposes", "purpose individual_marketing is not allowed for class shipping_company"),
    ]


def test_papers_must_be_consistent(policy: Policy) -> None:
    backwards = recipient(
        "shipping_company",
        agreement=Agreement(" ", date(2026, 1, 1), date(2025, 1, 1)),
        assessment=ImpactAssessment("", date(2026, 1, 1)),
    )
    locations = [p.location for p in recipient_problems(policy, backwards)]
    assert locations == [
        "agreement.reference",
        "agreement.expires_on",
        "impact_assessment.reference",
    ]


def test_an_agreement_is_in_force_from_signature_through_its_last_day() -> None:
    agreement = Agreement("A", date(2026, 1, 10), date(2026, 6, 30))
    assert not agreement.on_file(date(2026, 1, 9))
    assert agreement.in_force(date(2026, 1, 10))
    assert agreement.in_force(date(2026, 6, 30))
    assert not agreement.in_force(date(2026, 7, 1))
    assert agreement.on_file(date(2026, 7, 1))
    assert Agreement("B", date(2026, 1, 1)).in_force(date(2099, 1, 1))


@pytest.mark.parametrize(
    ("place", "outside_quebec", "outside_canada"),
    [
        (Place("CA", "QC"), False, False),
        (Place("ca", "qc"), False, False),
        (Place("CA", "ON"), True, False),
        (Place("CA"), True, False),
        (Place("US", "NY"), True, True),
        (Place("*"), True, True),
    ],
)
def test_where_a_place_lies_relative_to_quebec_and_canada(
    place: Place, outside_quebec: bool, outside_canada: bool
) -> None:
    assert place.outside_quebec is outside_quebec
    assert place.outside_canada is outside_canada


def test_error_messages_name_fields_and_ids_never_the_recipients_details(policy: Policy) -> None:
    stray = recipient("data_broker", name="Jane Doe Collections", agreement=None)
    with pytest.raises(InvalidRecipient) as error:
        validate_recipient(policy, stray)
    assert "Jane Doe" not in str(error.value)
    assert "privacy@recipient.test" not in str(error.value)
