"""Fixtures of the policy tests."""

from __future__ import annotations

import pytest

from confide.domain.policy import Policy
from confide.policy import LoadedPolicy, load_policy


@pytest.fixture(scope="session")
def loaded() -> LoadedPolicy:
    """The packaged default policy, loaded once (it is read-only)."""
    return load_policy()


@pytest.fixture(scope="session")
def policy(loaded: LoadedPolicy) -> Policy:
    return loaded.policy
