"""``confide users`` and ``confide tokens``: staff accounts and API tokens."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from confide.cli.common import console, container, handles_errors
from confide.domain.access import LOCAL_OPERATOR, Role


def register(app: typer.Typer) -> None:
    users = typer.Typer(help="Staff accounts and their roles.", no_args_is_help=True)
    tokens = typer.Typer(help="API tokens (shown once, stored as hashes).", no_args_is_help=True)
    app.add_typer(users, name="users")
    app.add_typer(tokens, name="tokens")

    @users.command("add")
    @handles_errors
    def add(
        ctx: typer.Context,
        username: Annotated[str, typer.Argument()],
        role: Annotated[
            list[Role],
            typer.Option(help="Role (repeat): privacy_officer, agent, auditor, integration"),
        ],
    ) -> None:
        """Add a staff user with one or more roles."""
        with container(ctx) as c:
            u = c.staff.add_user(LOCAL_OPERATOR, username, [r.value for r in role])
        console.print(f"Added user [bold]{u.username}[/] ({', '.join(sorted(u.roles))}).")

    @users.command("list")
    @handles_errors
    def list_(ctx: typer.Context) -> None:
        """List staff users."""
        with container(ctx) as c:
            rows = c.staff.users(LOCAL_OPERATOR)
        table = Table("id", "username", "roles", "active")
        for u in rows:
            table.add_row(u.id, u.username, ", ".join(sorted(u.roles)), "yes" if u.active else "no")
        console.print(table)

    @tokens.command("create")
    @handles_errors
    def create(
        ctx: typer.Context,
        username: Annotated[str, typer.Argument()],
        name: Annotated[str, typer.Option(help="What the token is for")] = "api",
        expires_in_days: Annotated[
            int | None, typer.Option(help="Expiry in days (default: none)")
        ] = None,
    ) -> None:
        """Create an API token for a user; the secret is printed once."""
        with container(ctx) as c:
            issued = c.staff.create_token(LOCAL_OPERATOR, username, name, expires_in_days)
        console.print(f"Token {issued.record.id} for {username} (shown once):")
        typer.echo(issued.token)

    @tokens.command("revoke")
    @handles_errors
    def revoke(ctx: typer.Context, token_id: Annotated[str, typer.Argument()]) -> None:
        """Revoke a token by its id."""
        with container(ctx) as c:
            c.staff.revoke_token(LOCAL_OPERATOR, token_id)
        console.print(f"Revoked {token_id}.")
