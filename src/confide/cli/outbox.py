"""``confide outbox`` (every outgoing message: list, show, retry, deliver; letters to post) and
``confide corrections`` (accept, refuse with a statement of disagreement, list statements).

The CLI acts as the local privacy officer. Output names ids, states and error codes; values and
statements appear only where the operator asks for them (``corrections disagreements``).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer

from confide.cli.common import console, container, handles_errors
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.outbox import DeliveryAttempt, DeliveryState, OutboxMessage
from confide.web.labels import message_label


def _label(m: OutboxMessage) -> str:
    return message_label(
        m.kind.value, m.target_type.value, "en", m.channel.value if m.channel else None
    )


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S") if at else "-"


def _as_dict(m: OutboxMessage, attempts: list[DeliveryAttempt] | None = None) -> dict[str, object]:
    out: dict[str, object] = {
        "id": m.id,
        "kind": m.kind.value,
        "label": _label(m),
        "channel": m.channel.value if m.channel else None,
        "target_type": m.target_type.value,
        "target_id": m.target_id,
        "subject_id": m.subject_id,
        "category": m.category,
        "state": m.state.value,
        "attempts": m.attempts,
        "max_attempts": m.max_attempts,
        "next_attempt_at": m.next_attempt_at.isoformat() if m.next_attempt_at else None,
        "last_error": m.last_error,
        "delivered_at": m.delivered_at.isoformat() if m.delivered_at else None,
        "created_at": m.created_at.isoformat(),
        "request_id": m.request_id,
    }
    if attempts is not None:
        out["history"] = [
            {
                "number": a.number,
                "at": a.at.isoformat(),
                "channel": a.channel.value,
                "delivered": a.delivered,
                "error": a.error,
                "status": a.status,
            }
            for a in attempts
        ]
    return out


def register(app: typer.Typer) -> None:
    outbox = typer.Typer(
        help="The outbox: every message owed (corrections, codes, notices, refusals, escalations), "
        "retries, letters to post.",
        no_args_is_help=True,
    )
    app.add_typer(outbox, name="outbox")

    @outbox.command("list")
    @handles_errors
    def list_messages(
        ctx: typer.Context,
        state: Annotated[
            str | None, typer.Option(help="pending, delivered or failed (default: all)")
        ] = None,
        subject: Annotated[str | None, typer.Option(help="Only this subject's messages.")] = None,
        limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
        output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    ) -> None:
        """Outbox messages, oldest first (``--state failed``: those waiting for the officer)."""
        try:
            wanted = DeliveryState(state) if state else None
        except ValueError:
            raise typer.BadParameter("state must be pending, delivered or failed") from None
        with container(ctx) as c:
            found = c.outbox.messages(LOCAL_OPERATOR, state=wanted, subject_id=subject, limit=limit)
        if output == "json":
            console.print_json(json.dumps([_as_dict(m) for m in found]))
            return
        if not found:
            console.print("No outbox messages." if wanted is None else f"No {wanted} messages.")
            return
        for m in found:
            console.print(
                f"{m.id}  {_label(m)}  ({m.target_id})  {m.category or '-'}  "
                f"{m.state.value}  attempts {m.attempts}/{m.max_attempts}  "
                f"next {_when(m.next_attempt_at)}  {m.last_error or '-'}",
                highlight=False,
                markup=False,
            )
        if any(m.state is DeliveryState.FAILED for m in found):
            console.print(
                "`confide outbox retry ID` gives a failed message a fresh set of attempts."
            )

    @outbox.command("show")
    @handles_errors
    def show(ctx: typer.Context, message_id: str) -> None:
        """One message's state and every delivery attempt (never its payload)."""
        with container(ctx) as c:
            view = c.outbox.message(LOCAL_OPERATOR, message_id)
        console.print_json(json.dumps(_as_dict(view.message, view.attempts)))

    @outbox.command("retry")
    @handles_errors
    def retry(ctx: typer.Context, message_id: str) -> None:
        """Give a failed message a fresh set of attempts, the first one due now."""
        with container(ctx) as c:
            m = c.outbox.retry(LOCAL_OPERATOR, message_id)
        console.print(f"Message {m.id} is pending again ({m.max_attempts - m.attempts} attempts).")

    @outbox.command("letters")
    @handles_errors
    def letters(ctx: typer.Context) -> None:
        """Letters waiting to be printed and posted (``letter ID`` prints one)."""
        with container(ctx) as c:
            found = c.outbox.letters(LOCAL_OPERATOR)
        if not found:
            console.print("No letters to post.")
        for m in found:
            console.print(
                f"{m.id}  {_label(m)}  request {m.request_id or '-'}  {_when(m.created_at)}",
                highlight=False,
                markup=False,
            )

    @outbox.command("letter")
    @handles_errors
    def letter(ctx: typer.Context, message_id: str) -> None:
        """Print a letter's subject line and text, to post it (the reading is audited)."""
        with container(ctx) as c:
            found = c.outbox.letter(LOCAL_OPERATOR, message_id)
        console.print(f"{found.title}\n\n{found.text}", highlight=False, markup=False)

    @outbox.command("posted")
    @handles_errors
    def posted(ctx: typer.Context, message_id: str) -> None:
        """Record that a letter was printed and posted."""
        with container(ctx) as c:
            m = c.outbox.mark_posted(LOCAL_OPERATOR, message_id)
        console.print(f"Letter {m.id} recorded as sent.")

    @outbox.command("deliver")
    @handles_errors
    def deliver(
        ctx: typer.Context, limit: Annotated[int, typer.Option(min=1, max=1000)] = 50
    ) -> None:
        """Attempt now every message that is due (what the worker's delivery job does)."""
        with container(ctx) as c:
            report = c.outbox.deliver_due(LOCAL_OPERATOR, limit=limit)
        console.print(
            f"{len(report.delivered)} delivered, {len(report.retrying)} to retry, "
            f"{len(report.failed)} failed."
        )

    @outbox.command("endpoint")
    @handles_errors
    def endpoint(
        ctx: typer.Context,
        recipient_id: str,
        url: Annotated[
            str | None, typer.Argument(help="https webhook URL; omit with --remove")
        ] = None,
        remove: Annotated[bool, typer.Option("--remove", help="Remove the webhook.")] = False,
        show: Annotated[
            bool, typer.Option("--show", help="Print the webhook and its signing secret.")
        ] = False,
    ) -> None:
        """Set where a recipient takes corrections (a webhook, signed with a new secret printed
        once set); without one, email to its contact. ``--show`` prints the current one."""
        if sum((url is not None, remove, show)) != 1:
            raise typer.BadParameter("give a URL, --remove or --show")
        with container(ctx) as c:
            if not show:
                c.outbox.set_endpoint(LOCAL_OPERATOR, recipient_id, None if remove else url)
            current = c.outbox.endpoint(LOCAL_OPERATOR, recipient_id)
            secret = c.outbox.signing_secret(LOCAL_OPERATOR, recipient_id) if current else None
        if current is None:
            console.print(f"Recipient {recipient_id}: no webhook (email to its contact).")
            return
        console.print(f"Recipient {recipient_id}: webhook {current}", highlight=False, markup=False)
        console.print(
            f"Signing secret (give it to the recipient): {secret}", highlight=False, markup=False
        )

    corrections = typer.Typer(
        help="Corrections (ACC-9): accept one (applied and sent), refuse one (statement kept).",
        no_args_is_help=True,
    )
    app.add_typer(corrections, name="corrections")

    @corrections.command("accept")
    @handles_errors
    def accept(
        ctx: typer.Context,
        subject_id: str,
        category: str,
        value: Annotated[str, typer.Option(prompt=True, help="The corrected value.")],
        reason: Annotated[str | None, typer.Option(help="Why it is corrected.")] = None,
        request: Annotated[str | None, typer.Option(help="The request it answers.")] = None,
        record: Annotated[str | None, typer.Option(help="Which value, if several.")] = None,
    ) -> None:
        """Apply a correction in Confide and writable sources; queue it to every recipient."""
        with container(ctx) as c:
            out = c.corrections.accept(
                LOCAL_OPERATOR,
                subject_id,
                category,
                value,
                request_id=request,
                reason=reason,
                record_id=record,
            )
        console.print(
            f"Correction applied ({len(out.applied)} value(s) in Confide); "
            f"queued to {len(out.recipients_queued)} recipient(s).",
            highlight=False,
        )
        for s in out.sources:
            console.print(
                f"  source {s.source}: {s.state}" + (f" ({s.error})" if s.error else ""),
                highlight=False,
                markup=False,
            )
        if out.unknown_recipients:
            console.print(
                "  disclosed to recipient classes without a named recipient: "
                + ", ".join(out.unknown_recipients),
                highlight=False,
                markup=False,
            )

    @corrections.command("refuse")
    @handles_errors
    def refuse(
        ctx: typer.Context,
        subject_id: str,
        category: str,
        statement: Annotated[
            str, typer.Option(prompt=True, help="The individual's statement of disagreement.")
        ],
        request: Annotated[str | None, typer.Option(help="The request it answers.")] = None,
    ) -> None:
        """Refuse a correction: keep the statement of disagreement with the file and send it on."""
        with container(ctx) as c:
            out = c.corrections.refuse(
                LOCAL_OPERATOR, subject_id, category, statement=statement, request_id=request
            )
        console.print(
            f"Statement {out.disagreement.id} kept with the file; "
            f"queued to {len(out.recipients_queued)} recipient(s).",
            highlight=False,
        )

    @corrections.command("disagreements")
    @handles_errors
    def disagreements(
        ctx: typer.Context,
        subject_id: str,
        output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    ) -> None:
        """The statements of disagreement attached to a subject's file."""
        with container(ctx) as c:
            found = c.corrections.disagreements(LOCAL_OPERATOR, subject_id)
        rows = [
            {
                "id": d.id,
                "category": d.category,
                "statement": d.statement,
                "recorded_at": d.recorded_at.isoformat(),
                "recorded_by": d.recorded_by,
                "request_id": d.request_id,
            }
            for d in found
        ]
        if output == "json":
            console.print_json(json.dumps(rows))
            return
        if not rows:
            console.print("No statements of disagreement.")
        for r in rows:
            console.print(
                f"{r['id']}  {r['category']}  {r['recorded_at']}  {r['statement']}",
                highlight=False,
                markup=False,
            )
