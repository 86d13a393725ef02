"""Shared harness: result rows, anchors and ratios, the machine, peak memory, JSON output."""

from __future__ import annotations

import json
import os
import platform
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass
class Anchor:
    """A reference measured in the same run on the same data; ``ratio`` = ours / anchor."""

    name: str
    value: float
    unit: str
    ratio: float


@dataclass
class Result:
    metric: str
    value: float
    unit: str
    size: str
    anchors: list[Anchor] = field(default_factory=list)
    target: str = ""
    notes: str = ""

    def against(self, name: str, value: float, unit: str | None = None) -> Result:
        """Record an anchor; ratio is value/anchor (so for rates >1 is faster, for times <1 is faster)."""
        ratio = self.value / value if value else float("inf")
        self.anchors.append(Anchor(name, value, unit or self.unit, ratio))
        return self


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, str | int]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count() or 0,
        "cpu": cpu,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    """``with timer() as t: ...`` then ``t()`` is the elapsed seconds."""
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())


def best_of(repeats: int, fn: Callable[[], object]) -> float:
    """Smallest wall time of ``repeats`` calls (the least noisy estimate on a shared machine)."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def write_results(name: str, size: str, results: list[Result]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"{name}-{size}.json"
    payload = {
        "benchmark": name,
        "size": size,
        "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "results": [asdict(r) for r in results],
    }
    out.write_text(json.dumps(payload, indent=2))
    return out


def print_table(name: str, results: list[Result]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{name}")
    for col in ("metric", "value", "unit", "size", "anchor", "anchor value", "ratio", "target"):
        table.add_column(col)
    for r in results:
        first = True
        for a in r.anchors or [None]:
            table.add_row(
                r.metric if first else "",
                f"{r.value:,.3f}" if first else "",
                r.unit if first else "",
                r.size if first else "",
                a.name if a else "",
                f"{a.value:,.3f} {a.unit}" if a else "",
                f"{a.ratio:,.2f}x" if a else "",
                r.target if first else "",
            )
            first = False
    Console(width=max(Console().width, 160)).print(table)
