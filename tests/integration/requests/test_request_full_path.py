"""The full path of an access request, from the individual's intake to the delivered file, with
the real access-file service over Confide's store (SQLite and PostgreSQL) and three connected
sources: a SQLite CRM, a PostgreSQL billing database and a CSV export (ACC-1, 4, 5, 8, 11)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from confide.adapters.delivery import RecipientDelivery
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.domain.access import WORKER
from confide.domain.errors import Conflict, ValidationFailed
from confide.domain.requests.model import Outcome, RequestState
from confide.services.requests import RequestService, SubmitRequest
from confide.services.sources import RegisterSource
from confide.services.subjects import RecordInformation, RegisterSubject
from confide.testing import FakeMailer, InlineOutbox
from confide.testing.sources import (
    make_sql_source,
    seeded_mapping,
    seeded_row,
    write_csv_source,
)

ROW, SEED = 7, 1


@pytest.fixture
def wired(container: Container, mailer: FakeMailer) -> RequestService:
    assert container.requests is not None
    # As the API and the CLI have it (the real access files), delivering inline to ``mailer``.
    container.requests = container.requests_over(
        InlineOutbox.over(container.outbox, RecipientDelivery(mailer))
    )
    return container.requests


def register(c: Container, name: str, kind: str, conn: str, table: str = "customers") -> None:
    mapping = seeded_mapping(table)
    c.sources.register(OFFICER, RegisterSource(name, kind, conn, name.upper(), (mapping,)))


def test_acc_4_access_request_from_intake_to_delivered_file(
    container: Container, wired: RequestService, mailer: FakeMailer, tmp_path: Path, pg_url: str
) -> None:
    c = container
    crm = f"sqlite:///{tmp_path / 'crm.db'}"
    make_sql_source(crm, 25, seed=SEED)
    register(c, "crm", "sql", crm)
    make_sql_source(pg_url, 25, seed=SEED)
    register(c, "billing", "sql", pg_url)
    folder = tmp_path / "exports"
    folder.mkdir()
    write_csv_source(folder / "export.csv", 25, seed=SEED)
    register(c, "export", "csv", str(folder), "export.csv")
    legacy = tmp_path / "legacy.db"
    make_sql_source(f"sqlite:///{legacy}", 25, seed=SEED)
    register(c, "legacy", "sql", f"sqlite:///{legacy}")
    row = seeded_row(ROW, SEED)
    subject = c.subjects.register(
        OFFICER,
        RegisterSubject("customer", "QC", "fr", email=str(row[1]), account=str(row[3])),
    )
    c.subjects.record_information(
        OFFICER,
        RecordInformation(
            subject.id,
            "mailing_address",
            "12 rue Principale",
            "from_individual",
            ("provide_service",),
        ),
    )

    # The individual asks on the portal and types the code received at the email on file.
    receipt = wired.submit_public(SubmitRequest("access", "portal", "email", str(row[1]).upper()))
    assert mailer.sent == []  # the code is issued and mailed by the intake job, off the path
    assert wired.match(WORKER, receipt.reference)  # the intake job
    code = re.search(r"\b(\d{6})\b", mailer.sent[-1].text)
    assert code and mailer.sent[-1].to == row[1]
    wired.verify_code(receipt.reference, code.group(1))
    assert wired.is_on_hold(subject.id)

    # A source is down while the file is assembled: the request waits and says why.
    legacy.unlink()
    c.connectors.close()
    prepared = wired.prepare(OFFICER, receipt.reference)
    assert [s["source"] for s in prepared["incomplete_sources"]] == ["legacy"]
    text = json.dumps(prepared, ensure_ascii=False)
    for value in (row[4], "12 rue Principale"):
        assert str(value) in text
    origins = {i["origin"].split("/")[0] for i in prepared["items"]}
    assert {"crm", "billing", "export", "confide"} <= origins

    # The reviewer withholds an item, with its reason (ACC-5); unknown ids are refused.
    address = next(i for i in prepared["items"] if i["value"] == "12 rue Principale")
    with pytest.raises(ValidationFailed):
        wired.review(OFFICER, receipt.reference, exclude={"no-such-item": "x"})
    wired.review(OFFICER, receipt.reference, exclude={address["id"]: "confidential_information"})
    with pytest.raises(Conflict, match="legacy"):
        wired.release(OFFICER, receipt.reference)
    done = wired.release(OFFICER, receipt.reference, incomplete_ok=True)
    assert (done.state, done.outcome, done.released_incomplete) == (
        RequestState.RESPONDED,
        Outcome.RELEASED,
        True,
    )

    released, incomplete = wired.response(OFFICER, receipt.reference, "json")
    assert incomplete
    assert "12 rue Principale" not in released.decode()
    assert str(row[4]) in released.decode()
    html, _ = wired.response(OFFICER, receipt.reference, "html")
    assert "Ce dossier est incomplet" in html.decode()
    pdf, _ = wired.response(OFFICER, receipt.reference, "pdf")
    assert pdf.startswith(b"%PDF")
    csv_bytes, _ = wired.response(OFFICER, receipt.reference, "csv")
    assert str(row[4]).encode() in csv_bytes

    wired.close(OFFICER, receipt.reference)
    assert not wired.is_on_hold(subject.id)
