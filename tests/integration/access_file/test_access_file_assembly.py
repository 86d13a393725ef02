"""Assembling access and portability files over a real store (SQLite and PostgreSQL) and real
connected sources: a SQLite CRM, a PostgreSQL billing database and a CSV export (ACC-4, ACC-5,
ACC-6, ACC-10)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from confide.adapters.rendering.access_file import render
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Principal, Role
from confide.domain.access_file import (
    CONFIDENTIAL,
    PRIVILEGED,
    THIRD_PARTY,
    WITHHELD_MARK,
    AccessFile,
    WithholdingRule,
)
from confide.domain.errors import NotFound, PermissionDenied, ValidationFailed
from confide.domain.sources import (
    CategoryColumn,
    IdentifierColumn,
    SourceIdentifierKind,
    TableMapping,
)
from confide.services.access_file import AccessFileService
from confide.services.consent import GiveConsentRequest
from confide.services.disclosures import DisclosureRequest, RecipientInput
from confide.services.sources import RegisterSource
from confide.services.subjects import RecordInformation, RegisterSubject
from confide.testing.sources import (
    make_sql_source,
    seeded_mapping,
    seeded_row,
    write_csv_source,
)

OP = LOCAL_OPERATOR
ROW = 7
SEED = 1
SPOUSE_EMAIL = "marc.spouse@example.org"


def staff(role: Role) -> Principal:
    return Principal(user_id=f"u-{role.value}", username=role.value, roles=frozenset({role}))


def customer(c: Container, province: str = "QC", language: str = "fr") -> str:
    row = seeded_row(ROW, SEED)
    s = c.subjects.register(
        OP,
        RegisterSubject(
            "customer",
            province,
            language,
            email=str(row[1]),
            phone=str(row[2]),
            account=str(row[3]),
        ),
    )
    return s.id


def fill_store(c: Container, sid: str) -> None:
    """Information in Confide's store, a consent, and disclosures to a named recipient."""
    c.subjects.record_information(
        OP,
        RecordInformation(
            sid, "mailing_address", "12 rue Principale", "from_individual", ("provide_service",)
        ),
    )
    c.subjects.record_information(
        OP,
        RecordInformation(sid, "usage_data", "312 minutes in March", "automatic_web", ("billing",)),
    )
    c.consent.give(OP, GiveConsentRequest(sid, ("sharing_with_partners",), "express", "checkbox"))
    rid = c.disclosures.add_recipient(
        OP,
        RecipientInput(
            "Recouvrement Acme",
            "collection_agency",
            "CA",
            "QC",
            agreement_ref="AGR-1",
            agreement_signed=__import__("datetime").date(2025, 1, 1),
        ),
    ).id
    c.disclosures.disclose(
        OP,
        DisclosureRequest(
            sid,
            rid,
            "billing",
            ("mailing_address",),
            "debt_collection",
            {"debt_reference": "INV-1", "owed_to_company": True},
        ),
    )


def notes_table(url: str) -> TableMapping:
    """A CRM table with agents' free-text notes and a legal memo column (privileged)."""
    row = seeded_row(ROW, SEED)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE notes (email VARCHAR(320), note TEXT, legal_memo TEXT)"))
        conn.execute(
            sa.text("INSERT INTO notes VALUES (:e, :n, :m)"),
            [
                {
                    "e": row[1],
                    "n": f"Called back; her spouse asked to be reached at {SPOUSE_EMAIL} "
                    f"rather than {row[1]}",
                    "m": "Counsel advises settling",
                },
                {"e": "someone.else@example.ca", "n": "Other customer", "m": "x"},
            ],
        )
        conn.execute(sa.text("CREATE INDEX ix_notes_email ON notes (email)"))
    engine.dispose()
    return TableMapping(
        "notes",
        (IdentifierColumn("email", SourceIdentifierKind.EMAIL),),
        (
            CategoryColumn("note", "service_records"),
            CategoryColumn("legal_memo", "service_records"),
        ),
    )


