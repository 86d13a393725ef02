"""Disposal in the connected sources of the data map (RET-2), with SQLite and PostgreSQL as
Confide's store: a writable SQLite database is disposed of through its mapping (the due rows'
category columns emptied; others, and a held subject's rows, untouched) and the certificate
lists it; a read-only CSV file yields a task the run waits for until the officer closes it; a
source that goes away mid-run leaves the run running, and it completes once the source is back."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.domain.retention.runs import RunStatus, StepKind
from confide.domain.sources import (
    CategoryColumn,
    IdentifierColumn,
    SourceIdentifierKind,
    TableMapping,
)
from confide.services.holds import OpenHold
from confide.services.sources import RegisterSource
from confide.services.subjects import RegisterSubject
from confide.testing import FakeClock

MAPPING = TableMapping(
    table="customers",
    identifiers=(IdentifierColumn("email", SourceIdentifierKind.EMAIL),),
    categories=(
        CategoryColumn("full_name", "name"),
        CategoryColumn("street", "mailing_address"),
    ),
    retention_from="closed_on",
)
ROWS = [
    # email, name, street, closed_on: 2018 is past 7 years, 2025 is not
    ("old@example.ca", "Old Person", "1 Old St", "2018-03-01"),
    ("held@example.ca", "Held Person", "2 Held St", "2018-03-01"),
    ("recent@example.ca", "Recent Person", "3 New St", "2025-03-01"),
]


def crm(path: Path) -> str:
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE customers (email TEXT, full_name TEXT, street TEXT, closed_on DATE)"
        )
        db.executemany("INSERT INTO customers VALUES (?, ?, ?, ?)", ROWS)
    return f"sqlite:///{path}"


def table(path: Path) -> list[tuple[str, str | None, str | None]]:
    with sqlite3.connect(path) as db:
        return list(db.execute("SELECT email, full_name, street FROM customers ORDER BY email"))


def test_ret_2_a_writable_source_is_disposed_of_through_its_mapping_and_certified(
    container: Container, clock: FakeClock, tmp_path: Path
) -> None:
    db = tmp_path / "crm.db"
    container.sources.register(
        OFFICER, RegisterSource("crm", "sql", crm(db), "crm", (MAPPING,), writable=True)
    )
    held = container.subjects.register(
        OFFICER, RegisterSubject("customer", "ON", email="held@example.ca")
    ).id
    container.holds.open(OFFICER, OpenHold("litigation", "File 9", subject_id=held))
    plan = container.retention.plan(OFFICER, categories=["name", "mailing_address"])
    steps = container.retention.steps(OFFICER, plan.id)
    assert sorted((s.category, s.kind, s.rows) for s in steps) == [
        ("mailing_address", StepKind.DISPOSE, 1),
        ("name", StepKind.DISPOSE, 1),
    ]
    assert table(db)[1] == ("old@example.ca", "Old Person", "1 Old St")  # planning changes nothing
    container.retention.approve(OFFICER, plan.id)
    run = container.retention.execute(OFFICER, plan.id)
    assert run.status is RunStatus.COMPLETED
    assert table(db) == [
        ("held@example.ca", "Held Person", "2 Held St"),
        ("old@example.ca", None, None),
        ("recent@example.ca", "Recent Person", "3 New St"),
    ]
    cert = container.retention.certificate(OFFICER, plan.id).certificate
    assert sorted((s.source, s.category, s.rows, s.kind) for s in cert.sources) == [
        ("crm", "mailing_address", 1, "dispose"),
        ("crm", "name", 1, "dispose"),
    ]


def test_ret_2_a_read_only_file_gets_a_task_and_the_run_waits_for_its_owner(
    container: Container, clock: FakeClock, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    with (folder / "customers.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["email", "full_name", "street", "closed_on"])
        writer.writerows(ROWS)
    container.sources.register(
        OFFICER,
        RegisterSource(
            "exports", "csv", str(folder), "marketing", (replace(MAPPING, table="customers.csv"),)
        ),
    )
    plan = container.retention.plan(OFFICER, categories=["name"])
    [task] = container.retention.steps(OFFICER, plan.id)
    assert (task.kind, task.rows) == (StepKind.TASK, 2)
    container.retention.approve(OFFICER, plan.id)
    run = container.retention.execute(OFFICER, plan.id)
    assert run.status is RunStatus.RUNNING  # the owner has not confirmed yet
    assert [t.id for t in container.retention.tasks(OFFICER)] == [task.id]
    done = container.retention.close_task(OFFICER, task.id)
    assert done.status is RunStatus.COMPLETED
    [step] = container.retention.certificate(OFFICER, plan.id).certificate.sources
    assert (step.kind, step.closed_by) == ("task", OFFICER.user_id)
    with pytest.raises(Exception, match="not an open task"):
        container.retention.close_task(OFFICER, task.id)


def test_ret_2_a_source_gone_mid_run_leaves_it_running_until_it_is_back(
    container: Container, clock: FakeClock, tmp_path: Path
) -> None:
    db = tmp_path / "crm.db"
    container.sources.register(
        OFFICER, RegisterSource("crm", "sql", crm(db), "crm", (MAPPING,), writable=True)
    )
    plan = container.retention.plan(OFFICER, categories=["name"])
    container.retention.approve(OFFICER, plan.id)
    shutil.move(db, tmp_path / "away.db")
    db.parent.joinpath("crm.db").mkdir()  # a folder where the database was: cannot be opened
    run = container.retention.execute(OFFICER, plan.id)
    assert run.status is RunStatus.RUNNING
    [step] = container.retention.steps(OFFICER, plan.id)
    assert step.done_at is None and step.error and "crm" in step.error
    assert "sqlite" not in step.error  # the message names the source, not its connection
    db.parent.joinpath("crm.db").rmdir()
    shutil.move(tmp_path / "away.db", db)
    clock.advance(minutes=5)
    run = container.retention.execute(OFFICER, plan.id)
    assert run.status is RunStatus.COMPLETED
    assert ("old@example.ca", None, "1 Old St") in table(db)


def test_acc_8_a_hold_on_a_whole_system_opened_after_approval_keeps_the_source_untouched(
    container: Container, clock: FakeClock, tmp_path: Path
) -> None:
    db = tmp_path / "crm.db"
    container.sources.register(
        OFFICER, RegisterSource("crm", "sql", crm(db), "crm", (MAPPING,), writable=True)
    )
    plan = container.retention.plan(OFFICER, categories=["name"])
    container.retention.approve(OFFICER, plan.id)
    hold = container.holds.open(OFFICER, OpenHold("regulator_order", "Order 12", system="crm"))
    run = container.retention.execute(OFFICER, plan.id)
    assert run.status is RunStatus.COMPLETED
    assert ("old@example.ca", "Old Person", "1 Old St") in table(db)
    [step] = container.retention.steps(OFFICER, plan.id)
    assert step.rows == 0 and step.error == f"kept by legal hold {hold.id}"
