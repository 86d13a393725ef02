"""Discovery: classify sampled column values of a table or data source into categories,
and propose additions to the data map.

A column is classified as an entity when at least ``min_share`` of its non-empty sampled
values hold that entity. The column name is given to the recognizers as context
("sin: 046 454 286"), as a person reading the table would read it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from confide.scanner.engine import Scanner
from confide.scanner.model import Entity

# Entity -> category of personal information named in the company's policy.
POLICY_CATEGORY = {
    Entity.PERSON: "name",
    Entity.STREET_ADDRESS: "mailing_address",
    Entity.POSTAL_CODE: "mailing_address",
    Entity.EMAIL: "email",
    Entity.PHONE: "telephone_number",
    Entity.SIN: "credit_information",
    Entity.PAYMENT_CARD: "billing_records",
    Entity.BANK_ACCOUNT: "billing_records",
    Entity.IP_ADDRESS: "usage_data",
    Entity.DATE_OF_BIRTH: "identity_documents",
    Entity.DRIVERS_LICENCE: "identity_documents",
    Entity.HEALTH_CARD: "identity_documents",
    Entity.PASSPORT: "identity_documents",
}


@dataclass(frozen=True)
class ColumnClassification:
    source: str
    column: str
    entity: Entity | None
    share: float  # of non-empty sampled values holding the entity
    sampled: int
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def category(self) -> str | None:
        return POLICY_CATEGORY.get(self.entity) if self.entity else None


@dataclass
class DiscoveryReport:
    """Columns holding personal information, proposed as additions to the data map."""

    columns: list[ColumnClassification] = field(default_factory=list)
    known: set[tuple[str, str]] = field(default_factory=set)  # (source, column) already mapped

    def proposals(self, known: set[tuple[str, str]] | None = None) -> list[ColumnClassification]:
        """Classified columns not already in the data map (``known``: (source, column))."""
        skip = self.known | (known or set())
        return [c for c in self.columns if c.entity and (c.source, c.column) not in skip]


def classify_columns(
    source: str,
    samples: Mapping[str, Sequence[str | None]],
    scanner: Scanner | None = None,
    min_share: float = 0.5,
) -> list[ColumnClassification]:
    """Classify each column from its sampled values."""
    scanner = scanner or Scanner()
    out = []
    for column, values in samples.items():
        present = [v for v in values if v is not None and str(v).strip()]
        counts: Counter[Entity] = Counter()
        label = column.replace("_", " ")
        for value in present:
            text = f"{label}: {value}"
            found = {f.entity for f in scanner.findings_in(text) if f.start > len(label)}
            counts.update(found)
        best: Entity | None = None
        share = 0.0
        if counts and present:
            entity, n = max(counts.items(), key=lambda kv: (kv[1], kv[0].value))
            share = n / len(present)
            if share >= min_share:
                best = entity
        out.append(
            ColumnClassification(
                source,
                column,
                best,
                round(share, 4),
                len(present),
                {e.value: n for e, n in sorted(counts.items())},
            )
        )
    return out


def classify_csv(
    source: str, text: str, sample_rows: int = 500, scanner: Scanner | None = None
) -> list[ColumnClassification]:
    """Classify the columns of a CSV text from its first ``sample_rows`` rows."""
    reader = csv.DictReader(io.StringIO(text))
    samples: dict[str, list[str | None]] = {name: [] for name in reader.fieldnames or []}
    for i, row in enumerate(reader):
        if i >= sample_rows:
            break
        for name in samples:
            samples[name].append(row.get(name))
    return classify_columns(source, samples, scanner)
