"""Audiences agree with single decisions, subject by subject (CEM-1..3), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.errors import NotFound, ValidationFailed
from confide.services.audience import AudienceSummary

OP = LOCAL_OPERATOR


@pytest.mark.parametrize(
    ("purpose", "channel"),
    [("marketing_communications", "email"), ("individual_marketing", "email")],
)
def test_cem_3_audience_is_exactly_the_subjects_a_decision_allows(
    container: Container, purpose: str, channel: str
) -> None:
    container.demo.generate(OP, 250, seed=9, as_of=datetime(2026, 5, 30).date())
    at = datetime(2026, 6, 1, 12, tzinfo=UTC)
    summary = AudienceSummary()
    members = {
        m.subject_id: m for m in container.audience.stream(OP, purpose, channel, at, summary)
    }
    subjects, total = container.subjects.page(OP, 0, 1000)
    expected = {
        s.id
        for s in subjects
        if container.consent.decide(OP, s.id, purpose, (), channel, at).decision.allowed
    }
    assert set(members) == expected
    assert 0 < len(members) < total
    assert summary.members == len(members) and summary.candidates <= total
    # CEM-3: every member comes with the consent or relationship event it rests on.
    assert all(m.relied_on for m in members.values())


def test_audience_refuses_unknown_purpose_or_channel(container: Container) -> None:
    with pytest.raises(NotFound):
        container.audience.stream(OP, "astrology", "email")
    with pytest.raises(NotFound):
        container.audience.stream(OP, "marketing_communications", "pigeon")
    with pytest.raises(ValidationFailed):
        container.audience.stream(OP, "billing", "email")
