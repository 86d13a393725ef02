"""The retention domain (RET-1..3): anchors from lifecycle events, end-of-life dates, the SQL
cutoff agreeing with the dates, the certificate's hashes, and the re-identification analysis."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from confide.domain.policy import Anonymization, DisposalMethod, RetentionEvent
from confide.domain.retention.certificate import (
    Certificate,
    CertifiedLine,
    CertifiedRule,
    records_sha256,
)
from confide.domain.retention.lifecycle import LifecycleEvent, LifecycleKind, anchors_of
from confide.domain.retention.schedule import EndOfLife, due_cutoff
from confide.services.retention.anonymity import plan_anonymity

T0 = datetime(2026, 1, 15, 14, 30, tzinfo=UTC)


def event(kind: LifecycleKind, at: datetime) -> LifecycleEvent:
    return LifecycleEvent(f"sev_{kind}_{at:%s}", "sub_1", kind, at, at + timedelta(days=1), "u")


def test_ret_1_anchors_follow_the_latest_events_and_a_resumed_service_cancels_its_end() -> None:
    ended = event(LifecycleKind.SERVICE_ENDED, T0)
    later_end = event(LifecycleKind.EMPLOYMENT_ENDED, T0 + timedelta(days=3))
    assert anchors_of([ended, later_end]).end_of_service == T0 + timedelta(days=3)
    resumed = event(LifecycleKind.SERVICE_RESUMED, T0 + timedelta(days=5))
    assert anchors_of([ended, later_end, resumed]).end_of_service is None
    ended_again = event(LifecycleKind.SERVICE_ENDED, T0 + timedelta(days=9))
    assert anchors_of([ended, resumed, ended_again]).end_of_service == T0 + timedelta(days=9)
    anchors = anchors_of([event(LifecycleKind.LAST_ACTIVITY, T0)])
    collected = T0 - timedelta(days=30)
    assert anchors.of(RetentionEvent.LAST_ACTIVITY, collected) == T0
    assert anchors.of(RetentionEvent.COLLECTION, collected) == collected
    assert anchors.of(RetentionEvent.END_OF_LEGAL_OBLIGATION, collected) is None


def test_ret_1_earliest_and_latest_disposal_dates() -> None:
    life = EndOfLife(
        "billing_records", RetentionEvent.COLLECTION, DisposalMethod.DELETE, 2190, 2555, T0
    )
    assert life.earliest == date(2032, 1, 14)
    assert life.latest == date(2033, 1, 13)
    assert not life.due_on(date(2033, 1, 12)) and life.due_on(date(2033, 1, 13))
    assert not life.may_dispose_on(date(2032, 1, 13)) and life.may_dispose_on(date(2032, 1, 14))
    waiting = EndOfLife(
        "email", RetentionEvent.END_OF_SERVICE, DisposalMethod.DELETE, 0, 1095, None
    )
    assert waiting.latest is None and not waiting.due_on(date(2100, 1, 1))


@given(
    anchor=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
    ),
    days=st.integers(min_value=1, max_value=4000),
    as_of=st.dates(min_value=date(2000, 1, 1), max_value=date(2045, 12, 31)),
)
def test_ret_2_the_plans_cutoff_agrees_with_the_latest_disposal_date(
    anchor: datetime, days: int, as_of: date
) -> None:
    life = EndOfLife("c", RetentionEvent.COLLECTION, DisposalMethod.DELETE, 0, days, anchor)
    assert (anchor < due_cutoff(as_of, days)) == life.due_on(as_of)


def test_ret_2_the_certificate_hashes_its_sorted_ids_and_its_canonical_form() -> None:
    ids = ["pi_b", "pi_a", "pi_c"]
    expected = hashlib.sha256(b"pi_a\npi_b\npi_c\n").hexdigest()
    assert records_sha256(ids) == expected
    assert records_sha256([]) == hashlib.sha256(b"").hexdigest()
    cert = Certificate(
        run_id="drun_1",
        issued_at="2026-12-05T10:00:00+00:00",
        as_of="2026-12-05",
        policy_version="v1",
        planned_by="u1",
        planned_at="2026-12-05T09:00:00+00:00",
        approved_by="u1",
        approved_at="2026-12-05T09:30:00+00:00",
        approval="officer",
        started_at="2026-12-05T09:31:00+00:00",
        finished_at="2026-12-05T10:00:00+00:00",
        rules=(CertifiedRule("location_data", 0, 90, "collection", "delete"),),
        lines=(CertifiedLine("location_data", "crm", "delete", 3),),
        total=3,
        records_sha256=expected,
    )
    again = Certificate.from_body(cert.body())
    assert again == cert and again.digest() == cert.digest()
    changed = Certificate.from_body({**cert.body(), "total": 4})
    assert changed.digest() != cert.digest()


def _rows(n: int, province: str, month: str, start: int = 0) -> list[dict[str, str]]:
    return [
        {
            "id": f"pi_{province}_{month}_{i}",
            "province": province,
            "subject_type": "customer",
            "collected_month": f"{month}-01",
            "value": f"{i % 3} sessions",
        }
        for i in range(start, start + n)
    ]


def test_ret_3_groups_below_k_or_l_are_generalized_or_suppressed() -> None:
    settings = Anonymization(("province", "collected_month"), k=5, l=2, sensitive="value")
    rows = _rows(40, "QC", "2025-03") + _rows(30, "ON", "2025-04") + _rows(1, "NU", "2025-05")
    plan = plan_anonymity(rows, settings)
    assert plan.k >= 5 and plan.l_diversity >= 2
    assert plan.kept + len(plan.suppressed) == len(rows)
    # The lone record in Nunavut is suppressed rather than kept identifiable.
    assert "pi_NU_2025-05_0" in plan.suppressed
    # All the same value: l-diversity cannot be met, everything is suppressed.
    same = [{**r, "value": "1 session"} for r in _rows(20, "QC", "2025-03")]
    flat = plan_anonymity(same, settings)
    assert flat.kept == 0 and len(flat.suppressed) == 20
