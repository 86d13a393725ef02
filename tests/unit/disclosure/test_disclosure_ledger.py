"""The disclosure ledger's records (DIS-1) and the account of disclosures (ACC-4)."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

import pytest
from disclosure_support import express, packaged_policy, recipient, registered, subject, t

from confide.domain.disclosure import CONSENT, ExceptionBasis, decide_disclosure
from confide.domain.disclosure.exceptions import DebtReference
from confide.domain.disclosure.ledger import (
    DisclosureRecord,
    account_of_disclosures,
    possible_recipients,
    record_disclosure,
)
from confide.domain.policy import Policy

AT = t("2026-03-02 10:00")


@pytest.fixture(scope="module")
def policy() -> Policy:
    return packaged_policy()


def _recorded(policy: Policy, seed: int) -> list[DisclosureRecord]:
    """Real decisions for three subjects to three recipients at shuffled times, recorded."""
    rng = random.Random(seed)
    shipper = recipient("shipping_company", rid="ship-1", name="Fast Freight")
    agency = recipient("collection_agency", rid="coll-1", name="Recover Co")
    partner = recipient("third_party_by_consent", rid="bank-1", name="Partner Bank")
    ids = itertools.count()
    records: list[DisclosureRecord] = []
    for sid in ("s-1", "s-2", "s-3"):
        person = subject(
            sid,
            registered(sid, t("2026-01-05 10:00")),
            express(sid, "sharing_with_partners", t("2026-01-06 10:00")),
        )
        for _ in range(rng.randint(3, 8)):
            at = AT + timedelta(hours=rng.randint(0, 2000))
            choice = rng.randrange(3)
            if choice == 0:
                cats = rng.sample(
                    ["name", "mailing_address", "telephone_number"], rng.randint(1, 3)
                )
                decision = decide_disclosure(
                    policy, shipper, person, cats, "provide_service", CONSENT, at=at
                )
            elif choice == 1:
                debt = DebtReference(f"INV-{rng.randint(1, 999)}", owed_to_company=True)
                decision = decide_disclosure(
                    policy,
                    agency,
                    person,
                    ["name", "billing_records"],
                    "billing",
                    ExceptionBasis("debt_collection", debt),
                    at=at,
                )
            else:
                decision = decide_disclosure(
                    policy, partner, person, ["email"], "sharing_with_partners", CONSENT, at=at
                )
            assert decision.allowed, decision.findings
            records.append(record_disclosure(decision, f"dec-{next(ids)}"))
    rng.shuffle(records)
    return records


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_acc_4_the_account_of_disclosures_matches_what_was_recorded_exactly(
    policy: Policy, seed: int
) -> None:
    records = _recorded(policy, seed)
    mine = [r for r in records if r.subject_id == "s-2"]
    account = account_of_disclosures(records, "s-2", policy=policy)
    assert account.subject_id == "s-2"
    assert account.disclosure_count == len(mine)
    shown = {
        (a.recipient_id, a.name, line.at, line.categories, line.legal_basis, line.decision_id)
        for a in account.recipients
        for line in a.lines
    }
    expected = {
        (r.recipient_id, r.recipient_name, r.at, r.categories, r.legal_basis, r.decision_id)
        for r in mine
    }
    assert shown == expected
    for entry in account.recipients:
        assert list(entry.dates) == sorted(entry.dates)
        assert set(entry.categories) == {
            c for r in mine if r.recipient_id == entry.recipient_id for c in r.categories
        }
    firsts = [entry.lines[0].at for entry in account.recipients]
    assert firsts == sorted(firsts)
    assert account.may_have_been_disclosed_to == ()


def test_acc_4_the_account_names_recipients_with_dates_and_categories_in_json(
    policy: Policy,
) -> None:
    record = DisclosureRecord(
        "dec-1",
        "s-1",
        "shipping_company",
        AT,
        ("name",),
        "provide_service",
        "consent",
        recipient_id="ship-1",
        recipient_name="Fast Freight",
    )
    data = account_of_disclosures([record], "s-1", policy=policy).to_dict()
    assert data["recipients"] == [
        {
            "recipient_id": "ship-1",
            "name": "Fast Freight",
            "recipient_class": "shipping_company",
            "categories": ["name"],
            "disclosures": [
                {
                    "at": AT.isoformat(),
                    "categories": ["name"],
                    "purpose_id": "provide_service",
                    "legal_basis": "consent",
                    "decision_id": "dec-1",
                }
            ],
        }
    ]


def test_acc_4_a_recipient_not_known_precisely_lists_the_organizations_of_its_class(
    policy: Policy,
) -> None:
    imported = DisclosureRecord(
        "dec-9",
        "s-1",
        "collection_agency",
        AT,
        ("name", "billing_records"),
        "billing",
        "debt_collection",
    )
    register = [
        recipient("collection_agency", rid="c-2", name="Zed Recovery"),
        recipient("collection_agency", rid="c-1", name="Acme Collections"),
        recipient("shipping_company", rid="s-1", name="Fast Freight"),
    ]
    account = account_of_disclosures([imported], "s-1", policy=policy, register=register)
    assert account.recipients == ()
    (possible,) = account.may_have_been_disclosed_to
    assert possible.recipient_class == "collection_agency"
    assert possible.organizations == ("Acme Collections", "Zed Recovery")
    assert possible.categories == ("name", "billing_records")
    cls = policy.recipient_class("collection_agency")
    assert cls is not None
    assert account.to_dict("fr")["may_have_been_disclosed_to"] == [
        {
            "recipient_class": "collection_agency",
            "description": cls.description.fr,
            "organizations": ["Acme Collections", "Zed Recovery"],
            "categories": ["name", "billing_records"],
        }
    ]


def test_acc_4_may_have_been_disclosed_to_lists_the_classes_allowed_the_subjects_categories(
    policy: Policy,
) -> None:
    found = possible_recipients(policy, ["credit_information"])
    assert {p.recipient_class for p in found} == {"credit_bureau", "as_required_by_law"}
    assert all(p.categories == ("credit_information",) for p in found)
    assert possible_recipients(policy, []) == ()


def test_acc_4_other_subjects_records_never_appear_in_an_account(policy: Policy) -> None:
    theirs = DisclosureRecord(
        "dec-1",
        "s-2",
        "shipping_company",
        AT,
        ("name",),
        "provide_service",
        "consent",
        recipient_id="ship-1",
        recipient_name="Fast Freight",
    )
    account = account_of_disclosures([theirs], "s-1", policy=policy)
    assert account.recipients == () and account.disclosure_count == 0
