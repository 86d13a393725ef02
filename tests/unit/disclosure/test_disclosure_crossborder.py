"""The cross-border register: information processed or stored outside Québec or Canada."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from disclosure_support import AGREEMENT, ASSESSMENT, SAFEGUARDS, packaged_policy, recipient

from confide.domain.disclosure import Place
from confide.domain.disclosure.crossborder import (
    CSV_FIELDS,
    HolderKind,
    Scope,
    cross_border_rows,
    rows_to_csv,
    subjects_outside,
)
from confide.domain.policy import Policy


@pytest.fixture(scope="module")
def policy() -> Policy:
    return packaged_policy()


REGISTER = (
    recipient("shipping_company", rid="ship-qc", name="Montréal Freight"),
    recipient("credit_bureau", Place("CA", "ON"), rid="bureau-on", name="Toronto Credit"),
    recipient("roaming_partner", Place("FR"), rid="roam-fr", name="Opérateur FR"),
)


def test_dis_4_recipients_outside_quebec_are_listed_with_their_papers(policy: Policy) -> None:
    rows = [r for r in cross_border_rows(policy, REGISTER) if r.holder_kind is HolderKind.RECIPIENT]
    assert [(r.holder_id, r.scope) for r in rows] == [
        ("bureau-on", Scope.OUTSIDE_QUEBEC),
        ("roam-fr", Scope.OUTSIDE_CANADA),
    ]
    roaming = rows[1]
    cls = policy.recipient_class("roaming_partner")
    assert cls is not None
    assert roaming.categories == cls.categories
    assert roaming.purposes == cls.purposes
    assert roaming.safeguards == SAFEGUARDS
    assert roaming.agreement_reference == AGREEMENT.reference
    assert roaming.agreement_expires_on == str(AGREEMENT.expires_on)
    assert roaming.impact_assessment_reference == ASSESSMENT.reference
    assert roaming.processor == "recipient:roaming_partner"


def test_dis_4_the_policys_locations_abroad_are_listed_with_their_safeguards(
    policy: Policy,
) -> None:
    rows = [
        r
        for r in cross_border_rows(policy, (), language="fr")
        if r.holder_kind is HolderKind.PROCESSING_LOCATION
    ]
    expected = [
        loc for loc in policy.processing_locations if loc.country != "CA" or loc.province != "QC"
    ]
    assert [r.holder_id for r in rows] == [loc.id for loc in expected]
    for row, location in zip(rows, expected, strict=True):
        assert row.scope is Scope.OUTSIDE_CANADA
        assert location.safeguards is not None
        assert row.safeguards == location.safeguards.fr
        assert row.processor == location.processor
        assert row.categories == location.categories


def test_the_register_exports_to_csv_and_json(policy: Policy) -> None:
    rows = cross_border_rows(policy, REGISTER)
    parsed = list(csv.DictReader(io.StringIO(rows_to_csv(rows))))
    assert len(parsed) == len(rows)
    assert tuple(parsed[0]) == CSV_FIELDS
    roaming = next(p for p in parsed if p["holder_id"] == "roam-fr")
    assert roaming["categories"] == "telephone_number;roaming_records"
    assert roaming["holder_name"] == "Opérateur FR"
    assert roaming["province"] == ""
    assert json.loads(json.dumps([r.to_dict() for r in rows]))[0]["holder_id"] == "bureau-on"


def test_subjects_outside_names_which_of_a_subjects_categories_each_holder_may_process(
    policy: Policy,
) -> None:
    rows = cross_border_rows(policy, REGISTER)
    subjects = [("s-1", ["name", "credit_information"]), ("s-2", ["location_data"])]
    found = list(subjects_outside(rows, subjects))
    by_holder = {(f.subject_id, f.holder_id): f.categories for f in found}
    assert by_holder[("s-1", "bureau-on")] == ("name", "credit_information")
    assert ("s-1", "roam-fr") not in by_holder
    assert by_holder[("s-1", "suppliers_abroad")] == ("name",)
    assert not any(f.subject_id == "s-2" for f in found)


def test_subjects_outside_streams_one_subject_at_a_time(policy: Policy) -> None:
    rows = cross_border_rows(policy, REGISTER)
    consumed: list[str] = []

    def subjects() -> Iterator[tuple[str, list[str]]]:
        for i in range(1_000_000):
            consumed.append(f"s-{i}")
            yield f"s-{i}", ["name"]

    stream = subjects_outside(rows, subjects())
    first = next(stream)
    assert first.subject_id == "s-0"
    assert len(consumed) == 1
