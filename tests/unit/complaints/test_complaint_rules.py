"""Complaints' pure rules: escalation when not resolved at the first level in time (CMP-1), no
closing of a justified complaint without a recorded action (CMP-2), and what each kind of
action must name."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from confide.domain.complaints import (
    ActionKind,
    ActionRequired,
    Complaint,
    ComplaintAction,
    ComplaintChannel,
    ComplaintClosed,
    ComplaintLevel,
    ComplaintStatus,
    ComplaintTopic,
    Outcome,
)
from confide.domain.complaints.letters import acknowledgement, answer
from confide.domain.errors import Conflict, NotAllowed
from confide.domain.officer import Officer

AT = datetime(2026, 6, 1, 15, tzinfo=UTC)


def complaint(**changes: object) -> Complaint:
    base = Complaint(
        id="cmp_1",
        reference="CMP-2026-0001",
        received_at=AT,
        channel=ComplaintChannel.PHONE,
        language="fr",
        contact="client@example.ca",
        topic=ComplaintTopic.MARKETING,
        summary="Keeps receiving texts after opting out.",
        target_on=date(2026, 6, 15),
        recorded_by="u-agent",
    )
    return Complaint(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def action(kind: ActionKind, **fields: object) -> ComplaintAction:
    return ComplaintAction("act_1", "cmp_1", kind, AT, "u-officer", **fields)  # type: ignore[arg-type]


def test_cmp_1_a_complaint_unanswered_at_the_first_level_after_its_target_escalates() -> None:
    c = complaint()
    assert not c.due_for_escalation(date(2026, 6, 15))  # the target day itself is in time
    assert c.due_for_escalation(date(2026, 6, 16))
    up = c.escalate(AT, "system")
    assert (up.level, up.escalated_by) == (ComplaintLevel.SENIOR, "system")
    assert not up.due_for_escalation(date(2026, 7, 1))
    with pytest.raises(Conflict):
        up.escalate(AT, "u-officer")
    answered = c.answer(AT, "u-agent", Outcome.NOT_JUSTIFIED, "The texts came from another firm.")
    assert not answered.due_for_escalation(date(2026, 7, 1))


def test_cmp_1_a_closed_complaint_is_not_escalated_or_answered_again() -> None:
    closed = complaint().answer(AT, "u", Outcome.WITHDRAWN, "Withdrawn by the caller.")
    closed = closed.close(AT, "u-officer", [])
    assert closed.status is ComplaintStatus.CLOSED
    with pytest.raises(ComplaintClosed):
        closed.escalate(AT, "u-officer")
    with pytest.raises(ComplaintClosed):
        closed.answer(AT, "u", Outcome.JUSTIFIED, "x")


def test_cmp_1_closing_needs_a_written_answer_first() -> None:
    with pytest.raises(NotAllowed) as refused:
        complaint().close(AT, "u-officer", [])
    assert refused.value.fields["rule"] == "CMP-1"


@pytest.mark.parametrize("outcome", [Outcome.JUSTIFIED, Outcome.PARTLY_JUSTIFIED])
def test_cmp_2_a_justified_complaint_is_not_closed_without_an_action(outcome: Outcome) -> None:
    answered = complaint().answer(AT, "u-officer", outcome, "We kept texting after opt-out.")
    with pytest.raises(ActionRequired) as refused:
        answered.close(AT, "u-officer", [])
    assert refused.value.fields["rule"] == "CMP-2"
    change = action(
        ActionKind.PRACTICE_CHANGE,
        description="Opt-outs now reach the SMS vendor within the hour.",
        owner="Marketing operations",
        due_on=date(2026, 7, 1),
    )
    assert change.problems() == []
    assert answered.close(AT, "u-officer", [change]).status is ComplaintStatus.CLOSED


def test_cmp_2_each_kind_of_action_names_what_it_is() -> None:
    assert [p.location for p in action(ActionKind.CORRECTION).problems()] == ["correction_id"]
    assert action(ActionKind.CORRECTION, correction_id="cor_1").problems() == []
    assert [p.location for p in action(ActionKind.POLICY_AMENDMENT).problems()] == [
        "policy_version"
    ]
    assert [p.location for p in action(ActionKind.PRACTICE_CHANGE).problems()] == [
        "description",
        "owner",
        "due_on",
    ]
    late = action(ActionKind.PRACTICE_CHANGE, description="d", owner="o", due_on=date(2026, 6, 10))
    assert late.late(date(2026, 6, 11)) and not late.late(date(2026, 6, 10))


OFFICER = Officer("Jean-Christophe Blais-Crépeau", "Privacy Officer", "info@cell.expert")


def test_cmp_3_the_acknowledgement_names_the_reference_the_date_and_the_officer() -> None:
    title, text = acknowledgement(complaint(), OFFICER)
    assert title == "Nous avons reçu votre plainte (CMP-2026-0001)"
    assert "2026-06-15" in text and OFFICER.line() in text
    title, text = acknowledgement(complaint(language="en"), OFFICER)
    assert "We will answer you in writing by 2026-06-15." in text and "info@cell.expert" in text


@pytest.mark.parametrize(
    ("quebec", "language", "expected", "absent"),
    [
        (True, "fr", "Commission d'accès à l'information", None),
        (False, "en", "Office of the Privacy Commissioner of Canada", "Commission d'accès"),
    ],
)
def test_cmp_1_and_3_the_answer_gives_reasons_recourse_and_the_officer(
    quebec: bool, language: str, expected: str, absent: str | None
) -> None:
    c = complaint(quebec=quebec, language=language).answer(
        AT, "u", Outcome.PARTLY_JUSTIFIED, "Two texts were sent after the opt-out."
    )
    _, text = answer(c, OFFICER)
    assert expected in text and "Two texts were sent after the opt-out." in text
    assert OFFICER.line() in text and "1-8" in text  # the regulator's telephone number
    if absent:
        assert absent not in text
