from __future__ import annotations

import pytest
from consent_support import History, make_policy

from confide.domain.policy import Policy


@pytest.fixture
def policy() -> Policy:
    return make_policy()


@pytest.fixture
def history() -> History:
    return History()
