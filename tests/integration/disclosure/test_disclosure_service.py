"""Disclosures through the service, on SQLite and PostgreSQL (issue 5): one test per rule
DIS-1..5, each exception code allowed with its evidence and refused without, the ledger and the
account of disclosures (ACC-4), written notices, bad input, the cross-border register."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from confide.adapters.db.tables import audit_entries, decisions, disclosures, notices
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.disclosure.errors import InvalidRecipient, UnknownExceptionCode
from confide.domain.errors import Conflict, NotFound, ValidationFailed
from confide.services.consent import GiveConsentRequest
from confide.services.disclosures import (
    DisclosureNotAllowed,
    DisclosureRequest,
    RecipientInput,
)
from confide.services.subjects import RecordInformation, RegisterSubject
from confide.testing import FakeClock

OP = LOCAL_OPERATOR
# A purpose each category may be recorded for (the policy requires one that covers it).
COLLECTED_FOR = {
    "name": "provide_service",
    "mailing_address": "provide_service",
    "email": "provide_service",
    "telephone_number": "provide_service",
    "billing_records": "billing",
    "service_records": "provide_service",
    "credit_information": "credit_check",
}
ON_FILE = (
    "name",
    "mailing_address",
    "email",
    "telephone_number",
    "billing_records",
    "service_records",
)
AGREEMENT = {"agreement_ref": "AGR-1", "agreement_signed": date(2025, 1, 1)}
PAPERS = {**AGREEMENT, "assessment_ref": "PIA-1", "assessment_date": date(2025, 1, 1)}

_n = iter(range(1_000_000))


def subject(c: Container, province: str = "ON", on_file: tuple[str, ...] = ON_FILE) -> str:
    n = next(_n)
    s = c.subjects.register(
        OP,
        RegisterSubject(
            "customer", province, "fr" if province == "QC" else "en", email=f"s{n}@example.ca"
        ),
    )
    for category in on_file:
        c.subjects.record_information(
            OP,
            RecordInformation(
                s.id, category, f"value {n}", "from_individual", (COLLECTED_FOR[category],)
            ),
        )
    return s.id


def recipient(
    c: Container, class_id: str, country: str = "CA", province: str | None = "QC", **kw: object
) -> str:
    data = RecipientInput(
        f"{class_id} {next(_n)}",
        class_id,
        country,
        province,
        **kw,  # type: ignore[arg-type]
    )
    return c.disclosures.add_recipient(OP, data).id


def ledger_count(c: Container) -> int:
    with c.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(disclosures)).scalar_one())


def request(
    sid: str,
    rid: str,
    purpose: str,
    categories: tuple[str, ...],
    exception: str | None = None,
    evidence: dict[str, object] | None = None,
) -> DisclosureRequest:
    return DisclosureRequest(sid, rid, purpose, categories, exception, evidence)


# --- DIS-1 ----------------------------------------------------------------------------------


def test_dis_1_an_allowed_disclosure_is_recorded_with_recipient_time_categories_basis_and_evidence(
    container: Container, clock: FakeClock
) -> None:
    sid = subject(container)
    rid = recipient(container, "collection_agency", **AGREEMENT)
    out = container.disclosures.disclose(
        OP,
        request(
            sid,
            rid,
            "billing",
            ("name", "billing_records"),
            "debt_collection",
            {"debt_reference": "INV-2026-0042", "owed_to_company": True},
        ),
    )
    [row] = container.disclosures.ledger(OP, sid)
    assert row.id == out.disclosure_id
    r = row.record
    assert (r.subject_id, r.recipient_id, r.categories, r.purpose_id) == (
        sid,
        rid,
        ("name", "billing_records"),
        "billing",
    )
    assert (r.legal_basis, r.evidence_reference, r.decision_id) == (
        "debt_collection",
        "INV-2026-0042",
        out.decision_id,
    )
    assert r.at == clock.now()
    assert row.recorded_by == OP.user_id
    with container.engine.connect() as conn:
        actions = [a for (a,) in conn.execute(sa.select(audit_entries.c.action))]
        stored = (
            conn.execute(sa.select(decisions).where(decisions.c.id == out.decision_id))
            .mappings()
            .one()
        )
    assert "disclosure.recorded" in actions and "disclosure.decided" in actions
    assert (stored["action"], stored["recipient_id"], stored["allowed"]) == ("disclose", rid, True)


def test_dis_1_a_category_the_person_never_gave_is_refused_and_nothing_is_recorded(
    container: Container,
) -> None:
    sid = subject(container, on_file=("name", "mailing_address"))
    rid = recipient(container, "collection_agency", **AGREEMENT)
    with pytest.raises(DisclosureNotAllowed) as err:
        container.disclosures.disclose(
            OP,
            request(
                sid,
                rid,
                "billing",
                ("name", "billing_records"),
                "debt_collection",
                {"debt_reference": "INV-1", "owed_to_company": True},
            ),
        )
    assert err.value.reasons == ("category_not_on_file",)
    assert ledger_count(container) == 0
    with container.engine.connect() as conn:
        stored = (
            conn.execute(sa.select(decisions).where(decisions.c.id == err.value.decision_id))
            .mappings()
            .one()
        )
    assert stored["allowed"] is False or stored["allowed"] == 0
    assert container.disclosures.account(OP, sid).account.recipients == ()


# --- DIS-2: each exception code, with its evidence and without ----------------------------

EXCEPTIONS: dict[str, tuple[str, str, tuple[str, ...], dict[str, object]]] = {
    "court_order": (
        "as_required_by_law",
        "legal_compliance",
        ("name", "billing_records"),
        {"document_reference": "SC-500-17-123456-261", "document_type": "warrant"},
    ),
    "government_authority": (
        "government_agency",
        "legal_compliance",
        ("name", "mailing_address"),
        {"lawful_authority": "Income Tax Act, s. 231.2", "institution": "Canada Revenue Agency"},
    ),
    "debt_collection": (
        "collection_agency",
        "billing",
        ("name", "billing_records"),
        {"debt_reference": "INV-7", "owed_to_company": True},
    ),
    "investigation": (
        "government_agency",
        "legal_compliance",
        ("name", "service_records"),
        {"investigation_reference": "FRAUD-2026-11", "breach_of": "law"},
    ),
    "emergency": (
        "emergency_authority",
        "legal_compliance",
        ("name", "telephone_number"),
        {"description": "Caller reported a person unconscious at the service address"},
    ),
    "required_by_law": (
        "as_required_by_law",
        "legal_compliance",
        ("name",),
        {"law": "Criminal Code", "provision": "s. 487.014"},
    ),
    "authorized_representative": (
        "representative",
        "billing",
        ("name", "billing_records"),
        {"authorization_reference": "POA-2026-3"},
    ),
}


@pytest.mark.parametrize("code", sorted(EXCEPTIONS))
def test_dis_2_each_exception_code_is_allowed_with_its_evidence_and_recorded(
    container: Container, code: str
) -> None:
    class_id, purpose, categories, evidence = EXCEPTIONS[code]
    sid = subject(container)
    rid = recipient(container, class_id, **AGREEMENT)
    out = container.disclosures.disclose(OP, request(sid, rid, purpose, categories, code, evidence))
    assert out.decision.allowed
    assert out.record.legal_basis == code
    assert out.record.relied_on == f"exception:{code}"
    first = next(iter(evidence.values()))
    assert out.record.evidence_reference == first
    assert "DIS-2" in out.decision.rules
    assert [r.id for r in container.disclosures.ledger(OP, sid)] == [out.disclosure_id]


@pytest.mark.parametrize("code", sorted(EXCEPTIONS))
def test_dis_2_each_exception_code_is_refused_without_its_evidence(
    container: Container, code: str
) -> None:
    class_id, purpose, categories, _ = EXCEPTIONS[code]
    sid = subject(container)
    rid = recipient(container, class_id, **AGREEMENT)
    with pytest.raises(DisclosureNotAllowed) as err:
        container.disclosures.disclose(OP, request(sid, rid, purpose, categories, code, None))
    assert "evidence_missing" in err.value.reasons
    assert err.value.rule == "DIS-2"
    assert ledger_count(container) == 0


def test_dis_2_evidence_of_another_kind_is_refused(container: Container) -> None:
    sid = subject(container)
    rid = recipient(container, "as_required_by_law", **AGREEMENT)
    d = container.disclosures.decide(
        OP,
        request(
            sid,
            rid,
            "legal_compliance",
            ("name",),
            "court_order",
            {"kind": "law_citation", "law": "Criminal Code"},
        ),
    ).decision
    assert not d.allowed
    assert [str(r) for r in d.reasons] == ["evidence_wrong_kind"]


def test_dis_2_a_debt_not_owed_to_the_company_is_refused(container: Container) -> None:
    sid = subject(container)
    rid = recipient(container, "collection_agency", **AGREEMENT)
    d = container.disclosures.decide(
        OP,
        request(
            sid,
            rid,
            "billing",
            ("name",),
            "debt_collection",
            {"debt_reference": "INV-9", "owed_to_company": "no"},
        ),
    ).decision
    assert [str(r) for r in d.reasons] == ["evidence_invalid"]


def test_dis_2_an_emergency_disclosure_creates_the_written_notice_due_in_7_days(
    container: Container, clock: FakeClock
) -> None:
    class_id, purpose, categories, evidence = EXCEPTIONS["emergency"]
    sid = subject(container)
    rid = recipient(container, class_id)
    out = container.disclosures.disclose(
        OP, request(sid, rid, purpose, categories, "emergency", evidence)
    )
    [notice] = container.disclosures.notices(OP, sid)
    assert notice.disclosure_id == out.disclosure_id
    assert notice.due_at == clock.now() + timedelta(days=7)
    assert notice.done_at is None
    assert [n.id for n in out.notices] == [notice.id]


def test_dis_2_consent_basis_without_consent_is_refused_and_allowed_once_given(
    container: Container, clock: FakeClock
) -> None:
    sid = subject(container)
    rid = recipient(container, "third_party_by_consent")
    req = request(sid, rid, "sharing_with_partners", ("name", "email"))
    refused = container.disclosures.decide(OP, req).decision
    assert "no_consent" in [str(r) for r in refused.reasons]
    container.consent.give(
        OP,
        GiveConsentRequest(
            sid, ("sharing_with_partners",), "express", "signed_document", evidence_ref="F-1"
        ),
    )
    clock.advance(seconds=1)
    allowed = container.disclosures.disclose(OP, req)
    assert allowed.record.legal_basis == "consent"
    assert allowed.record.consent_kind == "express"
    assert allowed.record.relied_on is not None and allowed.record.relied_on.startswith("consent:")


# --- DIS-3 ----------------------------------------------------------------------------------


def test_dis_3_a_recipient_receives_only_the_categories_its_class_allows(
    container: Container,
) -> None:
    sid = subject(container, on_file=(*ON_FILE, "credit_information"))
    rid = recipient(container, "collection_agency", **AGREEMENT)
    with pytest.raises(DisclosureNotAllowed) as err:
        container.disclosures.disclose(
            OP,
            request(
                sid,
                rid,
                "billing",
                ("name", "credit_information"),
                "debt_collection",
                {"debt_reference": "INV-3", "owed_to_company": True},
            ),
        )
    assert "category_not_allowed_for_recipient" in err.value.reasons
    assert err.value.rule == "DIS-3"
    assert ledger_count(container) == 0


def test_dis_3_a_recipient_narrowed_to_fewer_categories_than_its_class_gets_only_those(
    container: Container,
) -> None:
    sid = subject(container)
    rid = recipient(container, "collection_agency", categories=("name",), **AGREEMENT)
    d = container.disclosures.decide(
        OP,
        request(
            sid,
            rid,
            "billing",
            ("name", "billing_records"),
            "debt_collection",
            {"debt_reference": "INV-4", "owed_to_company": True},
        ),
    ).decision
    assert [str(r) for r in d.reasons] == ["category_not_allowed_for_recipient"]
    assert d.details(d.reasons[0]) == ("billing_records",)


# --- DIS-4 ----------------------------------------------------------------------------------


def test_dis_4_a_quebec_subjects_information_leaving_quebec_needs_assessment_and_agreement(
    container: Container,
) -> None:
    quebec = subject(container, "QC")
    ontario = subject(container, "ON")
    bare = recipient(container, "collection_agency", "CA", "ON")
    papers = recipient(container, "collection_agency", "CA", "ON", **PAPERS)
    evidence = {"debt_reference": "INV-5", "owed_to_company": True}
    refused = container.disclosures.decide(
        OP, request(quebec, bare, "billing", ("name",), "debt_collection", evidence)
    ).decision
    assert {str(r) for r in refused.reasons} == {"impact_assessment_missing", "agreement_missing"}
    assert refused.rules[0] == "DIS-4"
    assert container.disclosures.decide(
        OP, request(ontario, bare, "billing", ("name",), "debt_collection", evidence)
    ).decision.allowed
    allowed = container.disclosures.decide(
        OP, request(quebec, papers, "billing", ("name",), "debt_collection", evidence)
    ).decision
    assert allowed.allowed and "DIS-4" in allowed.rules


def test_dis_4_outside_canada_the_recipients_safeguards_must_be_recorded(
    container: Container,
) -> None:
    sid = subject(container, "ON")
    without = recipient(container, "collection_agency", "US", None, **PAPERS)
    with_safeguards = recipient(
        container,
        "collection_agency",
        "US",
        None,
        safeguards="Encryption; named staff only.",
        **PAPERS,
    )
    evidence = {"debt_reference": "INV-6", "owed_to_company": True}
    refused = container.disclosures.decide(
        OP, request(sid, without, "billing", ("name",), "debt_collection", evidence)
    ).decision
    assert [str(r) for r in refused.reasons] == ["safeguards_missing"]
    assert container.disclosures.decide(
        OP, request(sid, with_safeguards, "billing", ("name",), "debt_collection", evidence)
    ).decision.allowed


def test_dis_4_an_expired_agreement_is_refused(container: Container, clock: FakeClock) -> None:
    sid = subject(container)
    rid = recipient(
        container,
        "collection_agency",
        agreement_ref="AGR-OLD",
        agreement_signed=date(2024, 1, 1),
        agreement_expires=clock.now().date() - timedelta(days=1),
    )
    d = container.disclosures.decide(
        OP,
        request(
            sid,
            rid,
            "billing",
            ("name",),
            "debt_collection",
            {"debt_reference": "INV-8", "owed_to_company": True},
        ),
    ).decision
    assert [str(r) for r in d.reasons] == ["agreement_expired"]


# --- DIS-5 ----------------------------------------------------------------------------------


def test_dis_5_telecom_information_beyond_name_address_and_number_needs_express_consent(
    container: Container, clock: FakeClock
) -> None:
    sid = subject(container)
    rid = recipient(container, "third_party_by_consent")
    req = request(sid, rid, "sharing_with_partners", ("name", "email"))
    assert not container.disclosures.decide(OP, req).decision.allowed
    container.consent.give(
        OP, GiveConsentRequest(sid, ("sharing_with_partners",), "express", "checkbox")
    )
    clock.advance(seconds=1)
    d = container.disclosures.decide(OP, req).decision
    assert d.allowed and d.consent_kind == "express"
    assert "DIS-5" in d.rules  # email is beyond telecom basic information


# --- the account of disclosures (ACC-4) -----------------------------------------------------


def test_acc_4_the_account_lists_exactly_what_was_recorded_in_order(
    container: Container, clock: FakeClock
) -> None:
    sid = subject(container)
    other = subject(container)
    agency = recipient(container, "collection_agency", **AGREEMENT)
    law = recipient(container, "as_required_by_law")
    debt = {"debt_reference": "INV-10", "owed_to_company": True}
    made = []
    made.append(
        container.disclosures.disclose(
            OP, request(sid, agency, "billing", ("name",), "debt_collection", debt)
        )
    )
    clock.advance(days=2)
    made.append(
        container.disclosures.disclose(
            OP,
            request(
                sid,
                law,
                "legal_compliance",
                ("name", "email"),
                "required_by_law",
                {"law": "Criminal Code"},
            ),
        )
    )
    clock.advance(days=3)
    made.append(
        container.disclosures.disclose(
            OP,
            request(sid, agency, "billing", ("name", "billing_records"), "debt_collection", debt),
        )
    )
    container.disclosures.disclose(
        OP, request(other, agency, "billing", ("name",), "debt_collection", debt)
    )
    with pytest.raises(DisclosureNotAllowed):
        container.disclosures.disclose(
            OP, request(sid, law, "legal_compliance", ("name",), "court_order", None)
        )

    view = container.disclosures.account(OP, sid)
    account = view.account
    assert [r.recipient_id for r in account.recipients] == [agency, law]
    lines = [
        (r.recipient_id, line.decision_id, line.at, line.categories, line.legal_basis)
        for r in account.recipients
        for line in r.lines
    ]
    expected = [
        (
            m.record.recipient_id,
            m.decision_id,
            m.record.at,
            m.record.categories,
            m.record.legal_basis,
        )
        for m in made
    ]
    assert sorted(lines, key=lambda x: (x[0] != agency, x[2])) == [
        expected[0],
        expected[2],
        expected[1],
    ]
    assert account.disclosure_count == 3
    body = json.loads(json.dumps(view.to_dict()))
    assert {p["recipient_class"] for p in body["possible_recipients"]} >= {"collection_agency"}


def test_acc_4_account_of_an_unknown_subject_is_not_found(container: Container) -> None:
    with pytest.raises(NotFound):
        container.disclosures.account(OP, "sub_nobody")


# --- bad input ------------------------------------------------------------------------------


def _problem_fields(container: Container, req: DisclosureRequest) -> list[str]:
    with pytest.raises(ValidationFailed) as err:
        container.disclosures.disclose(OP, req)
    return [p.location for p in err.value.problems]


def test_dis_1_bad_input_names_its_field_and_records_nothing(
    container: Container, clock: FakeClock
) -> None:
    sid = subject(container)
    rid = recipient(container, "collection_agency", **AGREEMENT)
    debt = {"debt_reference": "INV-1", "owed_to_company": True}
    assert _problem_fields(container, request(sid, "rcp_nobody", "billing", ("name",))) == [
        "recipient_id"
    ]
    with pytest.raises(UnknownExceptionCode) as code_err:
        container.disclosures.disclose(
            OP, request(sid, rid, "billing", ("name",), "because_we_can", {"reference": "X"})
        )
    assert [p.location for p in code_err.value.problems] == ["exception"]
    assert "because_we_can" not in str(code_err.value)
    assert _problem_fields(
        container, request(sid, rid, "billing", ("name",), "debt_collection", {"colour": "blue"})
    ) == ["evidence.colour"]
    assert _problem_fields(
        container, request(sid, rid, "billing", ("name",), "debt_collection", {"kind": "nope"})
    ) == ["evidence.kind"]
    assert _problem_fields(container, request("sub_nobody", rid, "billing", ("name",))) == [
        "subject_id"
    ]
    assert _problem_fields(container, request(sid, rid, "no_such_purpose", ("name",))) == [
        "purpose"
    ]
    assert _problem_fields(
        container,
        request(sid, rid, "billing", ("name", "no_such_category"), "debt_collection", debt),
    ) == ["categories[1]"]
    assert _problem_fields(container, request(sid, rid, "billing", ())) == ["categories"]
    assert _problem_fields(
        container, request(sid, rid, "billing", ("name",), None, {"reference": "X"})
    ) == ["evidence"]
    assert _problem_fields(
        container,
        DisclosureRequest(
            sid, rid, "billing", ("name",), "debt_collection", debt, clock.now() + timedelta(days=1)
        ),
    ) == ["at"]
    assert ledger_count(container) == 0
    with container.engine.connect() as conn:
        # Bad input is not a decision: nothing at all was recorded, not even a refusal.
        assert conn.execute(sa.select(sa.func.count()).select_from(decisions)).scalar_one() == 0


def test_a_recipient_outside_its_class_or_named_twice_is_refused(container: Container) -> None:
    with pytest.raises(InvalidRecipient) as err:
        container.disclosures.add_recipient(
            OP,
            RecipientInput(
                "Agency", "collection_agency", "CA", "QC", categories=("credit_information",)
            ),
        )
    assert [p.location for p in err.value.problems] == ["categories"]
    container.disclosures.add_recipient(
        OP, RecipientInput("Agency", "collection_agency", "CA", "QC")
    )
    with pytest.raises(Conflict):
        container.disclosures.add_recipient(
            OP, RecipientInput("Agency", "collection_agency", "CA", "ON")
        )
    assert [r.name for r in container.disclosures.recipients(OP)] == ["Agency"]


# --- the cross-border register ----------------------------------------------------------------


def test_cross_border_register_lists_recipients_outside_quebec_in_csv_and_json(
    container: Container,
) -> None:
    inside = recipient(container, "shipping_company", "CA", "QC")
    ontario = recipient(container, "shipping_company", "CA", "ON", **PAPERS)
    abroad = recipient(
        container, "collection_agency", "US", None, safeguards="Encrypted.", **PAPERS
    )
    rows = container.disclosures.cross_border(OP, "json")
    assert isinstance(rows, list)
    by_id = {r["holder_id"]: r for r in rows}
    assert inside not in by_id
    assert by_id[ontario]["scope"] == "outside_quebec"
    assert by_id[abroad]["scope"] == "outside_canada"
    assert by_id[abroad]["safeguards"] == "Encrypted."
    text = container.disclosures.cross_border(OP, "csv")
    assert isinstance(text, str)
    assert text.splitlines()[0].startswith("holder_kind,holder_id")
    assert abroad in text and inside not in text
    with pytest.raises(ValidationFailed):
        container.disclosures.cross_border(OP, "xml")


def test_notices_table_links_each_notice_to_its_disclosure(container: Container) -> None:
    class_id, purpose, categories, evidence = EXCEPTIONS["emergency"]
    sid = subject(container)
    rid = recipient(container, class_id)
    out = container.disclosures.disclose(
        OP, request(sid, rid, purpose, categories, "emergency", evidence)
    )
    with container.engine.connect() as conn:
        rows = conn.execute(sa.select(notices.c.subject_id, notices.c.disclosure_id)).all()
    assert [tuple(r) for r in rows] == [(sid, out.disclosure_id)]
