"""The breach register in the console (BRE-1..5): an agent records a report; the officer runs
the incident from its facts to closed — people linked, the assessment beside Confide's
proposal, the Commissioner's report (PDF, French), notices composed, the close — with nothing
sent on one careless click; the auditor reads and exports; no internal codes on the pages."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from pypdf import PdfReader
from tests.e2e.web.signing_in import post_login

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Role
from confide.services.breaches import IncidentFacts
from confide.services.ports.breaches import RegisterFilter
from confide.services.subjects import RecordInformation, RegisterSubject

OP = LOCAL_OPERATOR


def sign_in(client: TestClient, token: str) -> str:
    client.cookies.clear()
    r = post_login(client, token)
    assert r.status_code == 303
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/console/incidents").text)
    assert found is not None
    return found.group(1)


def customer(c: Container, n: int, province: str, language: str = "en") -> str:
    sid = c.subjects.register(
        OP, RegisterSubject("customer", province, language, email=f"c{n}@example.ca")
    ).id
    c.subjects.record_information(
        OP,
        RecordInformation(
            sid, "credit_information", "4111 1111 1111 1111", "from_individual",
            ("legal_compliance",), "billing",
        ),
    )  # fmt: skip
    return sid


def post(client: TestClient, url: str, csrf: str, **fields: str) -> tuple[int, str]:
    r = client.post(url, data={"csrf": csrf, **fields}, follow_redirects=True)
    return r.status_code, r.text


def test_bre_1_to_3_an_incident_is_run_from_report_to_closed_in_the_console(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str]
) -> None:
    c = sqlite_container
    customer(c, 1, "QC", "fr")
    customer(c, 2, "ON")
    # An agent on the phone records the report, and is given its reference.
    csrf = sign_in(client, tokens[Role.AGENT])
    r = client.post(
        "/console/incidents",
        data={
            "csrf": csrf,
            "action": "record",
            "title": "Card numbers in a shared folder",
            "reported_by": "staff",
            "circumstances": "A billing export with card numbers sat in a shared folder.",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200
    ref = re.search(r'id="recorded-reference">([^<]+)<', r.text)
    assert ref is not None
    reference = ref.group(1)
    assert 'id="register"' not in r.text  # the register is the officer's
    assert client.get("/console/incidents/export.csv").status_code == 403
    assert client.get(f"/console/incidents/{reference}/reports/opc_report.pdf").status_code == 403
    # The officer sees what the register still lacks, in words.
    csrf = sign_in(client, tokens[Role.PRIVACY_OFFICER])
    url = f"/console/incidents/{reference}"
    page = client.get(url).text
    assert "the personal information involved" in page and "when it happened" in page
    assert "(privacy officer)" in page and "privacy_officer" not in page
    status, page = post(
        client,
        url,
        csrf,
        action="amend",
        title="Card numbers in a shared folder",
        reported_by="staff",
        circumstances="A billing export with card numbers sat in a shared folder.",
        occurred_from="2026-05-20",
        occurred_to="2026-05-29",
        category_credit_information="yes",
        systems="billing",
        measures="Folder locked; access logs reviewed.",
        individual_steps="Watch your card statements.",
    )
    missing = page.split('id="missing"')[1].split("</section>")[0]
    assert status == 200 and re.findall(r"<li>([^<]+)</li>", missing) == [
        "the number of people affected"
    ]
    status, page = post(
        client, url, csrf, action="link_query", link_category_credit_information="yes"
    )
    assert status == 200 and "People linked." in page
    assert "The register holds every required fact." in page
    assert re.search(r'id="affected-count"><strong>2</strong>', page)
    # The assessment: Québec elements asked for, the proposal in words, no code shown.
    assert "Possible ill-intentioned uses" in page and "factor_" not in page.split("<form")[0]
    assert "The information is highly sensitive." in page
    status, page = post(
        client,
        url,
        csrf,
        action="assess",
        factor_exposed_to_unknown="yes",
        factor_not_recovered="yes",
        decision_reason="Card numbers readable by 300 employees for nine days.",
        ill_intentioned_uses="Card fraud by an employee.",
        consequences="Fraudulent charges.",
        likelihood="medium",
        serious_injury="yes",
    )
    assert status == 422 and "real_risk" in page  # the decision itself must be chosen
    status, page = post(
        client,
        url,
        csrf,
        action="assess",
        factor_exposed_to_unknown="yes",
        factor_not_recovered="yes",
        real_risk="yes",
        decision_reason="Card numbers readable by 300 employees for nine days.",
        ill_intentioned_uses="Card fraud by an employee.",
        consequences="Fraudulent charges.",
        likelihood="medium",
        serious_injury="yes",
    )
    assert status == 200 and "Assessment recorded." in page
    assert "Report to the Privacy Commissioner of Canada" in page
    # Notices go out only when the officer ticks that the notice was read.
    status, page = post(client, url, csrf, action="notify")
    assert status == 422
    pdf = client.get(f"{url}/reports/individuals.pdf", params={"lang": "fr"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Ce que vous pouvez faire" in text and "Commission d'acc" in text
    status, page = post(client, url, csrf, action="notify", confirm="yes")
    assert status == 200 and "Notices composed into the outbox." in page
    report = client.get(f"{url}/reports/opc_report.pdf", params={"lang": "fr"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(report.content)).pages)
    assert "Commissariat" in text and "BROUILLON" not in text
    for kind in ("opc_report", "cai_notice"):
        status, page = post(
            client, url, csrf, action="sent", kind=kind, sent_on="2026-06-01", reference="file"
        )
        assert status == 200, page
    status, page = post(client, url, csrf, action="close")
    assert status == 422  # not without the ticked confirmation
    status, page = post(client, url, csrf, action="close", confirm="yes")
    assert status == 200 and "Incident closed." in page and "Kept until" in page
    # The auditor reads the register and exports it; the page shows no internal codes.
    sign_in(client, tokens[Role.AUDITOR])
    register = client.get("/console/incidents").text
    assert reference in register and "opc_report" not in register
    exported = client.get("/console/incidents/export.csv").text
    assert reference in exported
    page = client.get(url).text
    assert 'id="form-assess"' not in page and "credit_information" not in page


def test_bre_1_the_portal_takes_a_report_in_french_without_an_account(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str]
) -> None:
    form = client.get("/portal/fr/incidents/new").text
    assert "Signaler un incident de confidentialité" in form
    r = client.post(
        "/portal/fr/incidents/new",
        data={"description": "J'ai reçu la facture d'un voisin.", "contact": "moi@example.ca"},
        follow_redirects=True,
    )
    assert r.status_code == 200 and "INC-" in r.text and "Merci" in r.text
    bad = client.post("/portal/en/incidents/new", data={"description": " ", "contact": ""})
    assert bad.status_code == 422 and "What happened" in bad.text
    rows = sqlite_container.breaches.register(OP, RegisterFilter())
    assert [r.incident.reported_by.value for r in rows] == ["individual"]
    # The officer sees how to reach whoever reported it.
    sign_in(client, tokens[Role.PRIVACY_OFFICER])
    page = client.get(f"/console/incidents/{rows[0].incident.reference}").text
    assert 'id="reporter-contact">moi@example.ca<' in page


def test_bre_1_the_officer_uploads_a_file_of_the_people_affected(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str]
) -> None:
    c = sqlite_container
    customer(c, 1, "QC", "fr")
    customer(c, 2, "ON")
    incident = c.breaches.record(OP, IncidentFacts(title="Vendor lost a spreadsheet"))
    csrf = sign_in(client, tokens[Role.PRIVACY_OFFICER])
    url = f"/console/incidents/{incident.reference}"
    bad = client.post(
        url,
        data={"csrf": csrf, "action": "link_list"},
        files={"list_file": ("people.csv", b"email:c1@example.ca\nemail:nobody@example.ca\n")},
    )
    assert bad.status_code == 422
    assert "line 2: matches no one Confide knows" in bad.text and "nobody@" not in bad.text
    assert c.breaches.view(OP, incident.id).affected == 0
    good = client.post(
        url,
        data={"csrf": csrf, "action": "link_list"},
        files={"list_file": ("people.csv", b"email:c1@example.ca\r\nemail:c2@example.ca\r\n")},
        follow_redirects=True,
    )
    assert good.status_code == 200 and "People linked." in good.text
    assert [(x.province, x.people) for x in c.breaches.view(OP, incident.id).counts] == [
        ("ON", 1),
        ("QC", 1),
    ]
