"""What the CSV and Parquet connectors share: locating files, a cached table and its index.

A file source's location is a file or a folder; each mapping's ``table`` names a file in
the folder (or the file itself). Files have no index of their own, so the first look-up
reads the mapped columns with pyarrow and builds an in-memory index (value -> row numbers)
per identifier column; later look-ups are dictionary hits. The cache is keyed by the file's
modification time and size, so a changed file is read again.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from confide.adapters.connectors.failures import unavailable_as
from confide.adapters.connectors.sql import update_targets
from confide.domain.errors import FieldProblem, ValidationFailed
from confide.domain.sources import (
    DataSource,
    FoundValue,
    LookupKey,
    SampleRows,
    SourceNotWritable,
    SourceRow,
    SourceUnavailable,
    TableMapping,
    text_of,
)


@dataclass
class _Index:
    """Value -> row numbers of one column: unique values in ``first``, repeated ones in ``repeated``."""

    first: dict[str | None, int]
    repeated: dict[str | None, list[int]]

    def rows(self, value: str) -> list[int]:
        many = self.repeated.get(value)
        if many is not None:
            return many
        one = self.first.get(value)
        return [] if one is None else [one]


@dataclass
class _Loaded:
    stamp: tuple[int, int]
    table: pa.Table
    indexes: dict[str, _Index] = field(default_factory=dict)

    def index(self, column: str) -> _Index:
        idx = self.indexes.get(column)
        if idx is None:
            # Built with C loops (cast to text in Arrow, dict(zip)) — a million rows in well
            # under a second; a Python loop runs only when some value repeats.
            values = pc.cast(self.table.column(column), pa.string()).to_pylist()
            first = dict(zip(values, range(len(values)), strict=True))
            repeated: dict[str | None, list[int]] = {}
            if len(first) < len(values):
                seen: dict[str | None, list[int]] = {}
                for i, v in enumerate(values):
                    seen.setdefault(v, []).append(i)
                repeated = {v: rows for v, rows in seen.items() if len(rows) > 1}
            first.pop(None, None)
            repeated.pop(None, None)
            idx = _Index(first, repeated)
            self.indexes[column] = idx
        return idx


class FileConnector:
    """Base of the file connectors; subclasses say how to read a schema, a table, and write."""

    kind_label = "file"

    def __init__(self, source: DataSource) -> None:
        self.source = source
        self._cache: dict[Path, _Loaded] = {}

    # --- what a file format provides ------------------------------------------------------------
    def read_columns(self, path: Path) -> list[str]:
        raise NotImplementedError

    def read_table(self, path: Path, columns: Sequence[str] | None) -> pa.Table:
        raise NotImplementedError

    def write_table(self, table: pa.Table, path: Path) -> None:
        raise NotImplementedError

    # --- locating files -------------------------------------------------------------------------
    def base(self) -> Path:
        loc = self.source.connection
        if loc.startswith("file://"):
            loc = loc[len("file://") :]
        return Path(loc)

    def path(self, table: str) -> Path:
        base = self.base()
        if base.is_dir():
            candidate = (base / table).resolve()
            if base.resolve() not in candidate.parents:
                raise ValidationFailed.single(table, "names a file outside the source's folder")
            return candidate
        if base.is_file() and table in {base.name, str(base)}:
            return base
        if not base.exists():
            raise SourceUnavailable(self.source.name, "the file or folder does not exist")
        return base.parent / table

    def _loaded(self, m: TableMapping) -> _Loaded:
        path = self.path(m.table)
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size)
        loaded = self._cache.get(path)
        if loaded is None or loaded.stamp != stamp:
            loaded = _Loaded(stamp, self.read_table(path, m.columns))
            self._cache[path] = loaded
        return loaded

    def close(self) -> None:
        self._cache.clear()

    # --- SourceConnector ------------------------------------------------------------------------
    def test(self) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        with unavailable_as(self.source.name, pa.ArrowException):
            base = self.base()
            if not base.exists():
                raise SourceUnavailable(self.source.name, "the file or folder does not exist")
            for m in self.source.mappings:
                try:
                    path = self.path(m.table)
                except ValidationFailed as exc:
                    problems.extend(exc.problems)
                    continue
                if not path.is_file():
                    problems.append(FieldProblem(m.table, f"{self.kind_label} file does not exist"))
                    continue
                present = set(self.read_columns(path))
                problems.extend(
                    FieldProblem(f"{m.table}.{c}", "column does not exist in the file")
                    for c in m.columns
                    if c not in present
                )
        self._cache.clear()
        return problems

    def count_due(
        self, table: str, columns: Sequence[str], cutoff: datetime, exclude: Sequence[LookupKey]
    ) -> int:
        """Counted in the file as read (dates compared as ISO text); files are disposed of by
        their owners, never written by a disposal run."""
        m = self.source.mapping(table)
        if m is None or m.retention_from is None:
            raise ValidationFailed.single(
                "table", "is not mapped with a retention column in this source"
            )
        held = {
            (ic.column, value)
            for ic in m.identifiers
            for key in exclude
            if key.kind is ic.kind
            for value in key.values
        }
        limit = cutoff.date().isoformat()
        with unavailable_as(self.source.name, pa.ArrowException):
            data = self._loaded(m).table
            dates = pc.cast(data.column(m.retention_from), pa.string()).to_pylist()
            values = [pc.cast(data.column(c), pa.string()).to_pylist() for c in columns]
            ids = {
                ic.column: pc.cast(data.column(ic.column), pa.string()).to_pylist()
                for ic in m.identifiers
            }
        count = 0
        for i, when in enumerate(dates):
            if when is None or when[:10] >= limit:
                continue
            if not any(v[i] not in (None, "") for v in values):
                continue
            if any((column, ids[column][i]) in held for column in ids):
                continue
            count += 1
        return count

    def dispose_due(
        self, table: str, columns: Sequence[str], cutoff: datetime, exclude: Sequence[LookupKey]
    ) -> int:
        raise SourceNotWritable(self.source.name)

    def find(self, keys: Sequence[LookupKey]) -> list[SourceRow]:
        rows: list[SourceRow] = []
        with unavailable_as(self.source.name, pa.ArrowException):
            for m in self.source.mappings:
                loaded = self._loaded(m)
                hits: dict[int, list[str]] = {}
                for ic in m.identifiers:
                    index = None
                    for key in keys:
                        if key.kind is not ic.kind:
                            continue
                        index = index if index is not None else loaded.index(ic.column)
                        for v in key.values:
                            for i in index.rows(v):
                                cols = hits.setdefault(i, [])
                                if ic.column not in cols:
                                    cols.append(ic.column)
                if not hits:
                    continue
                order = sorted(hits)
                # One-row slices are zero-copy; ``take`` would gather across every chunk.
                picked = [loaded.table.slice(i, 1).to_pylist()[0] for i in order]
                for i, r in zip(order, picked, strict=True):
                    rows.append(
                        SourceRow(
                            source=self.source.name,
                            table=m.table,
                            matched_on=tuple(hits[i]),
                            values=tuple(
                                FoundValue(c.column, c.category, text_of(r[c.column]))
                                for c in m.categories
                            ),
                            retention_from=text_of(r[m.retention_from])
                            if m.retention_from
                            else None,
                        )
                    )
        return rows

    def update(
        self, keys: Sequence[LookupKey], category: str, value: str, *, column: str | None = None
    ) -> int:
        if not self.source.writable:
            raise SourceNotWritable(self.source.name)
        targets = update_targets(self.source, category, column)
        changed = 0
        with unavailable_as(self.source.name, pa.ArrowException):
            for m, col in targets:
                path = self.path(m.table)
                table = self.read_table(path, None)
                mask = None
                for ic in m.identifiers:
                    values = [v for k in keys if k.kind is ic.kind for v in k.values]
                    if not values:
                        continue
                    column_text = pc.cast(table.column(ic.column), pa.string())
                    hit = pc.is_in(column_text, value_set=pa.array(values, type=pa.string()))
                    mask = hit if mask is None else pc.or_(mask, hit)
                if mask is None:
                    continue
                mask = pc.fill_null(mask, False)
                n = pc.sum(mask).as_py() or 0
                if not n:
                    continue
                target = table.column(col)
                try:
                    new = pa.scalar(value, type=pa.string()).cast(target.type)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                    raise ValidationFailed.single(
                        "value", f"does not fit the type of column {col}"
                    ) from exc
                replaced = pc.if_else(mask, new, target)
                table = table.set_column(table.schema.get_field_index(col), col, replaced)
                tmp = path.with_name(f".{path.name}.confide-tmp")
                self.write_table(table, tmp)
                os.replace(tmp, path)
                changed += int(n)
        return changed

    def sample(self, table: str, n: int) -> SampleRows:
        with unavailable_as(self.source.name, pa.ArrowException):
            path = self.path(table)
            if not path.is_file():
                raise ValidationFailed.single("table", f"{self.kind_label} file does not exist")
            data = self.read_table(path, None).slice(0, max(n, 0))
            columns = tuple(data.column_names)
            rows = tuple(tuple(text_of(r[c]) for c in columns) for r in data.to_pylist())
        return SampleRows(self.source.name, table, columns, rows)
