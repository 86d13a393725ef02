"""Bulk checks: one recipient, many subjects, each checked, the refused ones listed with reasons."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator

import pytest
from disclosure_support import ALL_ON_FILE, packaged_policy, recipient, registered, subject, t

from confide.domain.consent.events import RelationshipEventRecorded, RelationshipKind
from confide.domain.disclosure import (
    CONSENT,
    DisclosureReason,
    DisclosureSubject,
    ExceptionBasis,
    Place,
    decide_disclosure,
)
from confide.domain.disclosure.bulk import BulkItem, BulkTally, check_bulk, record_allowed
from confide.domain.disclosure.errors import InvalidRecipient
from confide.domain.disclosure.exceptions import DebtReference
from confide.domain.policy import Policy

R = DisclosureReason
AT = t("2026-03-02 10:00")
N = 10_000
CATS = ("name", "billing_records")
NO_BILLING = ALL_ON_FILE - {"billing_records"}


@pytest.fixture(scope="module")
def policy() -> Policy:
    return packaged_policy()


def debt_batch(n: int) -> Iterator[BulkItem]:
    """Subject i's case is i % 10: 0 no evidence, 1 a debt owed to someone else, 2 no billing
    records on file, 3 both of the last two; every other subject is in order."""
    for i in range(n):
        case = i % 10
        sid = f"s-{i}"
        on_file = NO_BILLING if case in (2, 3) else ALL_ON_FILE
        person = subject(sid, province="ON" if i % 3 else "QC", on_file=on_file)
        if case == 0:
            yield BulkItem(person, ExceptionBasis("debt_collection", None))
        else:
            evidence = DebtReference(f"INV-{i}", owed_to_company=case not in (1, 3))
            yield BulkItem(person, ExceptionBasis("debt_collection", evidence))


def expected_reasons(i: int) -> tuple[R, ...]:
    return {
        0: (R.EVIDENCE_MISSING,),
        1: (R.EVIDENCE_INVALID,),
        2: (R.CATEGORY_NOT_ON_FILE,),
        3: (R.CATEGORY_NOT_ON_FILE, R.EVIDENCE_INVALID),
    }.get(i % 10, ())


def test_dis_2_a_bulk_of_10k_subjects_lists_allowed_and_refused_rows_with_reasons(
    policy: Policy,
) -> None:
    agency = recipient("collection_agency")
    tally = BulkTally()
    rows = check_bulk(
        policy,
        agency,
        debt_batch(N),
        CATS,
        "billing",
        ExceptionBasis("debt_collection", None),
        at=AT,
    )
    seen = 0
    for i, row in enumerate(tally.watch(rows)):
        assert row.subject_id == f"s-{i}"
        assert row.reasons == (expected_reasons(i) or (R.LEGAL_EXCEPTION,)), i
        assert row.allowed is (not expected_reasons(i))
        seen += 1
    assert seen == N
    assert tally.allowed == N * 6 // 10
    assert tally.refused == N * 4 // 10
    assert tally.by_reason == Counter(
        {
            "evidence_missing": N // 10,
            "evidence_invalid": 2 * N // 10,
            "category_not_on_file": 2 * N // 10,
        }
    )


def _consent_batch(n: int) -> Iterator[DisclosureSubject]:
    """i % 4: 0 registered, 1 never registered, 2 registered then terminated, 3 registered."""
    for i in range(n):
        sid = f"s-{i}"
        case = i % 4
        if case == 1:
            yield subject(sid)
            continue
        events = [registered(sid, t("2026-01-05 10:00"))]
        if case == 2:
            events.append(
                RelationshipEventRecorded(
                    f"end-{i}", sid, RelationshipKind.SERVICE_TERMINATED, t("2026-02-01 10:00")
                )
            )
        yield subject(sid, *events)


def test_dis_1_a_bulk_row_is_the_same_decision_as_a_single_one(policy: Policy) -> None:
    shipper = recipient("shipping_company")
    cats = ("name", "mailing_address")
    people = list(_consent_batch(2_000))
    rows = check_bulk(policy, shipper, people, cats, "provide_service", CONSENT, at=AT)
    singles = (
        decide_disclosure(policy, shipper, s, cats, "provide_service", CONSENT, at=AT)
        for s in people
    )
    allowed = 0
    for row, single in zip(rows, singles, strict=True):
        assert row.decision == single
        allowed += row.allowed
    assert allowed == 1_000  # cases 0 and 3


def test_a_bulk_check_refuses_bad_batch_input_before_the_first_row(policy: Policy) -> None:
    consumed = itertools.count()

    def never() -> Iterator[DisclosureSubject]:
        next(consumed)
        yield subject("s-1")

    with pytest.raises(InvalidRecipient):
        check_bulk(
            policy,
            recipient("no_such_class"),
            never(),
            CATS,
            "billing",
            CONSENT,
            at=AT,
        )
    assert next(consumed) == 0


def test_a_bulk_check_streams_one_subject_at_a_time(policy: Policy) -> None:
    pulled: list[int] = []

    def endless() -> Iterator[DisclosureSubject]:
        for i in itertools.count():
            pulled.append(i)
            yield subject(f"s-{i}")

    rows = check_bulk(
        policy,
        recipient("shipping_company"),
        endless(),
        ["name"],
        "provide_service",
        CONSENT,
        at=AT,
    )
    assert next(rows).subject_id == "s-0"
    assert next(rows).subject_id == "s-1"
    assert pulled == [0, 1]


def test_a_batch_leaving_quebec_refuses_quebec_subjects_only_without_papers(
    policy: Policy,
) -> None:
    bureau = recipient("credit_bureau", Place("CA", "ON"), agreement=None, assessment=None)
    people = [subject("qc", province="QC"), subject("on", province="ON")]
    debt = ExceptionBasis("debt_collection", DebtReference("INV-1", owed_to_company=True))
    rows = list(check_bulk(policy, bureau, people, CATS, "billing", debt, at=AT))
    assert rows[0].reasons == (R.IMPACT_ASSESSMENT_MISSING, R.AGREEMENT_MISSING)
    assert rows[1].allowed


def test_only_allowed_rows_of_a_batch_get_a_ledger_record(policy: Policy) -> None:
    ids = (f"dec-{i}" for i in itertools.count())
    rows = check_bulk(
        policy,
        recipient("collection_agency"),
        debt_batch(20),
        CATS,
        "billing",
        ExceptionBasis("debt_collection", None),
        at=AT,
    )
    pairs = list(record_allowed(rows, lambda: next(ids)))
    recorded = [(row.subject_id, rec) for row, rec in pairs if rec is not None]
    assert [sid for sid, _ in recorded] == [f"s-{i}" for i in range(20) if not expected_reasons(i)]
    assert all(
        rec.subject_id == sid and rec.legal_basis == "debt_collection" for sid, rec in recorded
    )
    assert all(rec is None for row, rec in pairs if not row.allowed)
    assert recorded[0][1].evidence_reference == "INV-4"
