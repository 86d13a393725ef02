"""The HTTP API for subjects, staff and policy, with problem documents for bad input."""

from __future__ import annotations

from fastapi.testclient import TestClient

from confide.domain.access import Role


def test_register_record_correct_and_read_a_file(
    client: TestClient, officer_headers: dict[str, str]
) -> None:
    r = client.post(
        "/v1/subjects",
        headers=officer_headers,
        json={
            "subject_type": "customer",
            "province": "QC",
            "language": "fr",
            "email": "luc@example.ca",
            "display_name": "Luc Gagnon",
        },
    )
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    r = client.post(
        f"/v1/subjects/{sid}/information",
        headers=officer_headers,
        json={
            "category": "credit_information",
            "value": "score 701",
            "source": "third_party",
            "purposes": ["credit_check"],
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["encrypted_at_rest"] is True
    rid = r.json()["id"]
    r = client.post(
        f"/v1/information/{rid}/correction",
        headers=officer_headers,
        json={"value": "score 705", "reason": "bureau update"},
    )
    assert r.status_code == 201
    f = client.get(f"/v1/subjects/{sid}/file?history=true", headers=officer_headers).json()
    assert sorted(i["value"] for i in f["information"]) == ["score 701", "score 705"]
    assert (
        client.get(
            "/v1/subjects/lookup",
            params={"kind": "email", "value": "LUC@example.ca"},
            headers=officer_headers,
        ).json()["id"]
        == sid
    )


def test_invalid_fields_are_named_in_a_problem_document(
    client: TestClient, officer_headers: dict[str, str]
) -> None:
    r = client.post(
        "/v1/subjects",
        headers=officer_headers,
        json={"subject_type": "customer", "province": "XX", "email": "bad"},
    )
    assert r.status_code == 422
    body = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert {e["location"] for e in body["errors"]} == {"province", "email"}
    assert '"bad"' not in r.text  # the submitted value is not echoed


def test_malformed_json_wrong_types_and_unknown_fields(
    client: TestClient, officer_headers: dict[str, str]
) -> None:
    r = client.post(
        "/v1/subjects",
        headers={**officer_headers, "Content-Type": "application/json"},
        content=b'{"subject_type": "customer",',
    )
    assert r.status_code == 422 and r.json()["code"] == "request_invalid"
    r = client.post(
        "/v1/subjects",
        headers=officer_headers,
        json={"subject_type": 5, "province": ["QC"], "shoe_size": 9},
    )
    assert r.status_code == 422
    locations = {e["location"] for e in r.json()["errors"]}
    assert {"body.subject_type", "body.province", "body.shoe_size"} <= locations
    # Input values are never echoed back.
    assert all("input" not in e for e in r.json()["errors"])
    assert 'shoe_size":9' not in r.text and '"QC"' not in r.text


def test_invalid_utf8_body_is_a_clear_4xx(
    client: TestClient, officer_headers: dict[str, str]
) -> None:
    r = client.post(
        "/v1/subjects",
        headers={**officer_headers, "Content-Type": "application/json"},
        content=b'{"subject_type": "caf\xe9"}',
    )
    assert 400 <= r.status_code < 500


def test_oversized_body_is_refused_with_413(
    client: TestClient, officer_headers: dict[str, str]
) -> None:
    big = b"x" * (11 * 1024 * 1024)
    r = client.post(
        "/v1/subjects/import", headers={**officer_headers, "Content-Type": "text/csv"}, content=big
    )
    assert r.status_code == 413
    assert r.json()["code"] == "body_too_large"


def test_unknown_ids_are_404_problems(client: TestClient, officer_headers: dict[str, str]) -> None:
    r = client.get("/v1/subjects/sub_nope", headers=officer_headers)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert client.get("/v1/nothing-here", headers=officer_headers).status_code == 404


def test_duplicate_subject_is_a_409(client: TestClient, officer_headers: dict[str, str]) -> None:
    body = {"subject_type": "customer", "province": "ON", "email": "dup@example.ca"}
    assert client.post("/v1/subjects", headers=officer_headers, json=body).status_code == 201
    r = client.post("/v1/subjects", headers=officer_headers, json=body)
    assert r.status_code == 409


def test_csv_import_over_http_is_all_or_nothing(
    client: TestClient, officer_headers: dict[str, str]
) -> None:
    csv = "subject_type,province,email\ncustomer,ON,a@example.ca\ncustomer,ON,oops\n"
    r = client.post(
        "/v1/subjects/import", headers={**officer_headers, "Content-Type": "text/csv"}, content=csv
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["location"] == "line 3, email"
    assert client.get("/v1/subjects", headers=officer_headers).json()["total"] == 0
    ok = "subject_type,province,email\ncustomer,ON,a@example.ca\n"
    r = client.post(
        "/v1/subjects/import", headers={**officer_headers, "Content-Type": "text/csv"}, content=ok
    )
    assert r.status_code == 201 and r.json() == {"imported": 1}


def test_tokens_are_issued_once_used_and_revoked(
    client: TestClient, officer_headers: dict[str, str]
) -> None:
    assert (
        client.post(
            "/v1/staff/users",
            headers=officer_headers,
            json={"username": "agent-amy", "roles": ["agent"]},
        ).status_code
        == 201
    )
    issued = client.post(
        "/v1/staff/tokens", headers=officer_headers, json={"username": "agent-amy"}
    ).json()
    headers = {"Authorization": f"Bearer {issued['token']}"}
    assert client.get("/v1/staff/me", headers=headers).json()["roles"] == ["agent"]
    assert (
        client.delete(f"/v1/staff/tokens/{issued['id']}", headers=officer_headers).status_code
        == 204
    )
    # The revocation is effective once the short authentication cache expires; a fresh app sees it at once.
    from confide.api.app import create_app

    fresh = TestClient(create_app(client.app.state.container))  # type: ignore[attr-defined]
    assert fresh.get("/v1/staff/me", headers=headers).status_code == 401


def test_agent_cannot_manage_staff(client: TestClient, tokens: dict[Role, str]) -> None:
    r = client.post(
        "/v1/staff/users",
        headers={"Authorization": f"Bearer {tokens[Role.AGENT]}"},
        json={"username": "x1", "roles": ["agent"]},
    )
    assert r.status_code == 403


def test_policy_in_force_and_its_versions(client: TestClient, tokens: dict[Role, str]) -> None:
    headers = {"Authorization": f"Bearer {tokens[Role.AUDITOR]}"}
    current = client.get("/v1/policy", headers=headers).json()
    versions = client.get("/v1/policy/versions", headers=headers).json()
    assert [v["id"] for v in versions] == [current["version_id"]]
    assert versions[0]["active"] is True
    assert {c["id"] for c in current["policy"]["categories"]} >= {"name", "credit_information"}
