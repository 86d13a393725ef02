"""The discovery service: samples a source's mapped tables and proposes what the map lacks."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from confide.domain.access import LOCAL_OPERATOR, Principal, Role
from confide.domain.errors import Conflict, PermissionDenied
from confide.domain.sources import IdentifierColumn, SampleRows, SourceIdentifierKind, TableMapping
from confide.scanner.anonymize import ReplaceWithType
from confide.scanner.model import Entity
from confide.services.discovery import DiscoveryService

AGENT = Principal(user_id="u-agent", username="agent", roles=frozenset({Role.AGENT}))


@dataclass
class FakeSource:
    mappings: tuple[TableMapping, ...]


class FakeSources:
    """Stands in for the data-source service: one source with one mapped table."""

    def __init__(self) -> None:
        email = IdentifierColumn("email", SourceIdentifierKind.EMAIL)
        self.source = FakeSource((TableMapping("customers", (email,)),))
        self.sampled: list[tuple[str, str, int]] = []

    def get(self, principal: Principal, name: str) -> FakeSource:
        return self.source

    def sample(self, principal: Principal, name: str, table: str, n: int) -> SampleRows:
        self.sampled.append((name, table, n))
        rows = (
            ("a.b@example.org", "130 692 544", "(514) 872-1234", "gold"),
            ("c.d@example.org", "293 827 192", "(438) 555-2345", "silver"),
        )
        return SampleRows(name, table, ("email", "notes_sin", "contact", "tier"), rows)


def test_discovery_proposes_columns_holding_personal_information_the_map_lacks() -> None:
    sources = FakeSources()
    report = DiscoveryService(sources).discover_source(LOCAL_OPERATOR, "crm", sample_rows=50)
    assert sources.sampled == [("crm", "customers", 50)]
    entities = {c.column: c.entity for c in report.columns}
    assert entities == {
        "email": Entity.EMAIL,
        "notes_sin": Entity.SIN,
        "contact": Entity.PHONE,
        "tier": None,
    }
    assert [(c.column, c.category) for c in report.proposals()] == [
        ("notes_sin", "credit_information"),
        ("contact", "telephone_number"),
    ]


def test_discovery_needs_the_privacy_officer_and_a_wired_source_service() -> None:
    with pytest.raises(PermissionDenied):
        DiscoveryService(FakeSources()).discover_source(AGENT, "crm")
    with pytest.raises(Conflict):
        DiscoveryService().discover_source(LOCAL_OPERATOR, "crm")


def test_any_staff_member_may_scan_and_anonymize_text() -> None:
    service = DiscoveryService()
    assert service.scan_text(AGENT, "NAS 130 692 544").counts() == {"SIN": 1}
    assert (
        service.anonymize(AGENT, "NAS 130 692 544", default=ReplaceWithType()).text == "NAS <SIN>"
    )


def test_scanning_files_on_the_server_needs_the_privacy_officer() -> None:
    with pytest.raises(PermissionDenied):
        DiscoveryService().scan_files(AGENT, [])
