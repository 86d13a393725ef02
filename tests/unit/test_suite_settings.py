"""The suite itself: property tests never fail because a busy machine ran an example slowly."""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def test_property_tests_have_no_wall_clock_deadline() -> None:
    assert settings.default.deadline is None
    assert HealthCheck.too_slow in settings.default.suppress_health_check
