"""``confide decide``, ``confide audience`` and ``confide consent``: the consent ledger from the command line."""

from __future__ import annotations

import csv
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from confide.cli.common import console, container, handles_errors
from confide.domain.access import LOCAL_OPERATOR
from confide.services.audience import AudienceSummary
from confide.services.consent import GiveConsentRequest


def _when(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            "use an ISO 8601 time with a zone, e.g. 2026-11-29T10:00:00-05:00", param_hint=option
        ) from None
    if at.tzinfo is None:
        raise typer.BadParameter("include the time zone, e.g. -05:00 or Z", param_hint=option)
    return at


def register(app: typer.Typer) -> None:
    @app.command()
    @handles_errors
    def decide(
        ctx: typer.Context,
        subject_id: Annotated[str, typer.Argument(help="Subject id")],
        purpose: Annotated[str, typer.Argument(help="Purpose id from the policy")],
        category: Annotated[list[str] | None, typer.Option(help="Category to use (repeat)")] = None,
        channel: Annotated[str | None, typer.Option(help="Marketing channel")] = None,
        at: Annotated[
            str | None, typer.Option(help="When (ISO 8601 with zone; default now)")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    ) -> None:
        """May this subject's information be used for this purpose? Exit 0 if allowed, 3 if refused."""
        with container(ctx) as c:
            r = c.consent.decide(
                LOCAL_OPERATOR, subject_id, purpose, category or [], channel, _when(at, "--at")
            )
        d = r.decision
        if as_json:
            typer.echo(json.dumps({"id": r.id, **d.to_dict()}, indent=2))
        else:
            verdict = "[green]ALLOWED[/]" if d.allowed else "[red]REFUSED[/]"
            console.print(
                f"{verdict} ({d.rule}; {', '.join(str(x) for x in d.reasons)}) — {d.explanation}"
            )
            console.print(
                f"decision {r.id}; relied on {d.relied_on or '-'}; valid until {d.valid_until or '-'}"
            )
        if not d.allowed:
            raise typer.Exit(3)

    @app.command()
    @handles_errors
    def audience(
        ctx: typer.Context,
        purpose: Annotated[str, typer.Option(help="Purpose id")],
        channel: Annotated[str, typer.Option(help="Channel id, e.g. email")],
        at: Annotated[
            str | None, typer.Option(help="When (ISO 8601 with zone; default now)")
        ] = None,
        out: Annotated[
            Path | None, typer.Option(help="CSV file (default: standard output)")
        ] = None,
    ) -> None:
        """Who may receive this campaign on this channel: subject id, the consent relied on, until when."""
        summary = AudienceSummary()
        with container(ctx) as c:
            stream = out.open("w", newline="", encoding="utf-8") if out else sys.stdout
            try:
                writer = csv.writer(stream)
                writer.writerow(["subject_id", "relied_on", "valid_until"])
                with Progress(
                    SpinnerColumn(),
                    TextColumn("{task.completed} candidates checked"),
                    TimeElapsedColumn(),
                    console=console,
                    transient=out is None,
                ) as progress:
                    task = progress.add_task("audience", total=None)
                    for m in c.audience.stream(
                        LOCAL_OPERATOR,
                        purpose,
                        channel,
                        _when(at, "--at"),
                        summary,
                        lambda n: progress.update(task, completed=n),
                    ):
                        writer.writerow(
                            [
                                m.subject_id,
                                m.relied_on or "",
                                m.valid_until.isoformat() if m.valid_until else "",
                            ]
                        )
            finally:
                if out:
                    stream.close()
        if out:
            console.print(
                f"{summary.members} subject(s) of {summary.candidates} candidate(s) written to {out}."
            )

    group = typer.Typer(
        help="The consent ledger: give, withdraw, history, receipts, preferences.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="consent")

    @group.command()
    @handles_errors
    def give(
        ctx: typer.Context,
        subject_id: Annotated[str, typer.Argument()],
        purpose: Annotated[
            list[str], typer.Option(help="Purpose (repeat; one per consent in Québec)")
        ],
        method: Annotated[
            str, typer.Option(help="verbal, signed_document, checkbox, other_action")
        ],
        kind: Annotated[str, typer.Option(help="express or implied")] = "express",
        channel: Annotated[str | None, typer.Option()] = None,
        evidence: Annotated[
            str | None, typer.Option(help="Evidence reference (recording, form id)")
        ] = None,
        guardian: Annotated[bool, typer.Option(help="Given by a parent or tutor")] = False,
    ) -> None:
        """Record a consent (e.g. an agent records a verbal consent during a call)."""
        with container(ctx) as c:
            events = c.consent.give(
                LOCAL_OPERATOR,
                GiveConsentRequest(
                    subject_id,
                    tuple(purpose),
                    kind,
                    method,
                    channel,
                    evidence,
                    by_guardian=guardian,
                ),
            )
        for e in events:
            console.print(f"Recorded {type(e).__name__} [bold]{e.event_id}[/]")

    @group.command()
    @handles_errors
    def withdraw(
        ctx: typer.Context,
        subject_id: Annotated[str, typer.Argument()],
        purpose: Annotated[str, typer.Option()],
        channel: Annotated[str | None, typer.Option()] = None,
    ) -> None:
        """Withdraw a consent or opt out of a purpose (effective at once)."""
        with container(ctx) as c:
            events = c.consent.withdraw(LOCAL_OPERATOR, subject_id, purpose, channel)
        console.print(f"Withdrawn: {events[-1].event_id}")

    @group.command()
    @handles_errors
    def event(
        ctx: typer.Context,
        subject_id: Annotated[str, typer.Argument()],
        kind: Annotated[
            str,
            typer.Argument(
                help="registration, purchase, inquiry, contract_start, contract_end, "
                "address_given, service_terminated"
            ),
        ],
        at: Annotated[str | None, typer.Option(help="When (ISO 8601 with zone)")] = None,
    ) -> None:
        """Record a relationship event (drives implied consent)."""
        with container(ctx) as c:
            e = c.consent.record_relationship(LOCAL_OPERATOR, subject_id, kind, _when(at, "--at"))
        console.print(f"Recorded {kind}: {e.event_id}")

    @group.command()
    @handles_errors
    def history(ctx: typer.Context, subject_id: Annotated[str, typer.Argument()]) -> None:
        """The subject's whole consent history."""
        with container(ctx) as c:
            events = c.consent.history(LOCAL_OPERATOR, subject_id)
        table = Table("at", "event", "purpose", "channel", "id")
        for e in events:
            table.add_row(
                e.at.isoformat(timespec="seconds"),
                type(e).__name__,
                getattr(e, "purpose_id", "") or "",
                getattr(e, "channel", "") or "",
                e.event_id,
            )
        console.print(table)

    @group.command()
    @handles_errors
    def receipt(
        ctx: typer.Context,
        event_id: Annotated[str, typer.Argument(help="Consent event id")],
        format: Annotated[str, typer.Option(help="iso27560 or kantara")] = "iso27560",
    ) -> None:
        """The consent's record (ISO/IEC TS 27560) or Kantara v1.1 receipt, as JSON."""
        with container(ctx) as c:
            iso, kantara, _ = c.consent.receipt(LOCAL_OPERATOR, event_id)
        typer.echo(
            json.dumps(kantara if format == "kantara" else iso, indent=2, ensure_ascii=False)
        )

    @group.command("opt-out")
    @handles_errors
    def opt_out(
        ctx: typer.Context,
        subject_id: Annotated[str, typer.Argument()],
        channel: Annotated[
            str, typer.Argument(help="telemarketing, postal_mail, email, text_message")
        ],
    ) -> None:
        """Opt a subject out of all marketing on a channel."""
        with container(ctx) as c:
            e = c.consent.set_channel(LOCAL_OPERATOR, subject_id, channel, True)
        console.print(f"Opted out of {channel}: {e.event_id}")

    @group.command("do-not-call")
    @handles_errors
    def dnc(ctx: typer.Context, subject_id: Annotated[str, typer.Argument()]) -> None:
        """Put the subject's telephone number on the internal do-not-call list."""
        with container(ctx) as c:
            e = c.consent.do_not_call(LOCAL_OPERATOR, subject_id)
        console.print(f"On the internal do-not-call list: {e.event_id}")

    @group.command()
    @handles_errors
    def withdrawals(
        ctx: typer.Context,
        days: Annotated[int, typer.Option(help="Look back this many days")] = 60,
        overdue: Annotated[bool, typer.Option(help="Only overdue acknowledgements")] = False,
    ) -> None:
        """Withdrawals and, per downstream system, the acknowledgement deadline and status."""
        with container(ctx) as c:
            rows = c.consent.withdrawal_status(LOCAL_OPERATOR, days)
        table = Table("withdrawal", "subject", "purpose", "deadline", "system", "status")
        for s in rows:
            for p in s.progress.systems:
                if overdue and not p.overdue:
                    continue
                table.add_row(
                    s.withdrawal.event_id,
                    s.withdrawal.subject_id,
                    s.withdrawal.purpose_id,
                    p.deadline.isoformat(timespec="minutes"),
                    p.system_id,
                    str(p.status),
                )
        console.print(table)

    @group.command()
    @handles_errors
    def reconsent(
        ctx: typer.Context, out: Annotated[Path | None, typer.Option(help="CSV file")] = None
    ) -> None:
        """Who must be asked again: purposes a newer policy version added that no consent covers (POL-3)."""
        with container(ctx) as c:
            stream = out.open("w", newline="", encoding="utf-8") if out else sys.stdout
            count = 0
            try:
                writer = csv.writer(stream)
                writer.writerow(["subject_id", "purposes"])
                for subject_id, purposes in c.consent.reconsent(LOCAL_OPERATOR):
                    writer.writerow([subject_id, " ".join(purposes)])
                    count += 1
            finally:
                if out:
                    stream.close()
        if out:
            console.print(f"{count} subject(s) to ask again, written to {out}.")

    @group.command("rebuild-state")
    @handles_errors
    def rebuild_state(
        ctx: typer.Context,
        batch: Annotated[int, typer.Option(help="Subjects per transaction")] = 2000,
    ) -> None:
        """Recompute the consent read model for every subject under the active policy version
        (run after activating a new version; audiences decide from the ledger until it ends)."""
        start = time.perf_counter()
        with (
            container(ctx) as c,
            Progress(
                SpinnerColumn(),
                TextColumn("{task.completed} subjects"),
                TimeElapsedColumn(),
                console=console,
            ) as progress,
        ):
            task = progress.add_task("rebuild", total=None)
            done = c.consent.rebuild_state(
                LOCAL_OPERATOR, batch, lambda n: progress.update(task, completed=n)
            )
        console.print(
            f"Consent read model rebuilt for {done} subject(s) in {time.perf_counter() - start:.1f} s."
        )
