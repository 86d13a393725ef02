"""The data-map use cases over a real store, with real SQLite, PostgreSQL and CSV sources."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import sqlalchemy as sa

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Principal, Role
from confide.domain.errors import Conflict, PermissionDenied
from confide.domain.sources import (
    CategoryColumn,
    IdentifierColumn,
    SourceCheckFailed,
    SourceIdentifierKind,
    SourceNotFound,
    SourceUnavailable,
    TableMapping,
)
from confide.domain.subjects import Subject
from confide.services.sources import RegisterSource, SourceService
from confide.services.subjects import RegisterSubject
from confide.testing.sources import (
    make_sql_source,
    seeded_mapping,
    seeded_row,
    write_csv_source,
)

OFFICER = LOCAL_OPERATOR


def staff(role: Role) -> Principal:
    return Principal(user_id=f"u-{role.value}", username=role.value, roles=frozenset({role}))


def sqlite_source(tmp_path: Path, n: int = 25, seed: int = 1, name: str = "crm.db") -> str:
    url = f"sqlite:///{tmp_path / name}"
    make_sql_source(url, n, seed=seed)
    return url


def register_sql(service: SourceService, url: str, name: str = "crm", **kw: object) -> None:
    service.register(
        OFFICER,
        RegisterSource(
            name=name,
            kind="sql",
            connection=url,
            owner_system="CRM",
            mappings=(seeded_mapping(),),
            province="QC",
            **kw,  # type: ignore[arg-type]
        ),
    )


def audit_count(container: Container) -> int:
    with container.ctx.uow(readonly=True) as uow:
        return uow.audit.count()


def audit_text(container: Container) -> str:
    with container.engine.connect() as conn:
        return repr(conn.execute(sa.text("SELECT * FROM audit_entries")).all())


def test_a_registered_source_is_listed_and_its_registration_audited(
    sources: SourceService, sqlite_container: Container, tmp_path: Path
) -> None:
    before = audit_count(sqlite_container)
    url = sqlite_source(tmp_path)
    register_sql(sources, url)
    listed = sources.list_sources(staff(Role.AUDITOR))
    assert [s.name for s in listed] == ["crm"]
    assert listed[0].owner_system == "CRM"
    assert listed[0].province == "QC"
    assert listed[0].mappings == (seeded_mapping(),)
    assert listed[0].connection == url
    assert audit_count(sqlite_container) == before + 1
    assert url not in audit_text(sqlite_container)


def test_registration_lists_every_problem_of_the_description_and_saves_nothing(
    sources: SourceService, tmp_path: Path
) -> None:
    bad = TableMapping(
        "customers",
        identifiers=(),
        categories=(CategoryColumn("full_name", "shoe_size"), CategoryColumn("street", "name")),
    )
    with pytest.raises(SourceCheckFailed) as err:
        sources.register(
            OFFICER,
            RegisterSource(
                name="Bad Name!",
                kind="nosql",
                connection=sqlite_source(tmp_path),
                owner_system="CRM",
                mappings=(bad,),
                province="XX",
            ),
        )
    locations = {p.location for p in err.value.problems}
    assert locations == {
        "kind",
        "name",
        "province",
        "tables[0].identifiers",
        "tables[0].categories.full_name",
    }
    assert "shoe_size" in " ".join(p.message for p in err.value.problems)
    assert sources.list_sources(OFFICER) == []


def test_registration_checks_the_map_against_the_source_and_saves_nothing(
    sources: SourceService, tmp_path: Path
) -> None:
    url = sqlite_source(tmp_path)
    mapping = TableMapping(
        "customers",
        (IdentifierColumn("email", SourceIdentifierKind.EMAIL),),
        (CategoryColumn("sin", "credit_information"),),
    )
    with pytest.raises(SourceCheckFailed) as err:
        sources.register(
            OFFICER,
            RegisterSource(
                "crm",
                "sql",
                url,
                "CRM",
                (mapping, TableMapping("x", (IdentifierColumn("e", SourceIdentifierKind.EMAIL),))),
            ),
        )
    assert sorted(p.location for p in err.value.problems) == ["customers.sin", "x"]
    assert sources.list_sources(OFFICER) == []


def test_a_source_that_cannot_be_reached_is_refused_naming_it(
    sources: SourceService, tmp_path: Path
) -> None:
    with pytest.raises(SourceUnavailable) as err:
        register_sql(
            sources, "postgresql+psycopg://reader:Secret-Pw-1@127.0.0.1:1/crm", name="warehouse"
        )
    assert err.value.source == "warehouse"
    assert "Secret-Pw-1" not in str(err.value)
    assert sources.list_sources(OFFICER) == []


def test_a_second_source_with_the_same_name_conflicts(
    sources: SourceService, tmp_path: Path
) -> None:
    url = sqlite_source(tmp_path)
    register_sql(sources, url)
    with pytest.raises(Conflict):
        register_sql(sources, url)


@pytest.mark.parametrize("role", [Role.AGENT, Role.INTEGRATION, Role.AUDITOR])
def test_only_the_privacy_officer_registers_and_removes_sources(
    sources: SourceService, tmp_path: Path, role: Role
) -> None:
    url = sqlite_source(tmp_path)
    with pytest.raises(PermissionDenied):
        sources.register(staff(role), RegisterSource("crm", "sql", url, "CRM", (seeded_mapping(),)))
    register_sql(sources, url)
    with pytest.raises(PermissionDenied):
        sources.remove(staff(role), "crm")
    assert [s.name for s in sources.list_sources(OFFICER)] == ["crm"]


def test_a_removed_source_is_no_longer_known(
    sources: SourceService, sqlite_container: Container, tmp_path: Path
) -> None:
    register_sql(sources, sqlite_source(tmp_path))
    before = audit_count(sqlite_container)
    sources.remove(OFFICER, "crm")
    assert audit_count(sqlite_container) == before + 1
    with pytest.raises(SourceNotFound):
        sources.get(OFFICER, "crm")
    with pytest.raises(SourceNotFound):
        sources.remove(OFFICER, "crm")


def test_testing_a_source_reports_a_column_dropped_since_registration(
    sources: SourceService, tmp_path: Path
) -> None:
    url = sqlite_source(tmp_path)
    register_sql(sources, url)
    assert sources.test(OFFICER, "crm").ok
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE customers DROP COLUMN postal_code"))
    engine.dispose()
    report = sources.test(OFFICER, "crm")
    assert [p.location for p in report.problems] == ["customers.postal_code"]


def customer(container: Container, seed: int, i: int) -> Subject:
    row = seeded_row(i, seed)
    return container.subjects.register(
        OFFICER,
        RegisterSubject(
            "customer", "QC", email=str(row[1]), phone=str(row[2]), account=str(row[3])
        ),
    )


@pytest.mark.postgres
def test_acc_4_a_subject_is_found_in_every_source_and_a_down_one_is_reported(
    sources: SourceService, sqlite_container: Container, tmp_path: Path, pg_url: str
) -> None:
    # The same person (same identifiers: seed 1, row 7) in a SQLite CRM, a PostgreSQL
    # billing database and a CSV export; a fourth source is down at look-up time.
    register_sql(sources, sqlite_source(tmp_path, seed=1), name="crm")
    make_sql_source(pg_url, 25, seed=1)
    register_sql(sources, pg_url, name="billing")
    export = write_csv_source(tmp_path / "export.csv", 25, seed=1)
    sources.register(
        OFFICER, RegisterSource("export", "csv", str(tmp_path), "Marketing", (export.mapping,))
    )
    doomed = tmp_path / "doomed.db"
    register_sql(sources, sqlite_source(tmp_path, name="doomed.db"), name="legacy")
    doomed.unlink()
    subject = customer(sqlite_container, 1, 7)
    before = audit_count(sqlite_container)

    results = {r.source: r for r in sources.find_subject_everywhere(OFFICER, subject)}

    assert sorted(results) == ["billing", "crm", "export", "legacy"]
    for name in ("billing", "crm", "export"):
        assert results[name].ok
        assert len(results[name].rows) == 1
        assert set(results[name].rows[0].matched_on) == {"email", "phone", "account_no"}
        names = [v.value for v in results[name].rows[0].values if v.category == "name"]
        assert names == [seeded_row(7, 1)[4]]
    assert isinstance(results["legacy"].error, SourceUnavailable)
    assert results["legacy"].rows == ()
    assert audit_count(sqlite_container) == before + 1
    assert str(seeded_row(7, 1)[4]) not in audit_text(sqlite_container)


@pytest.mark.parametrize("role", [Role.INTEGRATION, Role.AUDITOR])
def test_looking_a_subject_up_everywhere_needs_an_officer_or_agent(
    sources: SourceService, sqlite_container: Container, role: Role
) -> None:
    subject = customer(sqlite_container, 1, 3)
    with pytest.raises(PermissionDenied):
        sources.find_subject_everywhere(staff(role), subject)
    assert sources.find_subject_everywhere(staff(Role.AGENT), subject) == []


def test_acc_9_a_correction_reaches_a_writable_source(
    sources: SourceService, sqlite_container: Container, tmp_path: Path
) -> None:
    register_sql(sources, sqlite_source(tmp_path, seed=2), writable=True)
    subject = customer(sqlite_container, 2, 4)
    assert sources.correct_in_source(OFFICER, "crm", subject, "name", "Prénom Corrigé") == 1
    rows = sources.find_subject_everywhere(OFFICER, subject)[0].rows
    assert [v.value for v in rows[0].values if v.category == "name"] == ["Prénom Corrigé"]
    assert "Prénom Corrigé" not in audit_text(sqlite_container)


def test_a_sample_for_the_scanner_needs_the_officer(sources: SourceService, tmp_path: Path) -> None:
    register_sql(sources, sqlite_source(tmp_path))
    assert len(sources.sample(OFFICER, "crm", "customers", 5).rows) == 5
    with pytest.raises(PermissionDenied):
        sources.sample(staff(Role.AGENT), "crm", "customers", 5)


def test_testing_a_source_reports_a_category_a_newer_policy_dropped(
    sources: SourceService, tmp_path: Path
) -> None:
    register_sql(sources, sqlite_source(tmp_path))
    active = sources.ctx.require_active()
    policy = active.policy
    narrower = dataclasses.replace(
        policy, categories=tuple(c for c in policy.categories if c.id != "mailing_address")
    )
    later = SourceService(
        dataclasses.replace(sources.ctx, active=dataclasses.replace(active, policy=narrower)),
        sources.connectors,
    )
    report = later.test(OFFICER, "crm")
    assert sorted(p.location for p in report.problems) == [
        "tables[0].categories.city",
        "tables[0].categories.postal_code",
        "tables[0].categories.street",
    ]
