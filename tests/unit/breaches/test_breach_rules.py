"""The breach register's pure rules: the risk proposal (BRE-2), what a decision makes owed
(BRE-3, BRE-4), the keeping period (BRE-5), and how dates read in EN/FR."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from confide.domain.breaches.contents import occurrence_text
from confide.domain.breaches.model import (
    Assessment,
    Incident,
    Level,
    Notice,
    NoticeKind,
    Occurrence,
    PublicNoticeReason,
    ReportedBy,
)
from confide.domain.breaches.rules import (
    add_months,
    keep_until,
    missing_facts,
    outstanding,
    owed,
    probability_of,
    propose,
    sensitivity_of,
)

AT = datetime(2026, 6, 1, tzinfo=UTC)
SENSITIVITIES = {"email": "low", "billing_records": "medium", "credit_information": "high"}


def incident(**changes: object) -> Incident:
    base = Incident(
        id="inc_1",
        reference="INC-2026-0001",
        title="t",
        reported_at=AT,
        reported_by=ReportedBy.STAFF,
        recorded_by="u",
        aware_on=date(2026, 6, 1),
    )
    return base.__class__(**{**base.__dict__, **changes})


def assessment(real_risk: bool, serious: bool | None = None) -> Assessment:
    return Assessment(
        id="ias_1",
        incident_id="inc_1",
        sensitivity=Level.HIGH,
        probability=Level.HIGH,
        factors=("malicious_intent",),
        factors_note="",
        proposed_real_risk=real_risk,
        proposed_reasons=(),
        real_risk=real_risk,
        decision_reason="r",
        decided_by="u",
        decided_at=AT,
        determined_on=date(2026, 6, 1),
        serious_injury=serious,
    )


def sent(kind: NoticeKind, **more: object) -> Notice:
    return Notice("n", "inc_1", kind, AT, "u", sent_on=date(2026, 6, 2), **more)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("categories", "expected"),
    [
        (("email",), Level.LOW),
        (("email", "billing_records"), Level.MEDIUM),
        (("credit_information", "email"), Level.HIGH),
        ((), Level.HIGH),  # undescribed information is assumed sensitive
    ],
)
def test_bre_2_sensitivity_is_the_highest_the_policy_gives(
    categories: tuple[str, ...], expected: Level
) -> None:
    assert sensitivity_of(categories, SENSITIVITIES) is expected


def test_bre_2_factors_move_the_probability_of_misuse() -> None:
    assert probability_of([]) is Level.MEDIUM
    assert probability_of(["malicious_intent"]) is Level.HIGH
    assert probability_of(["encrypted"]) is Level.LOW
    assert probability_of(["encrypted", "malicious_intent"]) is Level.MEDIUM
    assert probability_of(["unknown_factor"]) is Level.MEDIUM


def test_bre_2_the_proposal_gives_its_reasons_and_a_quebec_answer() -> None:
    p = propose(("credit_information",), SENSITIVITIES, ["exposed_to_unknown"], quebec=True)
    assert (p.sensitivity, p.probability, p.real_risk, p.serious_injury) == (
        Level.HIGH,
        Level.MEDIUM,
        True,
        True,
    )
    assert p.reasons == (
        "sensitivity.high",
        "probability.medium",
        "factor.exposed_to_unknown",
        "proposal.real_risk",
        "proposal.serious_injury",
    )
    low = propose(("email",), SENSITIVITIES, ["recovered"], quebec=False)
    assert not low.real_risk and low.serious_injury is None


def test_bre_3_and_4_a_real_risk_owes_reports_and_notices_a_public_notice_replaces_them() -> None:
    assert owed(None, True) == []
    assert owed(assessment(False, False), True) == []
    assert owed(assessment(True, True), True) == [
        NoticeKind.OPC_REPORT,
        NoticeKind.CAI_NOTICE,
        NoticeKind.INDIVIDUALS,
    ]
    # Québec only: no real risk of significant harm, but a risk of serious injury.
    assert owed(assessment(False, True), True) == [NoticeKind.CAI_NOTICE, NoticeKind.INDIVIDUALS]
    public = sent(NoticeKind.PUBLIC, reason=PublicNoticeReason.NO_CONTACT, party="website")
    assert outstanding(assessment(True), False, [public]) == ["opc_report"]
    assert outstanding(assessment(True), False, [sent(NoticeKind.OPC_REPORT)]) == ["individuals"]


def test_bre_1_missing_facts_are_named_in_order() -> None:
    assert missing_facts(incident(), 0) == [
        "circumstances",
        "occurrence",
        "information",
        "systems",
        "affected",
        "measures",
    ]
    full = incident(
        circumstances="c",
        occurrence=Occurrence(date(2026, 5, 1)),
        unknown_information="deleted before we could read it",
        systems=("mail",),
        measures="m",
    )
    assert missing_facts(full, 0) == ["affected"]
    assert missing_facts(full, 3) == []


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 2, 29), 24, date(2026, 2, 28)),
        (date(2026, 12, 5), 24, date(2028, 12, 5)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
    ],
)
def test_bre_5_months_are_calendar_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_bre_5_kept_24_months_after_determination_or_five_years_after_awareness_in_quebec() -> None:
    aware, determined = date(2026, 1, 10), date(2026, 3, 1)
    assert keep_until(None, aware, True) is None  # not determined yet: kept
    assert keep_until(determined, aware, False) == date(2028, 3, 1)
    assert keep_until(determined, aware, True) == date(2031, 1, 10)
    assert keep_until(determined, aware, True, months=80, quebec_years=5) == date(2032, 11, 1)


def test_dates_read_as_a_day_a_period_or_an_approximation_in_both_languages() -> None:
    day = incident(occurrence=Occurrence(date(2026, 5, 1)))
    period = incident(occurrence=Occurrence(date(2026, 5, 1), date(2026, 5, 9), True))
    since = incident(occurrence=Occurrence(date(2026, 5, 1), None, True))
    assert occurrence_text(day, "en") == "on 2026-05-01"
    assert occurrence_text(period, "fr") == "approximativement du 2026-05-01 au 2026-05-09"
    assert occurrence_text(since, "en") == "around 2026-05-01"
    assert occurrence_text(since, "fr") == "vers le 2026-05-01"
