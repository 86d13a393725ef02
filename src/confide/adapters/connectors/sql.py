"""SQL databases by SQLAlchemy URL: SQLite, PostgreSQL, MySQL/MariaDB (``mysql+pymysql://``).

Look-ups are ``SELECT mapped columns WHERE id_col IN (...) OR id_col2 IN (...)`` on the
source's own columns, so an index on the identifier columns serves them. Tables are
reflected once per connector (types matter: an account number stored as an integer is
compared as one). The engine and its pool live as long as the connector.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url

from confide.adapters.connectors.failures import unavailable_as
from confide.domain.errors import FieldProblem, ValidationFailed
from confide.domain.sources import (
    CategoryNotMapped,
    DataSource,
    FoundValue,
    LookupKey,
    SampleRows,
    SourceIdentifierKind,
    SourceNotWritable,
    SourceRow,
    SourceUnavailable,
    TableMapping,
    text_of,
)

CONNECT_TIMEOUT_S = 5


def split_table(name: str) -> tuple[str | None, str]:
    """``schema.table`` into its parts (a bare name has no schema)."""
    schema, _, table = name.rpartition(".")
    return (schema or None), table


class SqlConnector:
    """Implements ``SourceConnector`` for any database SQLAlchemy reaches."""

    def __init__(self, source: DataSource) -> None:
        self.source = source
        self._engine: Engine | None = None
        self._sqlite_file: Path | None = None
        self._tables: dict[str, sa.Table] = {}
        self._statements: dict[tuple[str, tuple[str, ...]], sa.Select[Any]] = {}

    # --- connection ------------------------------------------------------------------------
    def engine(self) -> Engine:
        if self._engine is not None:
            if self._sqlite_file is not None and not self._sqlite_file.is_file():
                # A kept connection would still read a deleted file; the source is gone.
                self.close()
                raise SourceUnavailable(self.source.name, "the database file does not exist")
            return self._engine
        with unavailable_as(self.source.name):
            url = make_url(self.source.connection)
            backend = url.get_backend_name()
            connect_args: dict[str, Any] = {}
            if backend == "sqlite":
                # SQLite would silently create an empty database for a path that does not exist.
                db = url.database or ""
                if db and db != ":memory:" and not db.startswith("file:"):
                    if not Path(db).is_file():
                        raise SourceUnavailable(
                            self.source.name, "the database file does not exist"
                        )
                    self._sqlite_file = Path(db)
            elif backend in {"postgresql", "mysql", "mariadb"}:
                connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
            self._engine = sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        self._tables.clear()
        self._statements.clear()

    def _table(self, conn: Connection, name: str) -> sa.Table:
        table = self._tables.get(name)
        if table is None:
            schema, bare = split_table(name)
            table = sa.Table(bare, sa.MetaData(), schema=schema, autoload_with=conn)
            mapping = self.source.mapping(name)
            if mapping is not None and any(c not in table.c for c in mapping.columns):
                raise SourceUnavailable(
                    self.source.name,
                    "a mapped column no longer exists; run `confide sources test`",
                )
            self._tables[name] = table
        return table

    # --- SourceConnector ---------------------------------------------------------------------
    def test(self) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        with unavailable_as(self.source.name), self.engine().connect() as conn:
            inspector = sa.inspect(conn)
            for m in self.source.mappings:
                schema, bare = split_table(m.table)
                if not inspector.has_table(bare, schema=schema):
                    problems.append(FieldProblem(m.table, "table does not exist in the source"))
                    continue
                present = {c["name"] for c in inspector.get_columns(bare, schema=schema)}
                problems.extend(
                    FieldProblem(f"{m.table}.{c}", "column does not exist in the table")
                    for c in m.columns
                    if c not in present
                )
        # Re-reflect after a test: the source may have changed.
        self._tables.clear()
        self._statements.clear()
        return problems

    def find(self, keys: Sequence[LookupKey]) -> list[SourceRow]:
        rows: list[SourceRow] = []
        by_kind: dict[SourceIdentifierKind, list[str]] = {}
        for k in keys:
            by_kind.setdefault(k.kind, []).extend(k.values)
        wanted = {kind: set(values) for kind, values in by_kind.items()}
        with unavailable_as(self.source.name), self.engine().connect() as conn:
            for m in self.source.mappings:
                found = self._lookup(conn, m, by_kind)
                if found is None:
                    continue
                stmt, params = found
                for r in conn.execute(stmt, params).mappings():
                    rows.append(_row(self.source.name, m, r, wanted))
        return rows

    def _lookup(
        self, conn: Connection, m: TableMapping, by_kind: dict[SourceIdentifierKind, list[str]]
    ) -> tuple[sa.Select[Any], dict[str, list[object]]] | None:
        """The look-up statement (built once per table and set of identifier kinds) and its values.

        Expanding ``IN`` parameters keep the statement's shape fixed whatever the number of
        spellings, so SQLAlchemy compiles it once and the database can reuse its plan.
        """
        used = tuple(ic for ic in m.identifiers if ic.kind in by_kind)
        if not used:
            return None
        table = self._table(conn, m.table)
        cache_key = (m.table, tuple(ic.column for ic in used))
        stmt = self._statements.get(cache_key)
        if stmt is None:
            stmt = sa.select(*(table.c[c] for c in m.columns)).where(
                sa.or_(
                    *(
                        table.c[ic.column].in_(sa.bindparam(f"k{j}", expanding=True))
                        for j, ic in enumerate(used)
                    )
                )
            )
            self._statements[cache_key] = stmt
        params = {
            f"k{j}": _coerce(table.c[ic.column], by_kind[ic.kind]) for j, ic in enumerate(used)
        }
        return stmt, params

    def update(
        self, keys: Sequence[LookupKey], category: str, value: str, *, column: str | None = None
    ) -> int:
        if not self.source.writable:
            raise SourceNotWritable(self.source.name)
        targets = update_targets(self.source, category, column)
        changed = 0
        with unavailable_as(self.source.name), self.engine().begin() as conn:
            for m, col in targets:
                table = self._table(conn, m.table)
                where = _match(table, m, keys)
                if where is None:
                    continue
                changed += conn.execute(sa.update(table).where(where).values({col: value})).rowcount
        return changed

    def _due(
        self,
        conn: Connection,
        table_name: str,
        columns: Sequence[str],
        cutoff: datetime,
        exclude: Sequence[LookupKey],
    ) -> tuple[sa.Table, Any]:
        m = self.source.mapping(table_name)
        if m is None or m.retention_from is None:
            raise ValidationFailed.single(
                "table", "is not mapped with a retention column in this source"
            )
        table = self._table(conn, m.table)
        column = table.c[m.retention_from]
        where = sa.and_(
            column < _before(column, cutoff),
            sa.or_(*(table.c[c].is_not(None) for c in columns)),
        )
        held = _match(table, m, exclude) if exclude else None
        # NOT (identifier IN held): a row whose identifier is unknown (NULL) is kept too.
        return table, where if held is None else sa.and_(where, ~held)

    def count_due(
        self, table: str, columns: Sequence[str], cutoff: datetime, exclude: Sequence[LookupKey]
    ) -> int:
        with unavailable_as(self.source.name), self.engine().connect() as conn:
            t, where = self._due(conn, table, columns, cutoff, exclude)
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(t).where(where)).scalar_one()
            )

    def dispose_due(
        self, table: str, columns: Sequence[str], cutoff: datetime, exclude: Sequence[LookupKey]
    ) -> int:
        if not self.source.writable:
            raise SourceNotWritable(self.source.name)
        with unavailable_as(self.source.name), self.engine().begin() as conn:
            t, where = self._due(conn, table, columns, cutoff, exclude)
            result = conn.execute(sa.update(t).where(where).values(dict.fromkeys(columns)))
            return int(result.rowcount or 0)

    def sample(self, table: str, n: int) -> SampleRows:
        with unavailable_as(self.source.name), self.engine().connect() as conn:
            schema, bare = split_table(table)
            if not sa.inspect(conn).has_table(bare, schema=schema):
                raise ValidationFailed.single("table", "does not exist in the source")
            t = self._table(conn, table)
            result = conn.execute(sa.select(t).limit(max(n, 0)))
            columns = tuple(result.keys())
            rows = tuple(tuple(text_of(v) for v in r) for r in result)
        return SampleRows(self.source.name, table, columns, rows)


def _before(column: sa.Column[Any], cutoff: datetime) -> object:
    """``cutoff`` as the retention column stores dates: a date, a naive UTC time, ISO text."""
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        python_type = str
    if python_type is date:
        return cutoff.date()
    if python_type is datetime:
        return cutoff.astimezone(UTC).replace(tzinfo=None)
    return cutoff.date().isoformat()


def update_targets(
    source: DataSource, category: str, column: str | None
) -> list[tuple[TableMapping, str]]:
    """The (table, column) pairs a correction of ``category`` writes to; refuses ambiguity."""
    targets: list[tuple[TableMapping, str]] = []
    for m in source.mappings:
        cols = m.category_columns(category)
        if column is not None:
            cols = tuple(c for c in cols if c == column)
        if len(cols) > 1:
            raise CategoryNotMapped(
                "the category is held in several columns of a table; name the column",
                [FieldProblem(f"{m.table}", f"category {category!r} maps to {', '.join(cols)}")],
            )
        if cols:
            targets.append((m, cols[0]))
    if not targets:
        raise CategoryNotMapped.single(
            "category", f"category {category!r} is not mapped in source {source.name!r}"
        )
    return targets


def _coerce(column: sa.Column[Any], values: Sequence[str]) -> list[object]:
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return list(values)
    if python_type is int:
        return [int(v) for v in values if v.lstrip("-").isdigit()]
    if python_type is str:
        return list(values)
    return list(values)


def _match(table: sa.Table, m: TableMapping, keys: Sequence[LookupKey]) -> Any:
    terms = []
    for ic in m.identifiers:
        for key in keys:
            if key.kind is ic.kind:
                values = _coerce(table.c[ic.column], key.values)
                if len(values) == 1:
                    terms.append(table.c[ic.column] == values[0])
                elif values:
                    terms.append(table.c[ic.column].in_(values))
    return sa.or_(*terms) if terms else None


def _row(source: str, m: TableMapping, r: Any, wanted: dict[Any, set[str]]) -> SourceRow:
    matched = tuple(
        ic.column for ic in m.identifiers if text_of(r[ic.column]) in wanted.get(ic.kind, ())
    )
    return SourceRow(
        source=source,
        table=m.table,
        matched_on=matched,
        values=tuple(FoundValue(c.column, c.category, text_of(r[c.column])) for c in m.categories),
        retention_from=text_of(r[m.retention_from]) if m.retention_from else None,
    )
