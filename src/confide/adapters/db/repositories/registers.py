"""What the registers' repositories share (breaches, complaints): a row's narrative fields
sealed together as one JSON document, with the table, row id and ``sealed`` as associated
data; and the next human reference of a year (``INC-2026-0007``, ``CMP-2026-0042``)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Column, Connection, select

from confide.services.ports.common import Cipher


def seal_fields(cipher: Cipher, table: str, row_id: str, values: dict[str, str]) -> bytes:
    data = json.dumps(values, ensure_ascii=False, sort_keys=True).encode()
    return cipher.encrypt(data, f"{table}:{row_id}:sealed".encode())


def open_fields(cipher: Cipher, table: str, row_id: str, blob: Any) -> dict[str, str]:
    data = cipher.decrypt(bytes(blob), f"{table}:{row_id}:sealed".encode())
    opened: dict[str, str] = json.loads(data)
    return opened


def next_reference(conn: Connection, column: Column[str], prefix: str, year: int) -> str:
    """``<prefix>-<year>-<n>``: one more than the highest of that year."""
    start = f"{prefix}-{year}-"
    refs = conn.execute(select(column).where(column.like(f"{start}%"))).scalars()
    highest = max((int(r.removeprefix(start)) for r in refs), default=0)
    return f"{start}{highest + 1:04d}"
