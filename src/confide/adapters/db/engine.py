"""Engines for SQLite (WAL, foreign keys on) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from confide.adapters.files import private_sqlite


def make_engine(url: str, *, echo: bool = False) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            # Personal information: the directory 0700, the database (and so its WAL) 0600.
            private_sqlite(Path(parsed.database))
        # A pool as large as the server's worker threads: connections are reused, not reopened
        # (each new SQLite connection pays for its pragmas).
        engine = create_engine(
            url, echo=echo, connect_args={"timeout": 30}, pool_size=40, max_overflow=20
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin. A unit of
        # work that will write takes the write lock up front (BEGIN IMMEDIATE): a deferred
        # transaction that upgrades later can fail at once with SQLITE_BUSY_SNAPSHOT in WAL
        # mode, whereas IMMEDIATE waits on busy_timeout. Read-only units stay deferred.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg"))
    # No pre-ping (a round trip per checkout on the hot path); recycle connections instead.
    return create_engine(url, echo=echo, pool_recycle=1800)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # autocommit at the driver; SQLAlchemy emits BEGIN
    cur = dbapi_conn.cursor()
    # WAL is a property of the database file: set it once, not on every connection.
    if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN" if conn.info.get("readonly") else "BEGIN IMMEDIATE")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
