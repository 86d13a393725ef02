"""The one registry of connector kinds, and the keeper of open connectors (``SourceConnectors``)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping

from confide.adapters.connectors.sql import SqlConnector
from confide.domain.sources import DataSource, SourceKind
from confide.services.ports.sources import SourceConnector

ConnectorFactory = Callable[[DataSource], SourceConnector]


def _csv(source: DataSource) -> SourceConnector:
    # The file connectors load pyarrow (tens of MB): only a process that opens a file source
    # pays for it.
    from confide.adapters.connectors.csv_files import CsvConnector

    return CsvConnector(source)


def _parquet(source: DataSource) -> SourceConnector:
    from confide.adapters.connectors.parquet_files import ParquetConnector

    return ParquetConnector(source)


CONNECTOR_TYPES: Mapping[SourceKind, ConnectorFactory] = {
    SourceKind.SQL: SqlConnector,
    SourceKind.CSV: _csv,
    SourceKind.PARQUET: _parquet,
}


def _fingerprint(source: DataSource) -> str:
    # A source changed under the same id (new URL or map) gets a fresh connector.
    text = f"{source.kind}\0{source.connection}\0{source.writable}\0{source.mappings!r}"
    return hashlib.sha256(text.encode()).hexdigest()


class ConnectorRegistry:
    """Implements ``SourceConnectors``: one connector per source, kept open (SQL pools, file indexes)."""

    def __init__(self, factories: Mapping[SourceKind, ConnectorFactory] = CONNECTOR_TYPES) -> None:
        self._factories = factories
        self._open: dict[str, tuple[str, SourceConnector]] = {}
        self._lock = threading.Lock()

    def open(self, source: DataSource) -> SourceConnector:
        fingerprint = _fingerprint(source)
        with self._lock:
            kept = self._open.get(source.id)
            if kept is not None and kept[0] == fingerprint:
                return kept[1]
            if kept is not None:
                kept[1].close()
            connector = self._factories[source.kind](source)
            self._open[source.id] = (fingerprint, connector)
            return connector

    def forget(self, source_id: str) -> None:
        with self._lock:
            kept = self._open.pop(source_id, None)
        if kept is not None:
            kept[1].close()

    def close(self) -> None:
        with self._lock:
            kept = list(self._open.values())
            self._open.clear()
        for _, connector in kept:
            connector.close()
