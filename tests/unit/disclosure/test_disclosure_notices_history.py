"""Pure rules of written notices (DIS-2) and of historical class-only disclosures (ACC-4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from disclosure_support import packaged_policy

from confide.domain.disclosure.history import check_row
from confide.domain.disclosure.notices import NoticeStatus, notice_status, sent_problems
from confide.domain.policy import Policy

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
QC = ZoneInfo("America/Toronto")


@pytest.fixture(scope="module")
def policy() -> Policy:
    return packaged_policy()


def test_dis_2_a_notice_is_open_until_its_deadline_then_overdue_until_sent() -> None:
    due = NOW + timedelta(days=1)
    assert notice_status(due, None, NOW) is NoticeStatus.OPEN
    assert notice_status(due, None, due) is NoticeStatus.OPEN  # due that instant: not yet late
    assert notice_status(due, None, due + timedelta(seconds=1)) is NoticeStatus.OVERDUE
    assert notice_status(due, due + timedelta(days=3), NOW) is NoticeStatus.SENT


def test_dis_2_the_facts_of_a_sent_notice_are_checked_field_by_field() -> None:
    disclosed = NOW - timedelta(days=2)

    def where(**kw: object) -> list[str]:
        facts: dict[str, object] = {
            "sent_at": NOW - timedelta(days=1),
            "method": "mail",
            "sent_by": "u-1",
            "disclosed_at": disclosed,
            "now": NOW,
            **kw,
        }
        return [p.location for p in sent_problems(**facts)]  # type: ignore[arg-type]

    assert where() == []
    assert where(sent_at=NOW) == []
    assert where(sent_at=NOW + timedelta(seconds=1)) == ["sent_at"]
    assert where(sent_at=disclosed - timedelta(seconds=1)) == ["sent_at"]
    assert where(sent_at=datetime(2026, 11, 29, 12, 0)) == ["sent_at"]  # no zone
    assert where(method="fax", sent_by=" ") == ["method", "sent_by"]


ROW = {
    "subject_id": "sub_1",
    "recipient_class": "collection_agency",
    "disclosed_at": "2019-03-01",
    "categories": "name; billing_records;name",
    "purpose": "billing",
    "basis": "debt_collection",
    "evidence_reference": "",
}


def test_acc_4_a_historical_row_keeps_its_class_date_and_categories(policy: Policy) -> None:
    row, problems = check_row(7, ROW, policy=policy, zone=QC, now=NOW)
    assert problems == []
    assert row is not None
    assert (row.line, row.recipient_class, row.basis) == (7, "collection_agency", "debt_collection")
    assert row.at == datetime(2019, 3, 1, tzinfo=QC)
    assert row.categories == ("name", "billing_records")
    assert row.evidence_reference is None
    row, _ = check_row(7, {**ROW, "basis": "consent"}, policy=policy, zone=QC, now=NOW)
    assert row is not None and row.basis == "consent"


@pytest.mark.parametrize(
    ("change", "columns"),
    [
        ({"recipient_class": "nobody_class"}, ["recipient_class"]),
        ({"disclosed_at": "2019-13-01"}, ["disclosed_at"]),
        ({"disclosed_at": "2019-03-01T10:00:00"}, ["disclosed_at"]),  # a time needs its zone
        ({"disclosed_at": "2027-01-01"}, ["disclosed_at"]),  # the future
        ({"categories": ";;"}, ["categories"]),
        ({"categories": "name;nope"}, ["categories"]),
        ({"purpose": "nope"}, ["purpose"]),
        ({"basis": "business_interest"}, ["basis"]),
        ({"evidence_reference": "x" * 201}, ["evidence_reference"]),
        ({"subject_id": " ", "basis": ""}, ["subject_id", "basis"]),
    ],
)
def test_acc_4_a_bad_historical_row_names_line_and_column_not_the_value(
    policy: Policy, change: dict[str, str], columns: list[str]
) -> None:
    row, problems = check_row(12, {**ROW, **change}, policy=policy, zone=QC, now=NOW)
    assert row is None
    assert [p.location for p in problems] == [f"line 12.{c}" for c in columns]
    for p in problems:
        for value in change.values():
            if value.strip():
                assert value not in p.message
