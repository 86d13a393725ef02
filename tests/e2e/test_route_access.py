"""Deny by default: every route of the API refuses a request without a token (401)
and a token whose role the route does not list (403)."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from confide.api.app import ROUTERS
from confide.api.security import Allow
from confide.domain.access import Role
from confide.domain.permissions import roles_for

PUBLIC = {
    "/health",
    "/openapi.json",
    "/docs",
    "/docs/oauth2-redirect",
    "/redoc",
    # The individual's own request and its code: no staff token, rate-limited, revealing nothing.
    "/requests",
    "/requests/{reference}/verify",
}


def _allowed_roles(route: APIRoute) -> frozenset[Role] | None:
    stack = [route.dependant]
    found: frozenset[Role] | None = None
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, Allow):
            found = dep.call.roles if found is None else found & dep.call.roles
        stack.extend(dep.dependencies)
    return found


def _allow(route: APIRoute) -> Allow | None:
    stack = [route.dependant]
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, Allow):
            return dep.call
        stack.extend(dep.dependencies)
    return None


def _routes(client: TestClient) -> list[APIRoute]:
    """Every API route of the app (FastAPI keeps included routers lazily, so walk ROUTERS and
    check against the OpenAPI description that no route is served that is not walked here)."""
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    walked = {(m.lower(), r.path) for r in routes for m in r.methods}
    served = {(m, p) for p, ops in client.get("/openapi.json").json()["paths"].items() for m in ops}
    assert served == walked
    return routes


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", path)


def test_every_route_declares_its_roles_or_is_public(client: TestClient) -> None:
    undeclared = [
        r.path for r in _routes(client) if r.path not in PUBLIC and _allowed_roles(r) is None
    ]
    assert undeclared == []
    assert all(r.path.startswith("/v1/") for r in _routes(client) if r.path not in PUBLIC)


def test_every_route_refuses_a_request_without_a_token(client: TestClient) -> None:
    checked = 0
    for route in _routes(client):
        if route.path in PUBLIC:
            continue
        for method in route.methods:
            response = client.request(method, _concrete(route.path), json={})
            assert response.status_code == 401, (method, route.path, response.status_code)
            assert response.headers["content-type"].startswith("application/problem+json")
            bad = client.request(
                method,
                _concrete(route.path),
                json={},
                headers={"Authorization": "Bearer cfd_forged-token"},
            )
            assert bad.status_code == 401, (method, route.path)
            checked += 1
    assert checked >= 10


def test_every_route_refuses_roles_it_does_not_list(
    client: TestClient, tokens: dict[Role, str]
) -> None:
    checked = 0
    for route in _routes(client):
        roles = _allowed_roles(route)
        if roles is None:
            continue
        for role in set(Role) - roles:
            for method in route.methods:
                response = client.request(
                    method,
                    _concrete(route.path),
                    json={},
                    headers={"Authorization": f"Bearer {tokens[role]}"},
                )
                assert response.status_code == 403, (method, route.path, role, response.status_code)
                checked += 1
    assert checked >= 5


def test_every_route_admits_exactly_the_roles_the_permissions_table_gives_its_action(
    client: TestClient, tokens: dict[Role, str]
) -> None:
    """The other half of "exactly its roles": no listed role is refused (the answer may be 404 or
    422 for the made-up ids and empty bodies, never 401 or 403)."""
    checked = 0
    for route in _routes(client):
        allow = _allow(route)
        if allow is None:
            continue
        assert allow.roles == roles_for(allow.action), route.path
        for role in allow.roles:
            for method in route.methods:
                response = client.request(
                    method,
                    _concrete(route.path),
                    json={},
                    headers={"Authorization": f"Bearer {tokens[role]}"},
                )
                assert response.status_code not in (401, 403), (method, route.path, role)
                checked += 1
    assert checked >= 50


def test_public_routes_answer_without_a_token(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/openapi.json").status_code == 200
