"""What the consent stores share: the driver's cursor for hot paths, and event rows.

The decision and audience hot paths read rows through the DB-API cursor of the unit of
work's connection (SQLAlchemy's per-statement result set-up costs more than the query); the
event columns and how a row becomes an event come from the one table of event types
(``domain.consent.codec``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping

from confide.adapters.db.bulk import db_time
from confide.domain.consent import codec
from confide.domain.consent.events import ConsentEvent

EVENT_COLUMNS: tuple[str, ...] = (
    "id",
    "subject_id",
    "type",
    "at",
    "recorded_at",
    *codec.FIELD_COLUMNS,
)
"""The ``consent_events`` columns, in the order rows are written and read."""


def _sqlite_time(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _driver_time(value: Any) -> datetime | None:
    return None if value is None else value.replace(tzinfo=UTC)


_READ_SQLITE = codec.row_reader(EVENT_COLUMNS, _sqlite_time)
_READ_DRIVER = codec.row_reader(EVENT_COLUMNS, _driver_time)
_READ_TYPED = codec.row_reader(EVENT_COLUMNS)


def driver_reader(conn: Connection) -> Callable[[Sequence[Any]], ConsentEvent]:
    """Turns a driver row in :data:`EVENT_COLUMNS` order into its event (times converted)."""
    return _READ_SQLITE if conn.dialect.name == "sqlite" else _READ_DRIVER


def event_from_row(r: RowMapping) -> ConsentEvent:
    """A ``consent_events`` row read through SQLAlchemy (types already converted)."""
    return _READ_TYPED(tuple(r[c] for c in EVENT_COLUMNS))


def event_row(conn: Connection, e: ConsentEvent, recorded_at: datetime) -> tuple[Any, ...]:
    """The driver row of ``e`` in :data:`EVENT_COLUMNS` order."""

    def t(d: datetime) -> Any:
        return db_time(conn, d)

    values = codec.to_columns(e, t)
    values["recorded_at"] = t(recorded_at)
    return tuple(values.get(c) for c in EVENT_COLUMNS)


def mark(conn: Connection) -> str:
    """The driver's parameter mark."""
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def cursor(conn: Connection) -> Any:
    """A DB-API cursor on the unit of work's connection (close it after use)."""
    raw: Any = conn.connection.dbapi_connection
    return raw.cursor()


class Store:
    """A consent store over the unit of work's connection (never commits)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
