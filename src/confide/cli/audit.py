"""``confide audit``: checkpoints, proofs, export and verification of the tamper-evident log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from confide.cli.common import console, container, handles_errors, report_error
from confide.cli.holds import ON_HOLD_EXIT
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.holds import OnHold


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="The tamper-evident audit log (RFC 9162 Merkle tree, signed checkpoints).",
        no_args_is_help=True,
    )
    app.add_typer(group, name="audit")

    @group.command()
    @handles_errors
    def checkpoint(ctx: typer.Context) -> None:
        """Sign the current tree head; prints the checkpoint note (store it: it is your evidence)."""
        with container(ctx) as c:
            cp = c.audit.checkpoint(LOCAL_OPERATOR)
        typer.echo(cp.note, nl=False)

    @group.command("public-key")
    @handles_errors
    def public_key(ctx: typer.Context) -> None:
        """The verifier key auditors use to check checkpoints."""
        with container(ctx) as c:
            typer.echo(c.audit.public_key)

    @group.command()
    @handles_errors
    def prove(
        ctx: typer.Context,
        entry: Annotated[int, typer.Argument(help="Sequence number of the entry")],
        size: Annotated[
            int | None, typer.Option(help="Checkpoint size (default: the latest)")
        ] = None,
    ) -> None:
        """An inclusion proof (JSON) of an entry in a signed checkpoint."""
        with container(ctx) as c:
            typer.echo(json.dumps(c.audit.inclusion_proof(LOCAL_OPERATOR, entry, size), indent=2))

    @group.command()
    @handles_errors
    def consistency(
        ctx: typer.Context,
        old: Annotated[int, typer.Argument(help="Size of the older checkpoint")],
        new: Annotated[int, typer.Argument(help="Size of the newer checkpoint")],
    ) -> None:
        """A consistency proof (JSON) between two signed checkpoints."""
        with container(ctx) as c:
            typer.echo(json.dumps(c.audit.consistency_proof(LOCAL_OPERATOR, old, new), indent=2))

    @group.command()
    @handles_errors
    def show(
        ctx: typer.Context, entry: Annotated[int, typer.Argument(help="Sequence number")]
    ) -> None:
        """One entry, with its details while its payload key exists."""
        with container(ctx) as c:
            view = c.audit.entry(LOCAL_OPERATOR, entry)
        console.print_json(json.dumps(view.__dict__))

    @group.command()
    @handles_errors
    def export(
        ctx: typer.Context, file: Annotated[Path, typer.Argument(help="Output file (JSON Lines)")]
    ) -> None:
        """Export the log for an auditor (`python -m confide.verifier FILE --key KEY`)."""
        with container(ctx) as c, file.open("w", encoding="utf-8") as out:
            n = c.audit.export(LOCAL_OPERATOR, out)
        console.print(f"Exported {n} entries to {file}.")

    @group.command()
    @handles_errors
    def verify(ctx: typer.Context) -> None:
        """Verify the whole log in the database; exit 1 naming the first entry that fails."""
        with container(ctx) as c:
            report = c.audit.verify(LOCAL_OPERATOR)
        console.print(report.summary(), highlight=False)
        if not report.ok:
            for failure in sorted(report.failures, key=lambda f: f.sort_key())[:20]:
                console.print(f"  {failure.describe()}", highlight=False)
            raise typer.Exit(1)

    @group.command("erase-subject")
    @handles_errors
    def erase_subject(ctx: typer.Context, subject_id: Annotated[str, typer.Argument()]) -> None:
        """Destroy a subject's audit payload keys (their details become unreadable; the log still verifies).

        Refused while a legal hold covers the subject's information (exit code 3, naming the holds)."""
        with container(ctx) as c:
            try:
                n = c.audit.erase_subject_payloads(LOCAL_OPERATOR, subject_id)
            except OnHold as exc:
                report_error(exc)
                raise typer.Exit(ON_HOLD_EXIT) from None
        console.print(f"Destroyed {n} payload key(s) of {subject_id}.")
