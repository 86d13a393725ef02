"""Disclosures over HTTP and on the command line: the recipients register, decisions,
disclosures (one and bulk), the account of disclosures and the cross-border register."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from confide.adapters.db.tables import decisions
from confide.bootstrap import Container
from confide.cli.main import app
from confide.domain.access import LOCAL_OPERATOR, Role
from confide.services.subjects import RecordInformation, RegisterSubject
from confide.testing import FakeClock

OP = LOCAL_OPERATOR
AGENCY = {
    "name": "Recouvrement Exemple",
    "class_id": "collection_agency",
    "country": "CA",
    "province": "QC",
    "agreement_ref": "AGR-2026-1",
    "agreement_signed": "2025-01-01",
}
DEBT = {"debt_reference": "INV-2026-0042", "owed_to_company": True}


def _h(tokens: dict[Role, str], role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}"}


def _subject(
    c: Container, n: int, categories: tuple[str, ...] = ("name", "billing_records")
) -> str:
    s = c.subjects.register(OP, RegisterSubject("customer", "ON", "en", email=f"e2e{n}@example.ca"))
    for cat in categories:
        purpose = "billing" if cat == "billing_records" else "provide_service"
        c.subjects.record_information(
            OP, RecordInformation(s.id, cat, f"v{n}", "from_individual", (purpose,))
        )
    return s.id


def test_register_decide_disclose_and_read_the_account_over_http(
    client: TestClient, tokens: dict[Role, str], sqlite_container: Container
) -> None:
    officer, agent = _h(tokens, Role.PRIVACY_OFFICER), _h(tokens, Role.AGENT)
    r = client.post("/v1/recipients", headers=officer, json=AGENCY)
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    assert [x["id"] for x in client.get("/v1/recipients", headers=agent).json()] == [rid]
    sid = _subject(sqlite_container, 1)
    body = {
        "subject_id": sid,
        "recipient_id": rid,
        "purpose": "billing",
        "categories": ["name", "billing_records"],
        "exception": "debt_collection",
        "evidence": DEBT,
    }
    r = client.post("/v1/disclosures/decisions", headers=agent, json=body)
    assert r.status_code == 200, r.text
    assert r.json()["decision"]["allowed"] is True
    assert client.get(f"/v1/subjects/{sid}/disclosures", headers=officer).json()["recipients"] == []

    r = client.post("/v1/disclosures", headers=_h(tokens, Role.INTEGRATION), json=body)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["record"]["legal_basis"] == "debt_collection"
    assert made["record"]["evidence_reference"] == "INV-2026-0042"

    account = client.get(f"/v1/subjects/{sid}/disclosures", headers=_h(tokens, Role.AUDITOR))
    assert account.status_code == 200
    [line] = account.json()["recipients"][0]["disclosures"]
    assert line["decision_id"] == made["decision_id"]
    assert account.json()["recipients"][0]["name"] == AGENCY["name"]


def test_a_refused_disclosure_is_a_problem_naming_its_reasons_and_nothing_is_recorded(
    client: TestClient, officer_headers: dict[str, str], sqlite_container: Container
) -> None:
    rid = client.post("/v1/recipients", headers=officer_headers, json=AGENCY).json()["id"]
    sid = _subject(sqlite_container, 2, ("name",))
    r = client.post(
        "/v1/disclosures",
        headers=officer_headers,
        json={
            "subject_id": sid,
            "recipient_id": rid,
            "purpose": "billing",
            "categories": ["name", "billing_records"],
            "exception": "debt_collection",
        },
    )
    assert r.status_code == 422
    problem = r.json()
    assert problem["code"] == "not_allowed"
    assert "category_not_on_file" in problem["detail"]
    assert "evidence_missing" in problem["detail"]
    assert "INV" not in problem["detail"]
    account = client.get(f"/v1/subjects/{sid}/disclosures", headers=officer_headers).json()
    assert account["recipients"] == []


@pytest.mark.parametrize(
    ("change", "status", "location"),
    [
        ({"exception": "because_we_can"}, 422, "exception"),
        ({"evidence": {"colour": "blue"}}, 422, "evidence.colour"),
        ({"evidence": {"kind": "no_such_kind"}}, 422, "evidence.kind"),
        ({"recipient_id": "rcp_nobody"}, 422, "recipient_id"),
        ({"subject_id": "sub_nobody"}, 422, "subject_id"),
        ({"purpose": "no_such_purpose"}, 422, "purpose"),
        ({"categories": ["name", "no_such_category"]}, 422, "categories[1]"),
    ],
)
def test_dis_1_bad_disclosure_input_is_a_problem_naming_its_field_and_records_nothing(
    client: TestClient,
    officer_headers: dict[str, str],
    sqlite_container: Container,
    change: dict[str, object],
    status: int,
    location: str | None,
) -> None:
    rid = client.post("/v1/recipients", headers=officer_headers, json=AGENCY).json()["id"]
    sid = _subject(sqlite_container, 3)
    body = {
        "subject_id": sid,
        "recipient_id": rid,
        "purpose": "billing",
        "categories": ["name"],
        "exception": "debt_collection",
        "evidence": DEBT,
        **change,
    }
    r = client.post("/v1/disclosures", headers=officer_headers, json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    if location:
        assert [e["location"] for e in r.json()["errors"]] == [location]
    for bad in ("because_we_can", "rcp_nobody", "sub_nobody", "no_such"):
        assert bad not in r.json().get("detail", "")
    account = client.get(f"/v1/subjects/{sid}/disclosures", headers=officer_headers).json()
    assert account["recipients"] == []
    with sqlite_container.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(decisions)).scalar_one() == 0


def test_bulk_csv_over_http_lists_refused_rows_and_records_the_allowed(
    client: TestClient, tokens: dict[Role, str], sqlite_container: Container
) -> None:
    officer = _h(tokens, Role.PRIVACY_OFFICER)
    rid = client.post("/v1/recipients", headers=officer, json=AGENCY).json()["id"]
    good = [_subject(sqlite_container, 10 + i) for i in range(3)]
    bare = _subject(sqlite_container, 20, ("name",))
    body = "subject_id,debt_reference\n" + "".join(
        f"{s},INV-{i}\n" for i, s in enumerate([*good, bare])
    )
    r = client.post(
        "/v1/disclosures/bulk",
        headers={**_h(tokens, Role.INTEGRATION), "Content-Type": "text/csv"},
        params={
            "recipient_id": rid,
            "purpose": "billing",
            "category": ["name", "billing_records"],
            "exception": "debt_collection",
            "evidence": ["owed_to_company=true"],
        },
        content=body,
    )
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["allowed"], out["refused"]) == (3, 1)
    assert [row["subject_id"] for row in out["refused_rows"]] == [bare]
    assert out["refused_rows"][0]["reasons"] == ["category_not_on_file"]
    assert sorted(row["subject_id"] for row in out["allowed_rows"]) == sorted(good)
    for sid in good:
        acc = client.get(f"/v1/subjects/{sid}/disclosures", headers=officer).json()
        assert len(acc["recipients"][0]["disclosures"]) == 1


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"recipient_id": "rcp_nobody"}, "recipient_id"),
        ({"purpose": "no_such_purpose"}, "purpose"),
        ({"category": ["name", "no_such_category"]}, "category[1]"),
        ({"exception": "because_we_can"}, "exception"),
    ],
)
def test_dis_1_bad_bulk_parameters_name_the_parameter_and_record_nothing(
    client: TestClient,
    tokens: dict[Role, str],
    sqlite_container: Container,
    change: dict[str, object],
    location: str,
) -> None:
    officer = _h(tokens, Role.PRIVACY_OFFICER)
    rid = client.post("/v1/recipients", headers=officer, json=AGENCY).json()["id"]
    sid = _subject(sqlite_container, 30)
    params = {
        "recipient_id": rid,
        "purpose": "billing",
        "category": ["name"],
        "exception": "debt_collection",
        "evidence": ["owed_to_company=true"],
        **change,
    }
    r = client.post(
        "/v1/disclosures/bulk",
        headers={**officer, "Content-Type": "text/csv"},
        params=params,
        content=f"subject_id,debt_reference\n{sid},INV-1\n",
    )
    assert r.status_code == 422, r.text
    assert [e["location"] for e in r.json()["errors"]] == [location]
    with sqlite_container.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(decisions)).scalar_one() == 0


def test_bulk_without_a_subject_id_column_is_refused_whole(
    client: TestClient, officer_headers: dict[str, str]
) -> None:
    rid = client.post("/v1/recipients", headers=officer_headers, json=AGENCY).json()["id"]
    r = client.post(
        "/v1/disclosures/bulk",
        headers={**officer_headers, "Content-Type": "text/csv"},
        params={"recipient_id": rid, "purpose": "billing", "category": ["name"]},
        content="who\nsub_1\n",
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["location"] == "file"


def test_cross_border_register_as_csv_and_json(client: TestClient, tokens: dict[Role, str]) -> None:
    officer = _h(tokens, Role.PRIVACY_OFFICER)
    abroad = {
        **AGENCY,
        "name": "Agency Abroad",
        "country": "US",
        "province": None,
        "safeguards": "Encryption at rest; named staff.",
        "assessment_ref": "PIA-9",
        "assessment_date": "2025-02-01",
    }
    rid = client.post("/v1/recipients", headers=officer, json=abroad).json()["id"]
    auditor = _h(tokens, Role.AUDITOR)
    rows = client.get("/v1/disclosures/cross-border", headers=auditor).json()
    assert any(r["holder_id"] == rid and r["scope"] == "outside_canada" for r in rows)
    r = client.get("/v1/disclosures/cross-border", headers=auditor, params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    parsed = list(csv.DictReader(io.StringIO(r.text)))
    assert any(row["holder_id"] == rid and row["country"] == "US" for row in parsed)
    assert (
        client.get("/v1/disclosures/cross-border", headers=_h(tokens, Role.AGENT)).status_code
        == 403
    )


# --- the command line -----------------------------------------------------------------------

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _cli_subject(n: int, categories: tuple[str, ...]) -> str:
    code, out = run(
        "subjects", "add", "--type", "customer", "--province", "ON", "--email", f"c{n}@example.ca"
    )
    assert code == 0, out
    sid = out.split("Registered subject ")[1].split()[0]
    for cat in categories:
        purpose = "billing" if cat == "billing_records" else "provide_service"
        code, out = run(
            "subjects",
            "record",
            sid,
            "--category",
            cat,
            "--value",
            "x",
            "--source",
            "from_individual",
            "--purpose",
            purpose,
        )
        assert code == 0, out
    return sid


def test_cli_recipients_disclose_bulk_account_and_cross_border(cli_env: Path) -> None:
    run("db", "upgrade")
    code, out = run(
        "recipients",
        "add",
        "Agence CLI",
        "--class",
        "collection_agency",
        "--province",
        "QC",
        "--agreement-ref",
        "AGR-7",
        "--agreement-signed",
        "2025-01-01",
    )
    assert code == 0, out
    rid = out.split("Registered recipient ")[1].split()[0]
    code, out = run("recipients", "list", "--json")
    assert [r["id"] for r in json.loads(out)] == [rid]

    sid = _cli_subject(1, ("name", "billing_records"))
    common = [
        "--recipient",
        rid,
        "--purpose",
        "billing",
        "--category",
        "name",
        "--category",
        "billing_records",
    ]
    code, out = run("disclose", sid, *common, "--exception", "debt_collection")
    assert code == 1 and "evidence_missing" in out  # refused: no evidence
    code, out = run(
        "disclose",
        sid,
        *common,
        "--exception",
        "debt_collection",
        "--evidence",
        "INV-77",
        "--evidence",
        "owed_to_company=yes",
    )
    assert code == 0, out
    assert "Recorded disclosure" in out

    other = _cli_subject(2, ("name",))
    file = cli_env / "nightly.csv"
    file.write_text(f"subject_id,debt_reference\n{sid},INV-1\n{other},INV-2\n", encoding="utf-8")
    results = cli_env / "results.csv"
    code, out = run(
        "disclose",
        "--bulk",
        str(file),
        *common,
        "--exception",
        "debt_collection",
        "--evidence",
        "owed_to_company=true",
        "--out",
        str(results),
    )
    assert code == 0, out
    assert "1 recorded, 1 refused" in out and "category_not_on_file" in out
    rows = list(csv.DictReader(io.StringIO(results.read_text(encoding="utf-8"))))
    assert [(r["subject_id"], r["allowed"]) for r in rows] == [(sid, "yes"), (other, "no")]

    code, out = run("disclosures", "account", sid, "--json")
    assert code == 0, out
    account = json.loads(out)
    assert [len(r["disclosures"]) for r in account["recipients"]] == [2]

    code, out = run("disclosures", "cross-border", "--format", "csv")
    assert code == 0 and out.startswith("holder_kind,holder_id")
    code, out = run(
        "disclose", sid, "--recipient", "rcp_nobody", "--purpose", "billing", "--category", "name"
    )
    assert code == 1 and "Traceback" not in out


# --- written notices after an emergency disclosure (DIS-2) ---------------------------------

EMERGENCY = {
    "name": "Service d'urgence",
    "class_id": "emergency_authority",
    "country": "CA",
    "province": "QC",
}


def test_dis_2_notices_over_http_overdue_for_the_officer_then_closed_once(
    client: TestClient, tokens: dict[Role, str], sqlite_container: Container, clock: FakeClock
) -> None:
    officer, agent = _h(tokens, Role.PRIVACY_OFFICER), _h(tokens, Role.AGENT)
    rid = client.post("/v1/recipients", headers=officer, json=EMERGENCY).json()["id"]
    sid = _subject(sqlite_container, 7, ("name", "telephone_number"))
    r = client.post(
        "/v1/disclosures",
        headers=agent,
        json={
            "subject_id": sid,
            "recipient_id": rid,
            "purpose": "legal_compliance",
            "categories": ["name", "telephone_number"],
            "exception": "emergency",
            "evidence": {"description": "Person unconscious at the service address"},
        },
    )
    assert r.status_code == 201, r.text
    [notice] = r.json()["notices"]
    assert notice["status"] == "open"
    url = "/v1/disclosures/notices"
    assert client.get(url, headers=officer, params={"status": "overdue"}).json() == []
    clock.advance(days=8)
    [overdue] = client.get(url, headers=officer, params={"status": "overdue"}).json()
    assert (overdue["id"], overdue["status"]) == (notice["id"], "overdue")

    close = f"{url}/{notice['id']}/sent"
    body = {"method": "mail", "reference": "RN1CA"}
    assert client.post(close, headers=_h(tokens, Role.AUDITOR), json=body).status_code == 403
    bad = client.post(close, headers=agent, json={"method": "pigeon"})
    assert bad.status_code == 422
    r = client.post(close, headers=agent, json=body)
    assert r.status_code == 200, r.text
    done = r.json()
    assert (done["status"], done["sent_via"], done["sent_reference"]) == ("sent", "mail", "RN1CA")
    assert done["done_at"] is not None and done["sent_by"]
    assert client.post(close, headers=agent, json=body).status_code == 409
    assert client.get(url, headers=officer, params={"status": "overdue"}).json() == []
    [sent] = client.get(url, headers=officer, params={"status": "sent"}).json()
    assert sent["id"] == notice["id"]
    missing = client.post(f"{url}/ntc_nobody/sent", headers=agent, json=body)
    assert missing.status_code == 404


def test_dis_2_cli_lists_and_closes_a_notice(cli_env: Path) -> None:
    run("db", "upgrade")
    code, out = run(
        "recipients", "add", "Urgence CLI", "--class", "emergency_authority", "--province", "QC"
    )
    assert code == 0, out
    rid = out.split("Registered recipient ")[1].split()[0]
    sid = _cli_subject(9, ("name", "telephone_number"))
    code, out = run(
        "disclose",
        sid,
        "--recipient",
        rid,
        "--purpose",
        "legal_compliance",
        "--category",
        "name",
        "--category",
        "telephone_number",
        "--exception",
        "emergency",
        "--evidence",
        "description=Fire reported at the service address",
    )
    assert code == 0, out
    nid = out.split("Written notice ")[1].split()[0]
    code, out = run("disclosures", "notices", "--status", "open", "--json")
    assert code == 0, out
    assert [(n["id"], n["status"]) for n in json.loads(out)] == [(nid, "open")]
    code, out = run("disclosures", "notice-sent", nid, "--via", "pigeon")
    assert code == 1 and "method" in out
    code, out = run("disclosures", "notice-sent", nid, "--via", "email", "--by", "Front desk")
    assert code == 0, out
    assert "recorded as sent by email" in out
    code, out = run("disclosures", "notices", "--status", "sent", "--json")
    [n] = json.loads(out)
    assert (n["id"], n["sent_via"], n["sent_by"]) == (nid, "email", "Front desk")
    code, out = run("disclosures", "notice-sent", nid, "--via", "email")
    assert code == 1  # already closed


# --- historical disclosures known only by class (ACC-4) --------------------------------------

HISTORY_HEADER = "subject_id,recipient_class,disclosed_at,categories,purpose,basis"


def test_acc_4_history_import_over_http_all_or_nothing(
    client: TestClient, tokens: dict[Role, str], sqlite_container: Container
) -> None:
    officer = _h(tokens, Role.PRIVACY_OFFICER)
    sid = _subject(sqlite_container, 11, ("name", "billing_records"))
    csv_headers = {**officer, "Content-Type": "text/csv"}
    bad = f"{HISTORY_HEADER}\n{sid},collection_agency,2019-03-01,name,billing,consent\n{sid},x,y,z,w,v\n"
    r = client.post("/v1/disclosures/history", headers=csv_headers, content=bad)
    assert r.status_code == 422, r.text
    locations = [e["location"] for e in r.json()["errors"]]
    assert locations == [
        "line 3.recipient_class",
        "line 3.disclosed_at",
        "line 3.categories",
        "line 3.purpose",
        "line 3.basis",
    ]
    assert sid not in r.text
    account = client.get(f"/v1/subjects/{sid}/disclosures", headers=officer).json()
    assert account["may_have_been_disclosed_to"] == []
    good = f"{HISTORY_HEADER}\n{sid},collection_agency,2019-03-01,name;billing_records,billing,debt_collection\n"
    agent_headers = {**_h(tokens, Role.AGENT), "Content-Type": "text/csv"}
    assert (
        client.post("/v1/disclosures/history", headers=agent_headers, content=good).status_code
        == 403
    )
    r = client.post("/v1/disclosures/history", headers=csv_headers, content=good)
    assert r.status_code == 201, r.text
    assert r.json()["recorded"] == 1
    account = client.get(f"/v1/subjects/{sid}/disclosures", headers=officer).json()
    [possible] = account["may_have_been_disclosed_to"]
    assert (possible["recipient_class"], possible["categories"]) == (
        "collection_agency",
        ["name", "billing_records"],
    )


def test_acc_4_cli_imports_history(cli_env: Path) -> None:
    run("db", "upgrade")
    sid = _cli_subject(12, ("name",))
    file = cli_env / "history.csv"
    file.write_text(f"{HISTORY_HEADER}\n{sid},credit_bureau,2020-01-01,name,credit_check,consent\n")
    code, out = run("disclosures", "import-history", str(file))
    assert code == 0, out
    assert "1 historical disclosure(s) recorded" in out
    code, out = run("disclosures", "account", sid, "--json")
    assert [p["recipient_class"] for p in json.loads(out)["may_have_been_disclosed_to"]] == [
        "credit_bureau"
    ]
    file.write_text(f"{HISTORY_HEADER}\n{sid},credit_bureau,2020-01-01,name,credit_check,maybe\n")
    code, out = run("disclosures", "import-history", str(file))
    assert code == 1 and "line 2.basis" in out
