"""Fixtures of the audit tests (builders live in audit_support)."""

from __future__ import annotations

import pytest
from audit_support import SignedLog, build_log


@pytest.fixture
def log() -> SignedLog:
    """20 entries, signed checkpoints at sizes 8, 16 and 20."""
    return build_log(20, (8, 16, 20))
