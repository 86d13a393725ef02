"""Bulk disclosure of 10k demo subjects on SQLite and PostgreSQL: each row checked, the refused
ones listed with their reasons, the allowed ones (and only they) in the ledger, all or nothing."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from confide.adapters.db.tables import disclosures, personal_info, subjects
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.disclosure.errors import UnknownExceptionCode
from confide.domain.errors import ValidationFailed
from confide.services.disclosures import (
    UNKNOWN_SUBJECT,
    BulkRowOutcome,
    RecipientInput,
    UnknownReference,
    read_bulk_csv,
)

OP = LOCAL_OPERATOR
N = 10_000


@pytest.mark.slow
def test_dis_1_bulk_of_10k_subjects_records_exactly_the_allowed_rows_and_lists_the_refused(
    container: Container,
) -> None:
    container.demo.generate(OP, N, seed=5, as_of=date(2026, 5, 1))
    agency = container.disclosures.add_recipient(
        OP,
        RecipientInput(
            "Nightly Agency",
            "collection_agency",
            "CA",
            "QC",
            agreement_ref="AGR-9",
            agreement_signed=date(2025, 1, 1),
        ),
    )
    with container.engine.connect() as conn:
        ids = [sid for (sid,) in conn.execute(sa.select(subjects.c.id).order_by(subjects.c.id))]
        on_file: dict[str, set[str]] = {}
        for sid, cat in conn.execute(
            sa.select(personal_info.c.subject_id, personal_info.c.category).where(
                personal_info.c.superseded_at.is_(None)
            )
        ):
            on_file.setdefault(sid, set()).add(cat)
    assert len(ids) == N
    lines = ["subject_id,debt_reference"]
    expected_allowed: dict[str, str] = {}
    expected_refused: dict[str, set[str]] = {}
    for i, sid in enumerate(ids):
        debt = "" if i % 97 == 0 else f"INV-{i:06d}"
        lines.append(f"{sid},{debt}")
        reasons = set()
        if not {"name", "billing_records"} <= on_file.get(sid, set()):
            reasons.add("category_not_on_file")
        if not debt:
            reasons.add("evidence_missing")
        if reasons:
            expected_refused[sid] = reasons
        else:
            expected_allowed[sid] = debt
    for k in range(3):
        lines.append(f"sub_unknown{k},INV-X")
        expected_refused[f"sub_unknown{k}"] = {UNKNOWN_SUBJECT}
    assert expected_allowed and len(expected_refused) > 100  # a real mix

    seen: list[BulkRowOutcome] = []
    progress: list[int] = []
    result = container.disclosures.bulk_disclose(
        OP,
        agency.id,
        "billing",
        ["name", "billing_records"],
        read_bulk_csv(lines),
        exception="debt_collection",
        evidence={"owed_to_company": True},
        on_row=seen.append,
        on_progress=progress.append,
    )

    assert (result.allowed, result.refused) == (len(expected_allowed), len(expected_refused))
    assert {r.subject_id: set(r.reasons) for r in result.refused_rows} == expected_refused
    assert len(seen) == N + 3 and progress[-1] == N + 3
    assert [o.line for o in seen] == list(range(2, N + 5))
    with container.engine.connect() as conn:
        ledger = {
            sid: ref
            for sid, ref in conn.execute(
                sa.select(disclosures.c.subject_id, disclosures.c.evidence_ref).where(
                    disclosures.c.bulk_id == result.bulk_id
                )
            )
        }
    assert ledger == expected_allowed

    allowed_sid = next(iter(expected_allowed))
    [row] = container.disclosures.ledger(OP, allowed_sid)
    outcome = next(o for o in seen if o.subject_id == allowed_sid)
    assert (row.id, row.record.decision_id) == (outcome.disclosure_id, outcome.decision_id)
    refused_sid = next(s for s in expected_refused if not s.startswith("sub_unknown"))
    assert container.disclosures.account(OP, refused_sid).account.recipients == ()


def _small_store(c: Container) -> tuple[str, list[str]]:
    c.demo.generate(OP, 50, seed=9, as_of=date(2026, 5, 1))
    agency = c.disclosures.add_recipient(
        OP, RecipientInput("Agency", "collection_agency", "CA", "QC")
    )
    with c.engine.connect() as conn:
        ids = [sid for (sid,) in conn.execute(sa.select(subjects.c.id).order_by(subjects.c.id))]
    return agency.id, ids


def _ledger_size(c: Container) -> int:
    with c.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(disclosures)).scalar_one())


def test_a_bulk_is_all_or_nothing_a_bad_row_at_the_end_records_nothing(
    container: Container,
) -> None:
    agency, ids = _small_store(container)
    lines = ["subject_id,debt_reference", *(f"{s},INV-{i}" for i, s in enumerate(ids)), ",INV-LAST"]
    with pytest.raises(ValidationFailed) as err:
        container.disclosures.bulk_disclose(
            OP,
            agency,
            "billing",
            ["name"],
            read_bulk_csv(lines),
            exception="debt_collection",
            evidence={"owed_to_company": True},
        )
    assert err.value.problems[0].location == f"line {len(ids) + 2}"
    assert _ledger_size(container) == 0


@pytest.mark.parametrize(
    ("header", "kwargs"),
    [
        ("subject", {"exception": "debt_collection"}),  # no subject_id column
        ("subject_id,colour", {"exception": "debt_collection"}),  # not an evidence field
        ("subject_id,debt_reference", {}),  # evidence cells without an exception code
    ],
)
def test_bad_bulk_input_raises_and_records_nothing(
    container: Container, header: str, kwargs: dict[str, str]
) -> None:
    agency, ids = _small_store(container)
    lines = [header, *(f"{s},x" for s in ids)]
    with pytest.raises(ValidationFailed):
        container.disclosures.bulk_disclose(
            OP,
            agency,
            "billing",
            ["name"],
            read_bulk_csv(lines),
            **kwargs,  # type: ignore[arg-type]
        )
    assert _ledger_size(container) == 0


def test_bulk_with_an_unknown_recipient_or_exception_code_raises_and_records_nothing(
    container: Container,
) -> None:
    agency, _ = _small_store(container)
    with pytest.raises(UnknownReference) as err:
        container.disclosures.bulk_disclose(OP, "rcp_nobody", "billing", ["name"], iter(()))
    assert err.value.field == "recipient_id"
    with pytest.raises(UnknownExceptionCode):
        container.disclosures.bulk_disclose(
            OP, agency, "billing", ["name"], iter(()), exception="not_a_code"
        )
    assert _ledger_size(container) == 0
