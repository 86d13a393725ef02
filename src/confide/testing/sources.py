"""Seeded data sources for tests and benchmarks (the access-package benchmark: 3 x 1M rows).

A seed gives the same rows on every machine; values are derived from the row number
(no Faker: a million rows must be made in seconds). Every identifier is unique per row
and indexed in SQL sources. ``probes`` are identifiers of rows picked by the seed, to look up.

Columns: ``customer_id`` (integer key), ``email``, ``phone`` (E.164 or ``514-555-0100`` style),
``account_no``, ``full_name``, ``street``, ``city``, ``postal_code``, ``last_activity`` (date).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from pathlib import Path

import sqlalchemy as sa

from confide.domain.sources import (
    CategoryColumn,
    IdentifierColumn,
    SourceIdentifierKind,
    TableMapping,
)

_FIRST = ("Alex", "Marie", "Jean", "Sophie", "Li", "Amir", "Chloé", "Noah", "Fatima", "Liam")
_LAST = ("Tremblay", "Gagnon", "Roy", "Smith", "Wong", "Nguyen", "Côté", "Singh", "Brown", "Lee")
_STREETS = ("rue Principale", "Main Street", "boulevard Saint-Laurent", "King Street West")
_CITIES = (("Montréal", "H2X"), ("Québec", "G1R"), ("Toronto", "M5V"), ("Vancouver", "V6B"))
_AREAS = ("514", "438", "418", "416", "604", "613", "819", "902", "403", "306")

COLUMNS = (
    "customer_id",
    "email",
    "phone",
    "account_no",
    "full_name",
    "street",
    "city",
    "postal_code",
    "last_activity",
)


def seeded_mapping(table: str = "customers") -> TableMapping:
    """The map of a seeded table (categories of the packaged policy)."""
    return TableMapping(
        table=table,
        identifiers=(
            IdentifierColumn("email", SourceIdentifierKind.EMAIL),
            IdentifierColumn("phone", SourceIdentifierKind.PHONE),
            IdentifierColumn("account_no", SourceIdentifierKind.ACCOUNT),
        ),
        categories=(
            CategoryColumn("full_name", "name"),
            CategoryColumn("street", "mailing_address"),
            CategoryColumn("city", "mailing_address"),
            CategoryColumn("postal_code", "mailing_address"),
        ),
        retention_from="last_activity",
    )


@dataclass(frozen=True)
class SeededSource:
    mapping: TableMapping
    rows: int
    probes: tuple[dict[SourceIdentifierKind, str], ...]
    """Identifiers (normalized: lower-case email, E.164 phone) of rows picked by the seed."""


def _phone_digits(i: int, seed: int) -> str:
    # A bijection of the row number onto 10 area codes x 800 exchanges (2xx-9xx, so every
    # number is a valid North American number) x 10,000 lines: unique up to 80M rows.
    n = (i * 7919 + seed) % 80_000_000
    rest = n // len(_AREAS)
    return f"{_AREAS[n % len(_AREAS)]}{200 + rest % 800}{rest // 800:04d}"


def seeded_row(i: int, seed: int = 1, *, phone_style: str = "e164") -> tuple[object, ...]:
    """Row ``i`` of the seeded table (the same for the same ``i`` and ``seed``)."""
    first, last = _FIRST[(i * 7 + seed) % 10], _LAST[(i * 13 + seed) % 10]
    digits = _phone_digits(i, seed)
    phone = f"+1{digits}" if phone_style == "e164" else f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    city, fsa = _CITIES[i % len(_CITIES)]
    return (
        i + 1,
        f"{first.lower()}.{last.lower()}.{i}.s{seed}@example.ca",
        phone,
        f"AC{seed % 100:02d}{(i * 104_729 + seed) % 100_000_000:08d}",
        f"{first} {last}",
        f"{1 + i % 9999} {_STREETS[i % len(_STREETS)]}",
        city,
        f"{fsa} {i % 10}{chr(65 + i % 26)}{(i // 26) % 10}",
        date(2020, 1, 1) + timedelta(days=i % 2000),
    )


def seeded_rows(
    n: int, seed: int = 1, *, phone_style: str = "e164"
) -> Iterator[tuple[object, ...]]:
    for i in range(n):
        yield seeded_row(i, seed, phone_style=phone_style)


def _probes(n: int, seed: int, count: int) -> tuple[dict[SourceIdentifierKind, str], ...]:
    rng = random.Random(seed)
    out = []
    for i in sorted(rng.sample(range(n), min(count, n))):
        row = seeded_row(i, seed)
        out.append(
            {
                SourceIdentifierKind.EMAIL: str(row[1]),
                SourceIdentifierKind.PHONE: str(row[2]),
                SourceIdentifierKind.ACCOUNT: str(row[3]),
            }
        )
    return tuple(out)


def make_sql_source(
    url: str,
    n: int,
    *,
    seed: int = 1,
    table: str = "customers",
    phone_style: str = "e164",
    probes: int = 10,
    batch: int = 50_000,
) -> SeededSource:
    """Create ``table`` with ``n`` seeded rows and an index on each identifier column."""
    meta = sa.MetaData()
    t = sa.Table(
        table,
        meta,
        sa.Column("customer_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("account_no", sa.String(40), nullable=False),
        sa.Column("full_name", sa.String(200)),
        sa.Column("street", sa.String(200)),
        sa.Column("city", sa.String(100)),
        sa.Column("postal_code", sa.String(10)),
        sa.Column("last_activity", sa.Date),
    )
    engine = sa.create_engine(url)
    try:
        meta.create_all(engine)
        rows = seeded_rows(n, seed, phone_style=phone_style)
        with engine.begin() as conn:
            while True:
                chunk = [dict(zip(COLUMNS, r, strict=True)) for r in islice(rows, batch)]
                if not chunk:
                    break
                conn.execute(t.insert(), chunk)
        # Indexes after the load: faster than maintaining them row by row.
        with engine.begin() as conn:
            for col in ("email", "phone", "account_no"):
                sa.Index(f"ix_{table}_{col}", t.c[col]).create(conn)
    finally:
        engine.dispose()
    return SeededSource(seeded_mapping(table), n, _probes(n, seed, probes))


def _arrow_table(n: int, seed: int, phone_style: str) -> object:
    import pyarrow as pa  # type: ignore[import-untyped]

    cols: list[list[object]] = [[] for _ in COLUMNS]
    for r in seeded_rows(n, seed, phone_style=phone_style):
        for j, v in enumerate(r):
            cols[j].append(v)
    return pa.table(dict(zip(COLUMNS, cols, strict=True)))


def write_csv_source(
    path: Path, n: int, *, seed: int = 1, phone_style: str = "e164", probes: int = 10
) -> SeededSource:
    """Write a CSV file of ``n`` seeded rows; the mapping's table is the file name."""
    import pyarrow.csv as pacsv  # type: ignore[import-untyped]

    pacsv.write_csv(_arrow_table(n, seed, phone_style), path)
    return SeededSource(seeded_mapping(path.name), n, _probes(n, seed, probes))


def write_parquet_source(
    path: Path, n: int, *, seed: int = 1, phone_style: str = "e164", probes: int = 10
) -> SeededSource:
    """Write a Parquet file of ``n`` seeded rows; the mapping's table is the file name."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    pq.write_table(_arrow_table(n, seed, phone_style), path)
    return SeededSource(seeded_mapping(path.name), n, _probes(n, seed, probes))
