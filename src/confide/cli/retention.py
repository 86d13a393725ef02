"""``confide retention``: end of life, disposal runs and certificates (RET-1..3).

The CLI acts as the local privacy officer::

    confide retention event SUBJECT service_ended [--at 2026-01-31T17:00:00-05:00]
    confide retention due [--before 2027-01-01] [--category usage_data]
    confide retention plan [--category ...]          # makes a run: its exact list, for review
    confide retention show RUN [--items due|held|done]
    confide retention approve RUN                    # the officer's approval
    confide retention run RUN                        # executes it here, with a progress bar
    confide retention runs
    confide retention certificate RUN --format pdf --lang fr --output cert.pdf
    confide retention certificate RUN --proof        # inclusion proof of its audit entry
    confide retention schedule --enable [--category ...]
    confide retention tasks / close-task TASK        # read-only sources: the owners' tasks

The workers execute approved runs by themselves (``retention.tick``); ``run`` is for an officer
who wants to watch it.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from confide.cli.common import console, container, handles_errors
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.retention.runs import DisposalRun


def _day(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{field}: {value!r} is not a date (YYYY-MM-DD)") from None


def _run_dict(run: DisposalRun) -> dict[str, object]:
    return {
        "id": run.id,
        "status": run.status.value,
        "as_of": run.as_of.isoformat(),
        "policy_version": run.policy_version,
        "planned_at": run.planned_at.isoformat(),
        "planned_by": run.planned_by,
        "categories": list(run.categories),
        "due": run.total,
        "done": run.done,
        "held": dict(run.held),
        "lines": [
            {
                "category": line.category,
                "system": line.system,
                "method": line.method,
                "due": line.due,
                "held": line.held,
            }
            for line in run.lines
        ],
        "anonymity": run.anonymity,
        "approved_at": run.approved_at.isoformat() if run.approved_at else None,
        "approved_by": run.approved_by,
        "approval": run.approval.value if run.approval else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }


def _print_plan(run: DisposalRun, title: str) -> None:
    table = Table("category", "system", "method", "due", "kept back", title=title)
    for line in run.lines:
        table.add_row(line.category, line.system, line.method, str(line.due), str(line.held))
    console.print(table)
    held = ", ".join(f"{n} by {reason.replace('_', ' ')}" for reason, n in run.held.items())
    console.print(
        f"{run.total} record(s) due on {run.as_of.isoformat()}"
        + (f"; kept back: {held}" if held else ""),
        highlight=False,
    )
    for category, stats in run.anonymity.items():
        console.print(
            f"{category}: kept anonymized in groups of at least {stats['k']} "
            f"({stats['l']} distinct values), {stats['suppressed']} suppressed (deleted)",
            highlight=False,
        )


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Retention and disposal (RET-1..3): what is due, disposal runs, certificates.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="retention")

    @group.command("event")
    @handles_errors
    def event(
        ctx: typer.Context,
        subject_id: Annotated[str, typer.Argument()],
        kind: Annotated[
            str,
            typer.Argument(
                help="service_ended, service_resumed, employment_ended, last_activity "
                "or legal_obligation_ended"
            ),
        ],
        at: Annotated[
            str | None, typer.Option(help="When it happened (ISO 8601 with a zone); default now.")
        ] = None,
    ) -> None:
        """Record a lifecycle event a retention period counts from."""
        when = None
        if at is not None:
            try:
                when = datetime.fromisoformat(at)
            except ValueError:
                raise typer.BadParameter(f"at: {at!r} is not an ISO 8601 time") from None
        with container(ctx) as c:
            e = c.retention.record_event(LOCAL_OPERATOR, subject_id, kind, when)
        console.print(
            f"{e.kind.value} recorded for {e.subject_id} at {e.occurred_at.isoformat()}",
            highlight=False,
        )

    @group.command("due")
    @handles_errors
    def due(
        ctx: typer.Context,
        before: Annotated[
            str | None, typer.Option(help="Due on this day (YYYY-MM-DD); default today.")
        ] = None,
        category: Annotated[
            list[str] | None, typer.Option(help="Only this category (repeatable).")
        ] = None,
        output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    ) -> None:
        """What is due for disposal, per category, system and method; nothing is changed."""
        with container(ctx) as c:
            run = c.retention.due(LOCAL_OPERATOR, _day(before, "before"), category or ())
        if output == "json":
            typer.echo(json.dumps(_run_dict(run) | {"id": None, "status": None}, indent=2))
            return
        _print_plan(run, "Due for disposal")

    @group.command("plan")
    @handles_errors
    def plan(
        ctx: typer.Context,
        category: Annotated[
            list[str] | None, typer.Option(help="Only this category (repeatable).")
        ] = None,
        output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    ) -> None:
        """Plan a disposal run for today: its exact list, for the officer to review and approve."""
        with container(ctx) as c:
            run = c.retention.plan(LOCAL_OPERATOR, None, category or ())
        if output == "json":
            typer.echo(json.dumps(_run_dict(run), indent=2))
            return
        _print_plan(run, f"Disposal plan {run.id}")
        console.print(f"review it, then: confide retention approve {run.id}", highlight=False)

    @group.command("show")
    @handles_errors
    def show(
        ctx: typer.Context,
        run_id: Annotated[str, typer.Argument()],
        items: Annotated[
            str | None, typer.Option(help="List the run's records in this state: due, held, done.")
        ] = None,
        limit: Annotated[int, typer.Option(help="How many records to list.")] = 100,
    ) -> None:
        """A run: its plan, its progress, and (``--items``) its records."""
        with container(ctx) as c:
            run = c.retention.run(LOCAL_OPERATOR, run_id)
            listed = (
                c.retention.items(LOCAL_OPERATOR, run_id, state=items, limit=limit) if items else []
            )
        _print_plan(run, f"Disposal run {run.id} ({run.status.value}, {run.done}/{run.total})")
        if items:
            table = Table("record", "subject", "category", "system", "method", "state", "why")
            for i in listed:
                table.add_row(
                    i.record_id,
                    i.subject_id,
                    i.category,
                    i.system,
                    i.method,
                    i.state.value,
                    i.reason or "",
                )
            console.print(table)

    @group.command("approve")
    @handles_errors
    def approve(ctx: typer.Context, run_id: Annotated[str, typer.Argument()]) -> None:
        """Approve a plan (the workers then execute it, or run it here with ``run``)."""
        with container(ctx) as c:
            run = c.retention.approve(LOCAL_OPERATOR, run_id)
        console.print(
            f"run {run.id} approved: {run.total} record(s) to dispose of", highlight=False
        )

    @group.command("cancel")
    @handles_errors
    def cancel(ctx: typer.Context, run_id: Annotated[str, typer.Argument()]) -> None:
        """Cancel a plan or an approved run that has not started."""
        with container(ctx) as c:
            run = c.retention.cancel(LOCAL_OPERATOR, run_id)
        console.print(f"run {run.id} cancelled", highlight=False)

    @group.command("run")
    @handles_errors
    def run(
        ctx: typer.Context,
        run_id: Annotated[str, typer.Argument()],
    ) -> None:
        """Execute an approved run here (resumes one that was interrupted)."""
        with (
            container(ctx) as c,
            Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            ) as bar,
        ):
            task = bar.add_task("disposing", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = c.retention.execute(LOCAL_OPERATOR, run_id, on_progress=progress)
        console.print(
            f"run {result.id} {result.status.value}: {result.done} of {result.total} disposed of",
            highlight=False,
        )
        if result.status.value == "completed":
            console.print(
                f"certificate: confide retention certificate {result.id} --format pdf",
                highlight=False,
            )

    @group.command("runs")
    @handles_errors
    def runs(
        ctx: typer.Context,
        limit: Annotated[int, typer.Option(help="How many, newest first.")] = 20,
        output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    ) -> None:
        """Disposal runs, newest first."""
        with container(ctx) as c:
            found = c.retention.runs(LOCAL_OPERATOR, limit=limit)
        if output == "json":
            typer.echo(json.dumps([_run_dict(r) for r in found], indent=2))
            return
        table = Table("id", "status", "day", "due", "done", "approved by")
        for r in found:
            table.add_row(
                r.id,
                r.status.value,
                r.as_of.isoformat(),
                str(r.total),
                str(r.done),
                r.approved_by or "-",
            )
        console.print(table)

    @group.command("certificate")
    @handles_errors
    def certificate(
        ctx: typer.Context,
        run_id: Annotated[str, typer.Argument()],
        output_format: Annotated[str, typer.Option("--format", help="json or pdf")] = "json",
        lang: Annotated[str, typer.Option(help="en or fr (PDF)")] = "en",
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="Write to this file.")
        ] = None,
        proof: Annotated[
            bool, typer.Option("--proof", help="Print the inclusion proof of its audit entry.")
        ] = False,
        ids: Annotated[
            bool, typer.Option("--ids", help="Print the list of record ids it certifies.")
        ] = False,
    ) -> None:
        """A completed run's certificate of disposal (RET-2), its proof or its list of ids."""
        if output_format not in ("json", "pdf"):
            raise typer.BadParameter("format must be json or pdf")
        if lang not in ("en", "fr"):
            raise typer.BadParameter("lang must be en or fr")
        with container(ctx) as c:
            issued = c.retention.certificate(LOCAL_OPERATOR, run_id)
            names = c.retention.category_names(lang)
            cert = issued.certificate
            people = c.retention.who(LOCAL_OPERATOR, (cert.planned_by, cert.approved_by))
            if proof:
                typer.echo(
                    json.dumps(
                        c.audit.inclusion_proof(LOCAL_OPERATOR, issued.audit_seq, with_entry=True),
                        indent=2,
                    )
                )
                return
            if ids:
                for rid in c.retention.record_ids(LOCAL_OPERATOR, run_id):
                    typer.echo(rid)
                return
        from confide.adapters.rendering.certificate import certificate_json, certificate_pdf

        data = (
            certificate_pdf(issued, lang, names, people)
            if output_format == "pdf"
            else certificate_json(issued)
        )
        if output is None:
            if output_format == "pdf":
                raise typer.BadParameter("a PDF needs --output FILE")
            typer.echo(data.decode())
        else:
            output.write_bytes(data)
            console.print(f"certificate written to {output}", highlight=False)

    @group.command("tasks")
    @handles_errors
    def tasks(ctx: typer.Context) -> None:
        """Disposal tasks handed to read-only sources' owners, not closed yet."""
        with container(ctx) as c:
            found = c.retention.tasks(LOCAL_OPERATOR)
        table = Table("task", "run", "source", "table or file", "category", "rows", "due before")
        for s in found:
            table.add_row(
                s.id,
                s.run_id,
                s.source,
                s.table,
                s.category,
                str(s.rows),
                s.cutoff.date().isoformat(),
            )
        console.print(table)
        console.print(f"{len(found)} open task(s)", highlight=False)

    @group.command("close-task")
    @handles_errors
    def close_task(ctx: typer.Context, step_id: Annotated[str, typer.Argument()]) -> None:
        """Confirm a source's owner disposed of a task's rows (the run completes when none is left)."""
        with container(ctx) as c:
            run = c.retention.close_task(LOCAL_OPERATOR, step_id)
        console.print(f"task {step_id} closed; run {run.id} is {run.status.value}", highlight=False)

    @group.command("schedule")
    @handles_errors
    def schedule(
        ctx: typer.Context,
        enable: Annotated[
            bool | None,
            typer.Option(
                "--enable/--disable",
                help="Let the workers plan and approve a run each day, as this officer.",
            ),
        ] = None,
        category: Annotated[
            list[str] | None, typer.Option(help="Only this category (repeatable).")
        ] = None,
    ) -> None:
        """Show or set the standing approval the workers dispose of due records under."""
        with container(ctx) as c:
            if enable is not None:
                c.retention.set_schedule(LOCAL_OPERATOR, enable, category or ())
            current = c.retention.schedule(LOCAL_OPERATOR)
        if current is None or not current.enabled:
            console.print("no schedule: every run is approved by hand", highlight=False)
            return
        scope = ", ".join(current.categories) or "every category"
        console.print(
            f"daily runs approved by the schedule for {scope} "
            f"(set by {current.set_by} on {current.set_at.date().isoformat()})",
            highlight=False,
        )