def usage_table(url: str) -> TableMapping:
    """A billing table with inferred usage (not collected from the individual)."""
    row = seeded_row(ROW, SEED)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE usage (phone VARCHAR(32), minutes VARCHAR(20))"))
        conn.execute(sa.text("INSERT INTO usage VALUES (:p, '845')"), {"p": row[2]})
    engine.dispose()
    return TableMapping(
        "usage",
        (IdentifierColumn("phone", SourceIdentifierKind.PHONE),),
        (CategoryColumn("minutes", "usage_data"),),
    )


def register(c: Container, name: str, kind: str, conn: str, *mappings: TableMapping) -> None:
    c.sources.register(OP, RegisterSource(name, kind, conn, name.upper(), mappings, province="QC"))


def service(c: Container) -> AccessFileService:
    return AccessFileService(
        c.ctx,
        c.sources,
        withholding=[
            WithholdingRule(PRIVILEGED, source="crm", table="notes", column="legal_memo"),
        ],
    )


@pytest.fixture
def three_sources(sqlite_container: Container, tmp_path: Path, pg_url: str) -> Container:
    c = sqlite_container
    crm = f"sqlite:///{tmp_path / 'crm.db'}"
    make_sql_source(crm, 25, seed=SEED)
    register(c, "crm", "sql", crm, seeded_mapping(), notes_table(crm))
    make_sql_source(pg_url, 25, seed=SEED)
    register(c, "billing", "sql", pg_url, seeded_mapping(), usage_table(pg_url))
    folder = tmp_path / "exports"
    folder.mkdir()
    export = write_csv_source(folder / "export.csv", 25, seed=SEED)
    register(c, "export", "csv", str(folder), export.mapping)
    return c


def values(f: AccessFile, origin: str, category: str) -> list[str]:
    return [i.value for i in f.released_items() if i.origin == origin and i.category == category]


@pytest.mark.postgres
def test_acc_4_full_path_store_and_sqlite_postgresql_csv_sources(three_sources: Container) -> None:
    c = three_sources
    sid = customer(c)
    fill_store(c, sid)
    row = seeded_row(ROW, SEED)

    f = service(c).assemble(staff(Role.AGENT), sid, kind="access")

    assert f.complete and f.language == "fr" and f.kind == "access"
    # Every source's row for the subject, and only it.
    for origin in ("crm/customers", "billing/customers", "export/export.csv"):
        assert values(f, origin, "name") == [row[4]], origin
        assert sorted(values(f, origin, "mailing_address")) == sorted(
            [str(row[5]), str(row[6]), str(row[7])]
        )
    assert values(f, "billing/usage", "usage_data") == ["845"]
    # The store, with where it came from and what it is used for.
    [address] = [i for i in f.items if i.section == "confide" and i.category == "mailing_address"]
    assert address.value == "12 rue Principale" and address.purposes == ("provide_service",)
    assert address.collected_from == "from_individual" and address.origin == "confide"
    assert {("email", str(row[1])), ("phone", str(row[2]))} <= set(f.subject.identifiers)
    # Uses, consents and the disclosure account.
    assert {"provide_service", "billing", "sharing_with_partners"} <= {u.purpose_id for u in f.uses}
    assert [(e.event, e.details.get("purpose_id")) for e in f.consents] == [
        ("given", "sharing_with_partners")
    ]
    [recipient] = f.disclosures["recipients"]
    assert recipient["name"] == "Recouvrement Acme"
    assert recipient["disclosures"][0]["legal_basis"] == "debt_collection"
    # ACC-5: the spouse's email masked in the note (the subject's own email stays), the legal
    # memo withheld whole; each with its reason.
    [note] = values(f, "crm/notes", "service_records")
    assert SPOUSE_EMAIL not in note and WITHHELD_MARK in note and str(row[1]) in note
    reasons = {(r.reason, r.entity) for r in f.redactions}
    assert reasons == {(THIRD_PARTY, "EMAIL"), (PRIVILEGED, None)}
    assert all(r.explanation for r in f.redactions)
    assert "Counsel advises settling" not in json.dumps(f.released_json())

    # Rendered in French, all four formats, nothing withheld leaking.
    for fmt in ("json", "csv", "html", "pdf"):
        out = render(f, fmt, "fr")
        text = (
            " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(out)).pages)
            if fmt == "pdf"
            else out.decode("utf-8")
        )
        assert SPOUSE_EMAIL not in text and "Counsel advises" not in text, fmt
        assert str(row[4]) in text, fmt
    html = render(f, "html", "fr").decode()
    assert "Renseignements retenus" in html and "Commission d&#39;accès à l&#39;information" in html
    # Categories and purposes in the policy's words, in the subject's language.
    address_fr = f.label("mailing_address", "fr")
    assert address_fr not in ("mailing_address", f.label("mailing_address", "en"))
    assert address_fr.replace("'", "&#39;") in html and "mailing_address" not in html
    assert AccessFile.from_json(json.loads(json.dumps(f.to_json()))) == f

    # Audited without values.
    with c.engine.connect() as conn:
        audit = repr(conn.execute(sa.text("SELECT * FROM audit_entries")).all())
    assert "access_file.assembled" in audit and str(row[4]) not in audit


