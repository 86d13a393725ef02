"""``confide subjects``: register, show, find and import subjects."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from confide.cli.common import console, container, existing_file, handles_errors
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.subjects import IdentifierKind
from confide.services.subjects import RecordInformation, RegisterSubject


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Subjects: customers, authorized users, employees.", no_args_is_help=True
    )
    app.add_typer(group, name="subjects")

    @group.command("add")
    @handles_errors
    def add(
        ctx: typer.Context,
        subject_type: Annotated[
            str, typer.Option("--type", help="customer, authorized_user or employee")
        ],
        province: Annotated[str, typer.Option(help="Province code, e.g. QC")],
        language: Annotated[str, typer.Option(help="en or fr")] = "en",
        email: Annotated[str | None, typer.Option()] = None,
        phone: Annotated[str | None, typer.Option()] = None,
        account: Annotated[str | None, typer.Option()] = None,
        employee_number: Annotated[str | None, typer.Option()] = None,
        external_ref: Annotated[str | None, typer.Option()] = None,
        acts_for: Annotated[
            str | None, typer.Option(help="Account holder's subject id (authorized users)")
        ] = None,
        birth_date: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
        name: Annotated[str | None, typer.Option(help="Display name")] = None,
    ) -> None:
        """Register a subject."""
        try:
            birth = date.fromisoformat(birth_date) if birth_date else None
        except ValueError:
            raise typer.BadParameter("use YYYY-MM-DD", param_hint="--birth-date") from None
        with container(ctx) as c:
            s = c.subjects.register(
                LOCAL_OPERATOR,
                RegisterSubject(
                    subject_type,
                    province,
                    language,
                    email,
                    phone,
                    account,
                    employee_number,
                    external_ref,
                    acts_for,
                    birth,
                    name,
                ),
            )
        console.print(f"Registered subject [bold]{s.id}[/] ({s.subject_type}, {s.province}).")

    @group.command("show")
    @handles_errors
    def show(
        ctx: typer.Context,
        subject_id: Annotated[str, typer.Argument(help="Subject id")],
        history: Annotated[
            bool, typer.Option(help="Include corrected (superseded) values")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    ) -> None:
        """Show a subject and the personal information held on them."""
        with container(ctx) as c:
            f = c.subjects.file(LOCAL_OPERATOR, subject_id, history=history)
        s = f.subject
        if as_json:
            console.print_json(
                json.dumps(
                    {
                        "id": s.id,
                        "subject_type": s.subject_type,
                        "province": s.province,
                        "language": s.language,
                        "identifiers": {i.kind.value: i.value for i in s.identifiers},
                        "acts_for": s.acts_for,
                        "information": [
                            {
                                "id": r.id,
                                "category": r.category,
                                "value": r.value,
                                "source": r.source,
                                "purposes": list(r.purposes),
                                "current": r.current,
                            }
                            for r in f.information
                        ],
                    }
                )
            )
            return
        console.print(
            f"[bold]{s.id}[/] {s.display_name or ''} — {s.subject_type}, {s.province}, {s.language}"
        )
        for i in s.identifiers:
            console.print(f"  {i.kind.value}: {i.value}")
        table = Table("record", "category", "value", "source", "purposes", "system", "state")
        for r in f.information:
            table.add_row(
                r.id,
                r.category,
                r.value,
                r.source,
                ", ".join(r.purposes),
                r.system,
                "current" if r.current else f"superseded {r.superseded_at:%Y-%m-%d}",
            )
        console.print(table)

    @group.command("find")
    @handles_errors
    def find(
        ctx: typer.Context,
        kind: Annotated[
            IdentifierKind, typer.Argument(help="email, phone, account or employee_number")
        ],
        value: Annotated[str, typer.Argument()],
    ) -> None:
        """Find a subject by an identifier."""
        with container(ctx) as c:
            s = c.subjects.find(LOCAL_OPERATOR, kind, value)
        console.print(s.id)

    @group.command("record")
    @handles_errors
    def record(
        ctx: typer.Context,
        subject_id: Annotated[str, typer.Argument()],
        category: Annotated[str, typer.Option()],
        value: Annotated[str, typer.Option()],
        source: Annotated[str, typer.Option()],
        purpose: Annotated[list[str], typer.Option(help="Purpose collected for (repeat)")],
        system: Annotated[str, typer.Option()] = "confide",
        country: Annotated[str, typer.Option()] = "CA",
        province: Annotated[str | None, typer.Option()] = None,
    ) -> None:
        """Record a piece of personal information collected about a subject."""
        with container(ctx) as c:
            r = c.subjects.record_information(
                LOCAL_OPERATOR,
                RecordInformation(
                    subject_id, category, value, source, tuple(purpose), system, country, province
                ),
            )
        console.print(
            f"Recorded {r.category} as [bold]{r.id}[/]{' (encrypted at rest)' if r.extra.get('sealed') else ''}."
        )

    @group.command("import")
    @handles_errors
    def import_(
        ctx: typer.Context,
        file: Annotated[
            Path,
            typer.Argument(help="CSV file: header subject_type,province,language,email,phone,..."),
        ],
    ) -> None:
        """Import subjects from a CSV file: all rows or none (the first problems are listed with their lines)."""
        existing_file(file)
        with file.open("rb") as counting:
            total = max(sum(1 for _ in counting) - 1, 0)
        with (
            container(ctx) as c,
            file.open("rb") as fh,
            Progress(
                TextColumn("Importing"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
            ) as progress,
        ):
            task = progress.add_task("import", total=total)
            report = c.importer.import_csv(
                LOCAL_OPERATOR, fh, lambda n: progress.update(task, completed=n)
            )
        console.print(f"Imported {report.imported} subject(s).")
