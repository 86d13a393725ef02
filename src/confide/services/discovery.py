"""Use cases of PII discovery and anonymization: scan text and files, discover unmapped
personal information in connected data sources, anonymize text (RET-2, ACC-5, RET-3).

Stateless apart from the data-source service it samples; the scanner is built once per
service (and once per worker process for multi-core and Dask runs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from confide.domain.access import Action, Principal
from confide.domain.errors import Conflict
from confide.scanner.anonymize import AnonymizedText, Operator, ReplaceWithType, anonymize_text
from confide.scanner.discovery import DiscoveryReport, classify_columns
from confide.scanner.engine import Scanner
from confide.scanner.files import ScannerOptions, scan_paths
from confide.scanner.model import Entity, ScanResult

if TYPE_CHECKING:
    from confide.services.sources import SourceService


@dataclass
class DiscoveryService:
    """Finds personal information and makes it safe; see the module docstring."""

    sources: SourceService | None = None
    """The data map to sample (the container wires it; scanning text or files needs none)."""
    options: ScannerOptions = field(default_factory=ScannerOptions)
    _scanner: Scanner | None = None

    def with_options(self, options: ScannerOptions) -> DiscoveryService:
        """The same service with other scanner options (its own scanner, built when first used)."""
        return replace(self, options=options, _scanner=None)

    @property
    def scanner(self) -> Scanner:
        if self._scanner is None:
            self._scanner = self.options.build()
        return self._scanner

    def redact_types(self, text: str) -> str:
        """``text`` with every personal information found replaced by its type (irreversible):
        how a disposal run scrubs the values of the anonymized records it keeps (RET-3)."""
        return anonymize_text(text, self.scanner.findings_in(text), default=ReplaceWithType()).text

    def scan_text(self, principal: Principal, text: str, source: str = "<text>") -> ScanResult:
        principal.require(Action.SCANNER_SCAN_TEXT)
        return self.scanner.scan_text(text, source=source)

    def scan_files(
        self,
        principal: Principal,
        paths: Iterable[Path | str],
        workers: int | None = 1,
        dask_scheduler: str | None = None,
        use_dask: bool = False,
        on_result: Callable[[ScanResult], None] | None = None,
    ) -> list[ScanResult]:
        """Scan files and directories, on several cores or on a Dask cluster."""
        principal.require(Action.SCANNER_SCAN_FILES)
        if use_dask or dask_scheduler:
            from confide.scanner.distributed import scan_paths_dask

            results = scan_paths_dask(paths, dask_scheduler, self.options)
            if on_result:
                for r in results:
                    on_result(r)
            return results
        return scan_paths(paths, self.options, workers, on_result)

    def anonymize(
        self,
        principal: Principal,
        text: str,
        operators: Mapping[Entity, Operator] | None = None,
        default: Operator | None = None,
    ) -> AnonymizedText:
        principal.require(Action.SCANNER_ANONYMIZE)
        findings = self.scanner.scan_text(text).findings
        return anonymize_text(text, findings, operators, default)

    def discover_source(
        self, principal: Principal, name: str, sample_rows: int = 200
    ) -> DiscoveryReport:
        """Sample every mapped table of a source; propose the columns holding PII not in the map."""
        principal.require(Action.SCANNER_DISCOVER_SOURCE)
        if self.sources is None:
            raise Conflict("the data-source service is not wired into this build of Confide")
        source = self.sources.get(principal, name)
        report = DiscoveryReport()
        for mapping in source.mappings:
            sample = self.sources.sample(principal, name, mapping.table, sample_rows)
            columns = {
                column: [row[i] for row in sample.rows] for i, column in enumerate(sample.columns)
            }
            where = f"{name}.{mapping.table}"
            report.columns.extend(classify_columns(where, columns, self.scanner))
            report.known.update((where, column) for column in mapping.columns)
        return report
