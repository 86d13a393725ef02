"""``confide demo``: generate the reproducible demo organization."""

from __future__ import annotations

import time
from datetime import date
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from confide.cli.common import console, container, handles_errors, state
from confide.domain.access import LOCAL_OPERATOR


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The demo organization.", no_args_is_help=True)
    app.add_typer(group, name="demo")

    @group.command()
    @handles_errors
    def generate(
        ctx: typer.Context,
        subjects: Annotated[int, typer.Option(help="How many subjects")] = 1000,
        seed: Annotated[
            int, typer.Option(help="Seed: the same seed and date give the same data")
        ] = 42,
        as_of: Annotated[
            str | None, typer.Option(help="Date the history ends (YYYY-MM-DD; default today)")
        ] = None,
    ) -> None:
        """Generate customers, authorized users and employees with their information and history."""
        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise typer.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None
        embedded = state(ctx).settings().database_url is None
        start = time.perf_counter()
        with (
            container(ctx, create_key=embedded) as c,
            Progress(
                TextColumn("Generating"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
            ) as progress,
        ):
            task = progress.add_task("demo", total=subjects)
            report = c.demo.generate(
                LOCAL_OPERATOR, subjects, seed, day, lambda n: progress.update(task, completed=n)
            )
        console.print(
            f"Generated {report.subjects} subjects, {report.records} records, {report.events} events "
            f"(seed {report.seed}, as of {report.as_of}) in {time.perf_counter() - start:.1f} s."
        )
