"""Every benchmark still imports against the code as it is now: a module moved or renamed in
``src`` breaks here, in the test suite, not only when the benchmarks run in CI."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_benchmark_module_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    runner = importlib.import_module("benchmarks.__main__")
    found = runner.discover()
    on_disk = {p.stem.removeprefix("bench_") for p in (ROOT / "benchmarks").glob("bench_*.py")}
    assert set(found) == on_disk
    assert len(found) >= 9
