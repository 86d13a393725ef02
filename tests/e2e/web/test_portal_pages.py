"""The portal's public pages over HTTP: language choice, the policy in both languages, the
privacy officer's contact on every page (CMP-3), security headers, and no staff token needed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from confide.bootstrap import Container
from confide.web.i18n import pick_language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("fr-CA,fr;q=0.9,en;q=0.8", "fr"),
        ("en-CA,en;q=0.9,fr;q=0.8", "en"),
        ("de-DE,fr;q=0.5", "fr"),
        ("de-DE", "en"),
        ("fr;q=0.2, en;q=0.7", "en"),
        ("fr;q=bogus, en;q=0.1", "en"),
    ],
)
def test_language_is_picked_from_accept_language(header: str | None, expected: str) -> None:
    assert pick_language(header) == expected


def test_portal_root_redirects_to_the_preferred_language(client: TestClient) -> None:
    r = client.get("/portal", headers={"Accept-Language": "fr-CA"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/portal/fr/"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_cmp_3_privacy_officer_contact_is_on_every_portal_page(
    client: TestClient, sqlite_container: Container, lang: str
) -> None:
    officer = sqlite_container.ctx.policy.organization.privacy_officer
    for path in (f"/portal/{lang}/", f"/portal/{lang}/policy"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert f'<html lang="{lang}">' in r.text
        assert officer.name in r.text and officer.email in r.text
        assert officer.title.in_language(lang) in r.text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_con_7_policy_page_lists_every_purpose_in_the_readers_language(
    client: TestClient, sqlite_container: Container, lang: str
) -> None:
    policy = sqlite_container.ctx.policy
    text = client.get(f"/portal/{lang}/policy").text
    for purpose in policy.purposes:
        assert f'data-purpose="{purpose.id}"' in text
    # Jinja escapes apostrophes; compare against a description without markup-sensitive characters.
    plain = [p for p in policy.purposes if "'" not in p.description.in_language(lang)]
    assert plain, "the policy has no purpose description to compare"
    for purpose in plain:
        assert purpose.description.in_language(lang) in text
    assert policy.version in text


def test_con_6_service_essential_purposes_are_shown_apart_with_the_consequence(
    client: TestClient, sqlite_container: Container
) -> None:
    text = client.get("/portal/en/policy").text
    essential = text.split('id="purposes-essential"')[1].split("</table>")[0]
    optional = text.split('id="purposes-optional"')[1].split("</table>")[0]
    for purpose in sqlite_container.ctx.policy.purposes:
        marker = f'data-purpose="{purpose.id}"'
        assert (marker in essential) == (not purpose.opt_out_allowed), purpose.id
        assert (marker in optional) == purpose.opt_out_allowed, purpose.id
    assert "without ending the service" in text


def test_portal_pages_carry_security_headers_and_no_inline_style(client: TestClient) -> None:
    r = client.get("/portal/en/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<style" not in r.text and "<script" not in r.text
    css = client.get("/static/confide.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]


def test_unknown_language_or_page_is_a_404_page_not_a_traceback(client: TestClient) -> None:
    r = client.get("/portal/de/policy", headers={"Accept-Language": "fr"})
    assert r.status_code == 404
    assert "Page introuvable" in r.text
    assert "Traceback" not in r.text


def test_portal_is_not_part_of_the_api_description(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith("/portal")]
