"""``confide requests``: access, correction and portability requests (ACC-1..11).

``submit`` records a written request; ``verify`` sends a code, checks one, or records an agent's
check; ``list`` is the queue with due dates and days left; ``extend`` the one federal extension;
``fee`` a fee estimate and its acceptance; ``prepare``/``release`` the access file; ``respond``
answers a correction; ``refuse`` refuses in writing; ``close`` ends the request and its legal
hold. Each command calls one service method.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from confide.cli.common import console, container, handles_errors
from confide.domain.access import LOCAL_OPERATOR
from confide.services.requests import RequestRow, SubmitRequest


def _print(row: RequestRow) -> None:
    r = row.request
    console.print(f"request {r.id}: {r.kind.value}, state {r.state.value}", highlight=False)
    console.print(
        f"  subject {r.subject_id or '(unmatched)'}, received {r.received_at.date().isoformat()} "
        f"({r.channel.value}), due {r.effective_due.isoformat()}, "
        + (f"{-row.days_left} day(s) overdue" if row.overdue else f"{row.days_left} day(s) left"),
        highlight=False,
    )
    if r.extension:
        console.print(f"  extended from {r.due_on.isoformat()}", highlight=False)
    if r.verification:
        console.print(
            f"  verified by {r.verification.method.value} ({r.verification.by})", highlight=False
        )
    if r.outcome:
        console.print(f"  outcome: {r.outcome.value}", highlight=False)
        for reason in r.reasons:
            console.print(f"    - {reason}", highlight=False)


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Access, correction and portability requests: intake, clocks, response.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="requests")

    @group.command("submit")
    @handles_errors
    def submit(
        ctx: typer.Context,
        kind: Annotated[str, typer.Argument(help="access, correction or portability")],
        channel: Annotated[str, typer.Option(help="portal, api, email, letter or phone")],
        email: Annotated[str | None, typer.Option(help="The subject's email")] = None,
        phone: Annotated[str | None, typer.Option(help="The subject's phone")] = None,
        account: Annotated[str | None, typer.Option(help="The subject's account number")] = None,
        note: Annotated[
            str | None, typer.Option(help="Written record of the call (phone), letter reference")
        ] = None,
        language: Annotated[str | None, typer.Option(help="en or fr")] = None,
        representative: Annotated[str | None, typer.Option(help="Representative's name")] = None,
        authority: Annotated[
            str | None, typer.Option(help="power_of_attorney, mandate, guardianship, estate")
        ] = None,
        document: Annotated[str | None, typer.Option(help="Authority document reference")] = None,
        representative_subject: Annotated[
            str | None, typer.Option(help="Authorized user's subject id")
        ] = None,
        category: Annotated[str | None, typer.Option(help="Category to correct")] = None,
        value: Annotated[str | None, typer.Option(help="The corrected value")] = None,
    ) -> None:
        """Record a written request (ACC-1) naming its subject by one identifier."""
        given = [(k, v) for k, v in (("email", email), ("phone", phone), ("account", account)) if v]
        if len(given) != 1:
            raise typer.BadParameter("give exactly one of --email, --phone, --account")
        with container(ctx) as c:
            request = c.requests.submit(
                LOCAL_OPERATOR,
                SubmitRequest(
                    kind=kind,
                    channel=channel,
                    identifier_kind=given[0][0],
                    identifier=given[0][1],
                    language=language,
                    note=note,
                    representative_name=representative,
                    representative_authority=authority,
                    representative_document=document,
                    representative_subject_id=representative_subject,
                    correction_category=category,
                    correction_value=value,
                ),
            )
            console.print(
                f"request {request.id} recorded ({request.state.value}), "
                f"due {request.due_on.isoformat()}",
                highlight=False,
            )

    @group.command("verify")
    @handles_errors
    def verify(
        ctx: typer.Context,
        request_id: str,
        send_code: Annotated[
            bool, typer.Option("--send-code", help="Mail a one-time code to the email on file")
        ] = False,
        code: Annotated[str | None, typer.Option(help="The code the individual received")] = None,
        checked: Annotated[
            str | None, typer.Option("--checked", help="Agent's check: how identity was checked")
        ] = None,
        authority_checked: Annotated[
            bool, typer.Option(help="The representative's authority was checked too")
        ] = False,
    ) -> None:
        """Verify the requester's identity (ACC-11): send a code, check it, or record a check."""
        if sum((send_code, code is not None, checked is not None)) != 1:
            raise typer.BadParameter("give one of --send-code, --code, --checked")
        with container(ctx) as c:
            svc = c.requests
            if send_code:
                svc.send_code(LOCAL_OPERATOR, request_id)
                console.print("a code was sent to the email on file", highlight=False)
                return
            if code is not None:
                request = svc.verify_code(request_id, code, LOCAL_OPERATOR)
            else:
                request = svc.verify_by_agent(
                    LOCAL_OPERATOR, request_id, checked or "", authority_checked=authority_checked
                )
            console.print(f"request {request.id} verified", highlight=False)

    @group.command("list")
    @handles_errors
    def list_(
        ctx: typer.Context,
        due_within: Annotated[
            int | None, typer.Option(help="Open requests due within this many days")
        ] = None,
        overdue: Annotated[bool, typer.Option("--overdue", help="Open requests overdue")] = False,
        awaiting_identity: Annotated[
            bool,
            typer.Option(
                "--awaiting-identity",
                help="Individuals' own requests not verified yet (not in the queue; they expire)",
            ),
        ] = False,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """The queue: id, kind, subject, received, due, days left, state."""
        with container(ctx) as c:
            rows = c.requests.listing(
                LOCAL_OPERATOR,
                due_within=due_within,
                overdue=overdue,
                awaiting_identity=awaiting_identity,
            )
        if as_json:
            console.print_json(
                json.dumps(
                    [
                        {
                            "id": r.request.id,
                            "kind": r.request.kind.value,
                            "subject_id": r.request.subject_id,
                            "received": r.request.received_at.isoformat(),
                            "due": r.request.effective_due.isoformat(),
                            "days_left": r.days_left,
                            "overdue": r.overdue,
                            "state": r.request.state.value,
                        }
                        for r in rows
                    ]
                )
            )
            return
        table = Table("id", "kind", "subject", "received", "due", "days left", "state")
        for r in rows:
            table.add_row(
                r.request.id,
                r.request.kind.value,
                r.request.subject_id or "(unmatched)",
                r.request.received_at.date().isoformat(),
                r.request.effective_due.isoformat(),
                f"[red]{r.days_left}[/]" if r.overdue else str(r.days_left),
                r.request.state.value,
            )
        console.print(table)
        console.print(f"{len(rows)} request(s)", highlight=False)

    @group.command("show")
    @handles_errors
    def show(ctx: typer.Context, request_id: str) -> None:
        """One request: state, clock, verification, outcome."""
        with container(ctx) as c:
            _print(c.requests.get(LOCAL_OPERATOR, request_id))

    @group.command("extend")
    @handles_errors
    def extend(
        ctx: typer.Context,
        request_id: str,
        reason: Annotated[str, typer.Option(help="Why more time is needed")],
        days: Annotated[int | None, typer.Option(help="Days added (at most 30)")] = None,
        new_due: Annotated[str | None, typer.Option(help="New due date YYYY-MM-DD")] = None,
        by_letter: Annotated[
            bool, typer.Option("--by-letter", help="The notice is sent by letter (printed here)")
        ] = False,
    ) -> None:
        """The one federal extension (ACC-2), with its notice sent before the first deadline."""
        try:
            due = date.fromisoformat(new_due) if new_due else None
        except ValueError:
            raise typer.BadParameter("use YYYY-MM-DD", param_hint="--new-due") from None
        with container(ctx) as c:
            request, notice = c.requests.extend(
                LOCAL_OPERATOR,
                request_id,
                reason,
                days=days,
                new_due=due,
                notice_by_letter=by_letter,
            )
        console.print(
            f"request {request.id} extended to {request.effective_due.isoformat()}",
            highlight=False,
        )
        if by_letter:
            console.print(notice, highlight=False)

    @group.command("fee")
    @handles_errors
    def fee(
        ctx: typer.Context,
        request_id: str,
        estimate: Annotated[
            int | None, typer.Option(help="Record a fee estimate given to the individual (cents)")
        ] = None,
        accepted: Annotated[
            bool, typer.Option("--accepted", help="The individual accepted the estimate")
        ] = False,
    ) -> None:
        """A fee (ACC-7): none by default; an estimate must be accepted before work proceeds."""
        if (estimate is None) == (not accepted):
            raise typer.BadParameter("give one of --estimate or --accepted")
        with container(ctx) as c:
            svc = c.requests
            if estimate is not None:
                request = svc.estimate_fee(LOCAL_OPERATOR, request_id, estimate)
            else:
                request = svc.accept_fee(LOCAL_OPERATOR, request_id)
        state = "accepted" if request.fee.accepted_at else "waiting for acceptance"
        console.print(
            f"request {request.id}: fee {request.fee.amount_cents} cents, {state}", highlight=False
        )

    @group.command("prepare")
    @handles_errors
    def prepare(
        ctx: typer.Context,
        request_id: str,
        output: Annotated[Path | None, typer.Option(help="Write the prepared file (JSON)")] = None,
    ) -> None:
        """Assemble the subject's file for review (access, portability)."""
        with container(ctx) as c:
            data = c.requests.prepare(LOCAL_OPERATOR, request_id)
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        if output:
            output.write_text(text, encoding="utf-8")
            console.print(f"prepared file written to {output}", highlight=False)
        else:
            console.print_json(text)

    @group.command("release")
    @handles_errors
    def release(
        ctx: typer.Context,
        request_id: str,
        incomplete_ok: Annotated[
            bool, typer.Option("--incomplete-ok", help="Release although a source was unreadable")
        ] = False,
        withheld: Annotated[
            list[str] | None, typer.Option("--withheld", help="Reason something is withheld")
        ] = None,
        output: Annotated[Path | None, typer.Option(help="Write the response to this file")] = None,
        fmt: Annotated[str, typer.Option("--format", help="json, csv, html or pdf")] = "json",
    ) -> None:
        """Release the reviewed file to the individual (state responded)."""
        with container(ctx) as c:
            svc = c.requests
            request = svc.release(
                LOCAL_OPERATOR,
                request_id,
                incomplete_ok=incomplete_ok,
                withheld_reasons=withheld or [],
            )
            outcome = request.outcome.value if request.outcome else ""
            console.print(f"request {request.id} {outcome}", highlight=False)
            if output:
                data, _ = svc.response(LOCAL_OPERATOR, request_id, fmt)
                output.write_bytes(data)
                console.print(f"response written to {output}", highlight=False)

    @group.command("respond")
    @handles_errors
    def respond(
        ctx: typer.Context,
        request_id: str,
        accept: Annotated[bool, typer.Option("--accept/--refuse", help="Accept or refuse")],
        statement: Annotated[
            str | None, typer.Option(help="The individual's statement of disagreement")
        ] = None,
        reason: Annotated[list[str] | None, typer.Option(help="Reason of a refusal")] = None,
    ) -> None:
        """Answer a correction request (ACC-9)."""
        with container(ctx) as c:
            request = c.requests.respond(
                LOCAL_OPERATOR, request_id, accept=accept, statement=statement, reasons=reason or []
            )
        console.print(
            f"request {request.id} {request.outcome.value if request.outcome else ''}",
            highlight=False,
        )

    @group.command("refuse")
    @handles_errors
    def refuse(
        ctx: typer.Context,
        request_id: str,
        reason: Annotated[list[str], typer.Option(help="A reason (repeat)")],
    ) -> None:
        """Refuse in writing, with reasons and recourse (ACC-6); prints the letter."""
        with container(ctx) as c:
            request, letter = c.requests.refuse(LOCAL_OPERATOR, request_id, reason)
        console.print(f"request {request.id} refused", highlight=False)
        console.print(letter, highlight=False)

    @group.command("close")
    @handles_errors
    def close(ctx: typer.Context, request_id: str) -> None:
        """Close an answered request; its legal hold ends (ACC-8)."""
        with container(ctx) as c:
            request = c.requests.close(LOCAL_OPERATOR, request_id)
        console.print(f"request {request.id} closed", highlight=False)
