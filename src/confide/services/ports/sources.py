"""Connected data sources (the data map) and their connectors."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from confide.domain.errors import FieldProblem
from confide.domain.sources import DataSource, LookupKey, SampleRows, SourceRow


class DataSourceRepository(Protocol):
    """Registered data sources; the connection reference is sealed at rest by the adapter."""

    def add(self, source: DataSource) -> None: ...

    def get(self, source_id: str) -> DataSource | None: ...

    def by_name(self, name: str) -> DataSource | None: ...

    def all(self) -> list[DataSource]: ...

    def remove(self, source_id: str) -> bool: ...


class SourceConnector(Protocol):
    """An open connection to one data source. Failures to reach it raise ``SourceUnavailable``."""

    def test(self) -> list[FieldProblem]:
        """Connect and check every mapped table or file and column; one problem per missing thing."""
        ...

    def find(self, keys: Sequence[LookupKey]) -> list[SourceRow]:
        """Rows of every mapped table whose identifier columns match one of ``keys`` (indexed)."""
        ...

    def update(
        self, keys: Sequence[LookupKey], category: str, value: str, *, column: str | None = None
    ) -> int:
        """Set ``category`` to ``value`` in the subject's rows; returns how many rows changed."""
        ...

    def sample(self, table: str, n: int) -> SampleRows:
        """The first ``n`` rows of a mapped table or file, every column."""
        ...

    def count_due(
        self, table: str, columns: Sequence[str], cutoff: datetime, exclude: Sequence[LookupKey]
    ) -> int:
        """Rows of mapped ``table`` whose retention column is before ``cutoff`` and where one of
        ``columns`` still holds a value, except the rows of the subjects ``exclude`` names."""
        ...

    def dispose_due(
        self, table: str, columns: Sequence[str], cutoff: datetime, exclude: Sequence[LookupKey]
    ) -> int:
        """Empty ``columns`` in the rows :meth:`count_due` counts, in one transaction of the
        source; how many rows changed. Refused (``SourceNotWritable``) by read-only sources."""
        ...

    def close(self) -> None: ...


class SourceConnectors(Protocol):
    """Opens (and may keep open) the connector of each registered source."""

    def open(self, source: DataSource) -> SourceConnector: ...

    def forget(self, source_id: str) -> None:
        """Close and drop a kept connector (after a source is removed or changed)."""
        ...
