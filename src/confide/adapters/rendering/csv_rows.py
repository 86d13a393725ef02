"""Rows of text as CSV, the way every register exports them (breaches, complaints)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence


def rows_csv(rows: Sequence[Mapping[str, str]]) -> str:
    """A header from the first row's keys, in order, then the rows; empty for no rows."""
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
