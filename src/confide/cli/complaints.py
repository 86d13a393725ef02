"""``confide complaints``: complaints (CMP-1, CMP-2), as the local privacy officer.

``record`` a complaint taken by letter or email, ``list`` the register (``--open``,
``--escalated``, ``--overdue``), ``show`` one with its notes and actions, ``note``,
``escalate``, ``answer`` (the letter goes through the outbox), ``action`` (what a justified
complaint led to), ``close`` (refused for a justified complaint without an action), ``tick``
(escalate those past their target, as the worker does every hour), ``monthly`` counts.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from confide.cli.common import console, container, handles_errors
from confide.domain.access import LOCAL_OPERATOR
from confide.services.complaints import RecordAction, RecordComplaint
from confide.services.ports.complaints import ComplaintFilter

Ref = Annotated[str, typer.Argument(help="Reference (CMP-...) or id.")]


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Complaints (CMP-1, CMP-2): recorded, escalated, answered, acted upon.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="complaints")

    @group.command("record")
    @handles_errors
    def record(
        ctx: typer.Context,
        channel: Annotated[str, typer.Option(help="letter, email, phone or portal")],
        topic: Annotated[
            str, typer.Option(help="use, disclosure, request, incident, marketing, other")
        ],
        summary: Annotated[str, typer.Option(help="What the complaint says.")],
        contact: Annotated[str, typer.Option(help="An email, a telephone or an address.")],
        language: Annotated[str, typer.Option(help="en or fr")] = "en",
        account: Annotated[str, typer.Option(help="Invoice or account number.")] = "",
        about: Annotated[
            str | None, typer.Option(help="The request or incident it concerns.")
        ] = None,
    ) -> None:
        """Record a complaint; its acknowledgement goes through the outbox."""
        cmd = RecordComplaint(channel, topic, summary, contact, language, account, None, about)
        with container(ctx) as c:
            done = c.complaints.record(LOCAL_OPERATOR, cmd)
        console.print(
            f"complaint {done.reference} recorded; answer due by {done.target_on}",
            highlight=False,
        )

    @group.command("list")
    @handles_errors
    def list_complaints(
        ctx: typer.Context,
        open_only: Annotated[bool, typer.Option("--open")] = False,
        escalated: Annotated[bool, typer.Option("--escalated")] = False,
        overdue: Annotated[bool, typer.Option("--overdue")] = False,
        output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    ) -> None:
        """The register, newest first."""
        with container(ctx) as c:
            flt = ComplaintFilter(
                status="open" if open_only else None,
                level="senior" if escalated else None,
                overdue_on=c.ctx.now().date() if overdue else None,
            )
            rows = c.complaints.listing(LOCAL_OPERATOR, flt, limit=1000)
        if output == "json":
            typer.echo(
                json.dumps(
                    [
                        {
                            "reference": x.reference,
                            "topic": x.topic.value,
                            "level": x.level.value,
                            "status": x.status.value,
                            "target_on": x.target_on.isoformat(),
                            "outcome": x.outcome.value if x.outcome else None,
                        }
                        for x in rows
                    ],
                    indent=2,
                )
            )
            return
        table = Table("reference", "received", "topic", "level", "status", "answer by", "outcome")
        for x in rows:
            table.add_row(
                x.reference,
                x.received_at.strftime("%Y-%m-%d"),
                x.topic.value,
                x.level.value,
                x.status.value,
                x.target_on.isoformat(),
                x.outcome.value if x.outcome else "-",
            )
        console.print(table)
        console.print(f"{len(rows)} complaint(s)", highlight=False)

    @group.command("show")
    @handles_errors
    def show(ctx: typer.Context, complaint: Ref) -> None:
        """A complaint with its notes and actions."""
        with container(ctx) as c:
            v = c.complaints.view(LOCAL_OPERATOR, complaint)
        x = v.complaint
        console.print(
            f"[bold]{x.reference}[/] {x.topic.value} by {x.channel.value}, {x.status.value} "
            f"({x.level.value} level); answer by {x.target_on}",
            highlight=False,
        )
        console.print(x.summary, highlight=False)
        if x.outcome:
            console.print(f"answered: {x.outcome.value} — {x.answer_reasons}", highlight=False)
        for n in v.notes:
            console.print(f"  note {n.at:%Y-%m-%d} {n.by}: {n.text}", highlight=False)
        for a in v.actions:
            console.print(
                f"  action {a.kind.value} {a.description or a.correction_id or a.policy_version}",
                highlight=False,
            )

    @group.command("note")
    @handles_errors
    def note(ctx: typer.Context, complaint: Ref, text: Annotated[str, typer.Argument()]) -> None:
        """Add a note to the investigation."""
        with container(ctx) as c:
            c.complaints.note(LOCAL_OPERATOR, complaint, text)
        console.print("note recorded", highlight=False)

    @group.command("escalate")
    @handles_errors
    def escalate(ctx: typer.Context, complaint: Ref) -> None:
        """To senior management and the privacy officer (not resolved at the first level)."""
        with container(ctx) as c:
            done = c.complaints.escalate(LOCAL_OPERATOR, complaint)
        console.print(f"complaint {done.reference} escalated", highlight=False)

    @group.command("answer")
    @handles_errors
    def answer(
        ctx: typer.Context,
        complaint: Ref,
        outcome: Annotated[
            str, typer.Option(help="justified, partly_justified, not_justified, withdrawn")
        ],
        reasons: Annotated[str, typer.Option(help="Why.")],
    ) -> None:
        """Answer in writing (the letter, with the recourse, goes through the outbox)."""
        with container(ctx) as c:
            done = c.complaints.answer(LOCAL_OPERATOR, complaint, outcome, reasons)
        console.print(f"complaint {done.reference} answered", highlight=False)

    @group.command("action")
    @handles_errors
    def action(
        ctx: typer.Context,
        complaint: Ref,
        kind: Annotated[str, typer.Option(help="correction, practice_change, policy_amendment")],
        correction: Annotated[str | None, typer.Option(help="The correction's id.")] = None,
        description: Annotated[str, typer.Option(help="The change of practice.")] = "",
        owner: Annotated[str, typer.Option(help="Who owns the change.")] = "",
        due: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
        policy_version: Annotated[str | None, typer.Option(help="The amending version.")] = None,
    ) -> None:
        """Record what a justified complaint led to (CMP-2)."""
        cmd = RecordAction(
            kind, correction, description, owner, due.date() if due else None, policy_version
        )
        with container(ctx) as c:
            done = c.complaints.add_action(LOCAL_OPERATOR, complaint, cmd)
        console.print(f"action {done.kind.value} recorded", highlight=False)

    @group.command("close")
    @handles_errors
    def close(ctx: typer.Context, complaint: Ref) -> None:
        """Close an answered complaint (a justified one needs its action)."""
        with container(ctx) as c:
            done = c.complaints.close(LOCAL_OPERATOR, complaint)
        console.print(f"complaint {done.reference} closed", highlight=False)

    @group.command("tick")
    @handles_errors
    def tick(ctx: typer.Context) -> None:
        """Escalate the complaints past their target (the worker does it every hour)."""
        with container(ctx) as c:
            done = c.complaints.tick(LOCAL_OPERATOR)
        console.print(f"{len(done)} complaint(s) escalated", highlight=False)

    @group.command("monthly")
    @handles_errors
    def monthly(ctx: typer.Context, year: Annotated[int | None, typer.Option()] = None) -> None:
        """Counts per month, topic and outcome, for the annual review."""
        with container(ctx) as c:
            rows = c.complaints.monthly(LOCAL_OPERATOR, year or c.ctx.now().year)
        table = Table("month", "topic", "outcome", "complaints")
        for m, t, o, n in rows:
            table.add_row(str(m), t, o or "-", str(n))
        console.print(table)