@pytest.mark.postgres
def test_acc_10_portability_keeps_only_what_the_individual_gave(three_sources: Container) -> None:
    c = three_sources
    sid = customer(c)
    fill_store(c, sid)

    f = service(c).assemble(OP, sid, kind="portability")

    categories = {i.category for i in f.items}
    assert "usage_data" not in categories  # inferred: store (automatic_web) and billing/usage
    assert {"name", "mailing_address", "email"} <= categories
    assert all(i.collected_from_individual for i in f.items)
    assert f.uses == () and f.consents == () and f.disclosures == {}
    data = json.loads(render(f, "json", "fr"))
    assert data["kind"] == "portability" and "usage_data" not in json.dumps(data["items"])
    csv_text = render(f, "csv", "fr").decode()
    assert "usage_data" not in csv_text and "845" not in csv_text


def test_acc_4_a_source_down_is_listed_and_the_rest_assembled(
    sqlite_container: Container, tmp_path: Path
) -> None:
    c = sqlite_container
    crm = f"sqlite:///{tmp_path / 'crm.db'}"
    make_sql_source(crm, 25, seed=SEED)
    register(c, "crm", "sql", crm, seeded_mapping())
    legacy_path = tmp_path / "legacy.db"
    make_sql_source(f"sqlite:///{legacy_path}", 25, seed=SEED)
    register(c, "legacy", "sql", f"sqlite:///{legacy_path}", seeded_mapping())
    sid = customer(c)
    legacy_path.unlink()
    c.connectors.close()  # the next look-up reopens, and finds the file gone

    f = service(c).assemble(OP, sid, kind="access")

    assert [s.source for s in f.incomplete_sources] == ["legacy"]
    assert not f.complete and f.incomplete_sources[0].reason
    assert values(f, "crm/customers", "name") == [seeded_row(ROW, SEED)[4]]
    html = render(f, "html", "fr").decode()
    assert "Ce dossier est incomplet" in html and "legacy" in html
    assert AccessFile.from_json(f.to_json()).incomplete_sources == f.incomplete_sources


def test_acc_4_store_data_and_disclosure_account_exactly_as_recorded(
    container: Container,
) -> None:
    """On SQLite and PostgreSQL stores, no sources: the file holds what the store holds."""
    c = container
    sid = customer(c, province="ON", language="en")
    fill_store(c, sid)
    account = c.disclosures.account(OP, sid).to_dict("en")

    f = service(c).assemble(OP, sid, kind="access")

    assert f.disclosures["recipients"] == account["recipients"]
    history = c.consent.history(OP, sid)
    assert [e.id for e in f.consents] == [e.event_id for e in history]
    store = {(i.category, i.value) for i in f.items if i.section == "confide"}
    info = c.subjects.file(OP, sid).information
    assert store == {(r.category, r.value) for r in info}
    assert f.incomplete_sources == () and f.redactions == ()
    # ACC-6 in English for a federal subject: no withholding, so no recourse paragraph.
    html = render(f, "html", "en").decode()
    assert "Recouvrement Acme" in html and 'id="recourse"' not in html


