"""Bulk inserts on the hot paths (audit appends, bulk disclosures), below SQLAlchemy's per-row
type processing: rows go to the driver's ``executemany`` as tuples.

Values must already be in the driver's terms; :func:`db_time` gives a UTC datetime in the
form the ``UtcDateTime`` column type stores (so reads through SQLAlchemy see the same).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Table


def db_time(conn: Connection, at: datetime) -> Any:
    naive = at.astimezone(UTC).replace(tzinfo=None)
    if conn.dialect.name == "sqlite":
        return naive.strftime("%Y-%m-%d %H:%M:%S.%f")
    return naive


def db_date(conn: Connection, day: date | None) -> Any:
    """A date in the form the ``Date`` column stores (ISO text on SQLite)."""
    if day is None or conn.dialect.name != "sqlite":
        return day
    return day.isoformat()


def db_json(value: Any) -> str:
    """A value for a ``JSON`` column, as the JSON text both databases store."""
    return json.dumps(value, separators=(", ", ": "))


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert ``rows`` in the connection's transaction: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        if not conn.in_transaction():
            # COPY goes to the driver's connection: without this, SQLAlchemy would not know a
            # transaction is open, and a unit of work whose first write is this one would not
            # commit it (the rows would be rolled back when the connection is returned).
            conn.begin()
        raw: Any = conn.connection.dbapi_connection  # a psycopg 3 connection
        with (
            raw.cursor() as cur,
            cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    conn.exec_driver_sql(sql, list(rows))
