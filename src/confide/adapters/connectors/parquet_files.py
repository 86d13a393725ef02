"""Parquet files: only the mapped columns are read for look-ups (columnar reads)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from confide.adapters.connectors.files import FileConnector


class ParquetConnector(FileConnector):
    """Implements ``SourceConnector`` for a Parquet file or a folder of them."""

    kind_label = "Parquet"

    def read_columns(self, path: Path) -> list[str]:
        return list(pq.read_schema(path).names)

    def read_table(self, path: Path, columns: Sequence[str] | None) -> pa.Table:
        return pq.read_table(path, columns=list(columns) if columns is not None else None)

    def write_table(self, table: pa.Table, path: Path) -> None:
        pq.write_table(table, path)
