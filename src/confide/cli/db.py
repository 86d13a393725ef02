"""``confide db``: schema migrations."""

from __future__ import annotations

import typer

from confide.adapters.db import migrate
from confide.cli.common import console, container, handles_errors


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The database schema (Alembic migrations).", no_args_is_help=True)
    app.add_typer(group, name="db")

    @group.command()
    @handles_errors
    def upgrade(ctx: typer.Context) -> None:
        """Create or migrate the schema to the latest revision."""
        with container(ctx, create_key=True, activate=False) as c:
            console.print(
                f"Database at revision {migrate.current_revision(c.engine)} (head {migrate.head_revision()})."
            )

    @group.command()
    @handles_errors
    def current(ctx: typer.Context) -> None:
        """Print the schema revision of the database."""
        with container(ctx, migrate_db=False, activate=False) as c:
            console.print(migrate.current_revision(c.engine) or "empty (run `confide db upgrade`)")