def test_acc_5_confidential_category_rule_and_reviewer_round_trip(
    sqlite_container: Container,
) -> None:
    c = sqlite_container
    sid = customer(c, province="ON", language="en")
    fill_store(c, sid)
    svc = AccessFileService(
        c.ctx, c.sources, withholding=[WithholdingRule(CONFIDENTIAL, category="usage_data")]
    )
    f = svc.assemble(OP, sid, kind="access")
    [usage] = [r for r in f.redactions if r.reason == CONFIDENTIAL]
    assert f.item(usage.item_id) is not None
    assert "312 minutes" not in render(f, "json", "en").decode()
    # The reviewer restores it and withholds the address instead, with a reason.
    address = next(i.id for i in f.items if i.category == "mailing_address")
    stored = json.loads(json.dumps(f.to_json()))
    reviewed = AccessFile.from_json(stored).with_review(
        exclude={address: "third_party_information"}, restore=[usage.id]
    )
    out = render(reviewed, "json", "en").decode()
    assert "312 minutes" in out and "12 rue Principale" not in out
    assert json.loads(out)["withheld"][0]["reason"] == THIRD_PARTY


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.INTEGRATION])
def test_acc_4_assembling_needs_an_officer_or_agent(
    sqlite_container: Container, role: Role
) -> None:
    sid = customer(sqlite_container)
    with pytest.raises(PermissionDenied):
        service(sqlite_container).assemble(staff(role), sid, kind="access")


def test_acc_4_unknown_subject_is_not_found(sqlite_container: Container) -> None:
    with pytest.raises(NotFound):
        service(sqlite_container).assemble(OP, "sub_nope", kind="access")


def test_acc_4_a_kind_other_than_access_or_portability_is_refused(
    sqlite_container: Container,
) -> None:
    sid = customer(sqlite_container)
    with pytest.raises(ValidationFailed) as err:
        service(sqlite_container).assemble(OP, sid, kind="everything")  # type: ignore[arg-type]
    assert [p.location for p in err.value.problems] == ["kind"]


def test_acc_10_portability_in_french_pdf_and_html(sqlite_container: Container) -> None:
    c = sqlite_container
    sid = customer(c)
    fill_store(c, sid)
    f = service(c).assemble(OP, sid, kind="portability")
    html = render(f, "html", "fr").decode()
    assert "dans un format portable" in html and "312 minutes" not in html
    pdf = render(f, "pdf", "fr")
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Vos renseignements personnels" in text and "12 rue Principale" in text
    assert "312 minutes" not in text


@pytest.mark.parametrize("kind", ["access", "portability"])
def test_acc_9_the_statement_of_disagreement_stays_with_the_file(
    sqlite_container: Container, kind: str
) -> None:
    c = sqlite_container
    sid = customer(c)
    fill_store(c, sid)
    assert c.corrections is not None
    c.corrections.refuse(
        OP, sid, "mailing_address", statement="Mon adresse est le 14 rue Principale, pas le 12."
    )
    f = service(c).assemble(OP, sid, kind=kind)  # type: ignore[arg-type]
    statements = [i for i in f.released_items() if i.section == "disagreement"]
    assert [(i.category, i.value) for i in statements] == [
        ("mailing_address", "Mon adresse est le 14 rue Principale, pas le 12.")
    ]
    page = render(f, "html", "fr").decode()
    assert "Votre déclaration de désaccord" in page and "14 rue Principale" in page
