"""Historical disclosures known only by recipient class (ACC-4): a CSV import, all or nothing
with every problem listed by line and column; the account of disclosures then lists them under
"may have been disclosed to" (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from test_disclosure_service import AGREEMENT, OP, ledger_count, recipient, subject

from confide.adapters.db.tables import decisions
from confide.bootstrap import Container
from confide.domain.access import Principal, Role
from confide.domain.errors import PermissionDenied, ValidationFailed
from confide.services.disclosures import HistoryImportResult, read_history_csv
from confide.testing import FakeClock

HEADER = "subject_id,recipient_class,disclosed_at,categories,purpose,basis,evidence_reference"
AGENT = Principal(user_id="u-agent", username="agent", roles=frozenset({Role.AGENT}))


def _import(c: Container, text: str, who: Principal = OP) -> HistoryImportResult:
    return c.disclosures.import_history(who, read_history_csv(text.splitlines()))


def _problems(c: Container, text: str) -> list[str]:
    with pytest.raises(ValidationFailed) as err:
        _import(c, text)
    return [p.location for p in err.value.problems]


def test_acc_4_historical_class_only_disclosures_are_listed_as_may_have_been_disclosed_to(
    container: Container, clock: FakeClock
) -> None:
    sid, other = subject(container), subject(container)
    rid = recipient(container, "collection_agency", **AGREEMENT)  # of that class, registered
    text = "\n".join(
        [
            HEADER,
            f"{sid},collection_agency,2019-03-01,name;billing_records,billing,debt_collection,INV-9",
            f"{sid},credit_bureau,2020-05-02T10:00:00-04:00,name,credit_check,consent,",
            f"{other},collection_agency,2021-01-15,name,billing,debt_collection,",
            "",
        ]
    )
    result = _import(container, text)
    assert result.recorded == 3
    assert dict(result.by_class) == {"collection_agency": 2, "credit_bureau": 1}
    view = container.disclosures.account(OP, sid)
    assert view.account.recipients == ()  # no organization known precisely
    possible = {p.recipient_class: p for p in view.account.may_have_been_disclosed_to}
    assert set(possible) == {"collection_agency", "credit_bureau"}
    assert possible["collection_agency"].categories == ("name", "billing_records")
    [agency_name] = possible["collection_agency"].organizations
    assert agency_name == container.disclosures.recipient(OP, rid).name
    body = json.loads(json.dumps(view.to_dict("fr")))
    listed = body["may_have_been_disclosed_to"]
    assert [p["recipient_class"] for p in listed] == ["collection_agency", "credit_bureau"]
    rows = container.disclosures.ledger(OP, sid)
    assert [r.record.at for r in rows] == [
        datetime(2019, 3, 1, 5, 0, tzinfo=UTC),  # the start of the day in Québec (EST)
        datetime(2020, 5, 2, 14, 0, tzinfo=UTC),
    ]
    assert {r.record.recipient_id for r in rows} == {None}
    assert {r.record.relied_on for r in rows} == {"historical_import"}
    assert rows[0].record.evidence_reference == "INV-9"
    assert rows[1].record.legal_basis == "consent"
    with container.engine.connect() as conn:  # not decided by Confide: no decision rows
        assert conn.execute(sa.select(sa.func.count()).select_from(decisions)).scalar_one() == 0


def test_acc_4_one_bad_line_records_nothing_and_every_problem_names_its_line_and_column(
    container: Container, clock: FakeClock
) -> None:
    sid = subject(container)
    good = f"{sid},collection_agency,2019-03-01,name,billing,debt_collection,"
    text = "\n".join(
        [
            HEADER,
            good,
            f"{sid},no_such_class,2019-03-01,name,billing,debt_collection,",
            f"{sid},collection_agency,01/03/2019,name,billing,debt_collection,",
            f"{sid},collection_agency,2019-03-01,name;nope,billing,debt_collection,",
            f"{sid},collection_agency,2019-03-01,name,no_purpose,because,",
            "sub_nobody,collection_agency,2019-03-01,name,billing,consent,",
            f"{sid},collection_agency,2999-01-01,name,billing,consent,",
            f"{sid},,2019-03-01,name,billing,consent,",
            good,
        ]
    )
    assert _problems(container, text) == [
        "line 3.recipient_class",
        "line 4.disclosed_at",
        "line 5.categories",
        "line 6.purpose",
        "line 6.basis",
        "line 8.disclosed_at",
        "line 9.recipient_class",
        "line 7.subject_id",  # subjects are checked per batch, after the cells
    ]
    assert ledger_count(container) == 0


def test_acc_4_a_problem_in_a_later_batch_rolls_back_the_batches_already_written(
    container: Container,
) -> None:
    sid = subject(container)
    good = f"{sid},collection_agency,2019-03-01,name,billing,debt_collection,"
    text = "\n".join([HEADER, *([good] * 4500), "sub_nobody," + good.split(",", 1)[1]])
    assert _problems(container, text) == ["line 4502.subject_id"]
    assert ledger_count(container) == 0
    _import(container, "\n".join([HEADER, *([good] * 4500)]))
    assert ledger_count(container) == 4500


def test_acc_4_history_file_shape_and_roles(container: Container) -> None:
    assert _problems(container, "") == ["file"]
    assert _problems(container, "subject_id,recipient_class\n") == [
        "file.disclosed_at",
        "file.categories",
        "file.purpose",
        "file.basis",
    ]
    assert _problems(container, HEADER + ",colour\n") == ["file.colour"]
    assert _problems(container, HEADER + "\n") == ["file"]  # no rows
    sid = subject(container)
    with pytest.raises(PermissionDenied):
        _import(
            container, f"{HEADER}\n{sid},collection_agency,2019-03-01,name,billing,consent,", AGENT
        )
    assert ledger_count(container) == 0
