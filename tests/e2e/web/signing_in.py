"""Signing in to the console as a browser does: the sign-in page first (it sets the login
CSRF cookie and carries the same value in the form), then the form's post."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient


def post_login(client: TestClient, token: str) -> httpx.Response:
    page = client.get("/console/login")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None, "the sign-in form carries no CSRF value"
    return client.post(
        "/console/login", data={"token": token, "csrf": found.group(1)}, follow_redirects=False
    )
