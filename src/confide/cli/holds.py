"""``confide holds``: open, close and list legal holds (ACC-8, RET-2).

The CLI acts as the local privacy officer. ``open`` takes a kind opened by hand (litigation,
regulator_order, breach_investigation, complaint), a reason, and at least one of ``--subject``,
``--category``, ``--system``; ``close`` takes the reason the matter is over. A request's hold
opens and closes with the request (``confide requests``).

A destructive command refused because a hold applies (``confide audit erase-subject``) exits
with :data:`ON_HOLD_EXIT`, naming the holds, so a script can tell "kept" from "failed".
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from confide.cli.common import console, container, handles_errors
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.holds import LegalHold
from confide.services.holds import OpenHold

ON_HOLD_EXIT = 3
"""Exit code of a destructive command refused because a legal hold applies."""


def _as_dict(h: LegalHold) -> dict[str, object]:
    return {
        "id": h.id,
        "kind": h.kind.value,
        "subject_id": h.scope.subject_id,
        "category": h.scope.category,
        "system": h.scope.system,
        "cause": h.cause,
        "opened_at": h.opened_at.isoformat(),
        "opened_by": h.opened_by,
        "reason": h.reason,
        "closed_at": h.closed_at.isoformat() if h.closed_at else None,
        "closed_by": h.closed_by,
        "closed_reason": h.closed_reason,
        "active": h.active,
    }


def _scope(h: LegalHold) -> str:
    parts = [
        f"{name} {value}"
        for name, value in (
            ("subject", h.scope.subject_id),
            ("category", h.scope.category),
            ("system", h.scope.system),
        )
        if value
    ]
    return ", ".join(parts)


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Legal holds (ACC-8): information kept whatever its retention until a matter closes.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="holds")

    @group.command("open")
    @handles_errors
    def open_hold(
        ctx: typer.Context,
        kind: Annotated[
            str,
            typer.Option(help="litigation, regulator_order, breach_investigation or complaint"),
        ],
        reason: Annotated[str, typer.Option(help="Why (a court or regulator's file, a matter).")],
        subject: Annotated[
            str | None, typer.Option(help="Keep this subject's information.")
        ] = None,
        category: Annotated[str | None, typer.Option(help="Keep a policy category.")] = None,
        system: Annotated[str | None, typer.Option(help="Keep what a system holds.")] = None,
        cause: Annotated[str | None, typer.Option(help="Reference of what caused it.")] = None,
    ) -> None:
        """Open a hold; nothing in its scope is destroyed until it is closed."""
        with container(ctx) as c:
            hold = c.holds.open(
                LOCAL_OPERATOR, OpenHold(kind, reason, subject, category, system, cause)
            )
        console.print(
            f"hold {hold.id} opened: {hold.kind.value} on {_scope(hold)}", highlight=False
        )

    @group.command("close")
    @handles_errors
    def close_hold(
        ctx: typer.Context,
        hold_id: Annotated[str, typer.Argument()],
        reason: Annotated[str, typer.Option(help="Why the matter is over.")],
    ) -> None:
        """Close a hold the officer opened (a request's hold closes with the request)."""
        with container(ctx) as c:
            hold = c.holds.close(LOCAL_OPERATOR, hold_id, reason)
        console.print(f"hold {hold.id} closed", highlight=False)

    @group.command("list")
    @handles_errors
    def list_holds(
        ctx: typer.Context,
        subject: Annotated[
            str | None, typer.Option(help="The holds covering this subject's information.")
        ] = None,
        active: Annotated[bool, typer.Option("--active", help="Open holds only.")] = False,
        output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    ) -> None:
        """Holds, oldest first."""
        if output not in ("table", "json"):
            raise typer.BadParameter("format must be table or json")
        with container(ctx) as c:
            holds = c.holds.listing(LOCAL_OPERATOR, subject_id=subject, active_only=active)
        if output == "json":
            typer.echo(json.dumps([_as_dict(h) for h in holds], indent=2))
            return
        table = Table("id", "kind", "scope", "cause", "opened", "closed")
        for h in holds:
            table.add_row(
                h.id,
                h.kind.value,
                _scope(h),
                h.cause or "-",
                h.opened_at.strftime("%Y-%m-%d"),
                h.closed_at.strftime("%Y-%m-%d") if h.closed_at else "open",
            )
        console.print(table)
        console.print(f"{len(holds)} hold(s)", highlight=False)
