"""The ``confide`` command: one Typer app, one module per command group."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from confide.cli import (
    audit,
    common,
    complaints,
    consent,
    db,
    demo,
    disclose,
    holds,
    incidents,
    keys,
    outbox,
    policy,
    requests,
    retention,
    scan,
    serve,
    sources,
    staff,
    subjects,
    worker,
)

app = typer.Typer(
    name="confide",
    help="Confide: the privacy policy, executable. Configuration: CONFIDE_* variables (see README).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    db_url: Annotated[
        str | None, typer.Option("--db", help="Database URL (default: SQLite in the data dir).")
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option(help="Data directory of the embedded default.")
    ] = None,
    policy: Annotated[
        Path | None, typer.Option(help="Policy file (default: the packaged policy).")
    ] = None,
    key_file: Annotated[Path | None, typer.Option(help="Encryption key file.")] = None,
) -> None:
    common.state(ctx).overrides.update(
        {
            k: v
            for k, v in {
                "database_url": db_url,
                "data_dir": data_dir,
                "policy_file": policy,
                "key_file": key_file,
            }.items()
            if v is not None
        }
    )


for module in (
    serve,
    db,
    keys,
    policy,
    subjects,
    consent,
    sources,
    staff,
    demo,
    audit,
    worker,
    disclose,
    holds,
    scan,
    requests,
    retention,
    incidents,
    complaints,
    outbox,
):
    module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
