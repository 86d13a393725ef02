"""CSV files (UTF-8, header row). Every column is read as text: an account number ``0042``
must not become the integer 42."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]

from confide.adapters.connectors.files import FileConnector


class CsvConnector(FileConnector):
    """Implements ``SourceConnector`` for a CSV file or a folder of them."""

    kind_label = "CSV"

    def read_columns(self, path: Path) -> list[str]:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            return next(csv.reader(fh), [])

    def read_table(self, path: Path, columns: Sequence[str] | None) -> pa.Table:
        names = self.read_columns(path)
        convert = pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            include_columns=list(columns) if columns is not None else None,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )
        return pacsv.read_csv(path, convert_options=convert)

    def write_table(self, table: pa.Table, path: Path) -> None:
        pacsv.write_csv(table, path)
