"""``confide recipients``, ``confide disclose`` and ``confide disclosures``: the recipients
register, checked and recorded disclosures (one subject or a CSV file), the account of
disclosures and the cross-border register (DIS-1..5, ACC-4).

Exit codes: 1 for a refused disclosure or invalid input (the reasons are printed), 0 when a
bulk file was processed, whatever the number of refused rows (they are listed).
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from confide.cli.common import console, container, err_console, existing_file, handles_errors
from confide.domain.access import LOCAL_OPERATOR
from confide.services.disclosures import (
    BulkRowOutcome,
    DisclosureNotAllowed,
    DisclosureRequest,
    NoticeSent,
    RecipientInput,
    read_bulk_csv,
    read_history_csv,
)


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint=option) from None


def _evidence(values: list[str]) -> dict[str, object]:
    """``--evidence REF`` names the evidence's reference; ``--evidence field=value`` any field."""
    out: dict[str, object] = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if sep and key.strip():
            out[key.strip()] = rest.strip()
        else:
            out["reference"] = value.strip()
    return out


def register(app: typer.Typer) -> None:
    recipients = typer.Typer(
        help="The recipients register: organizations information is disclosed to.",
        no_args_is_help=True,
    )
    app.add_typer(recipients, name="recipients")
    disclosures = typer.Typer(
        help="The disclosure ledger: account of disclosures, cross-border register.",
        no_args_is_help=True,
    )
    app.add_typer(disclosures, name="disclosures")

    @recipients.command("add")
    @handles_errors
    def add(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="The organization's name (unique)")],
        class_id: Annotated[str, typer.Option("--class", help="Recipient class of the policy")],
        country: Annotated[str, typer.Option(help="ISO country code where it processes")] = "CA",
        province: Annotated[str | None, typer.Option(help="Province code (Canada)")] = None,
        contact: Annotated[str | None, typer.Option()] = None,
        category: Annotated[
            list[str] | None, typer.Option(help="A category it may receive (repeat)")
        ] = None,
        purpose: Annotated[list[str] | None, typer.Option(help="A purpose (repeat)")] = None,
        agreement_ref: Annotated[str | None, typer.Option(help="Written agreement")] = None,
        agreement_signed: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
        agreement_expires: Annotated[str | None, typer.Option(help="Last day in force")] = None,
        safeguards: Annotated[str | None, typer.Option(help="Its safeguards")] = None,
        assessment_ref: Annotated[str | None, typer.Option(help="Impact assessment")] = None,
        assessment_date: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
        correction_endpoint: Annotated[
            str | None, typer.Option(help="https webhook for corrections (ACC-9)")
        ] = None,
    ) -> None:
        """Register a recipient organization."""
        data = RecipientInput(
            name=name,
            class_id=class_id,
            country=country,
            province=province,
            contact=contact,
            categories=tuple(category or ()),
            purposes=tuple(purpose or ()),
            agreement_ref=agreement_ref,
            agreement_signed=_date(agreement_signed, "--agreement-signed"),
            agreement_expires=_date(agreement_expires, "--agreement-expires"),
            safeguards=safeguards,
            assessment_ref=assessment_ref,
            assessment_date=_date(assessment_date, "--assessment-date"),
            correction_endpoint=correction_endpoint,
        )
        with container(ctx) as c:
            r = c.disclosures.add_recipient(LOCAL_OPERATOR, data)
        console.print(f"Registered recipient [bold]{r.id}[/] ({r.class_id}, {r.place.label()}).")

    @recipients.command("list")
    @handles_errors
    def list_(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
        """The recipients register."""
        with container(ctx) as c:
            found = c.disclosures.recipients(LOCAL_OPERATOR)
        if as_json:
            typer.echo(
                json.dumps(
                    [
                        {
                            "id": r.id,
                            "name": r.name,
                            "class_id": r.class_id,
                            "place": r.place.label(),
                            "agreement": r.agreement.reference if r.agreement else None,
                        }
                        for r in found
                    ],
                    indent=2,
                )
            )
            return
        table = Table("id", "name", "class", "place", "agreement", "assessment")
        for r in found:
            table.add_row(
                r.id,
                r.name,
                r.class_id,
                r.place.label(),
                r.agreement.reference if r.agreement else "",
                r.impact_assessment.reference if r.impact_assessment else "",
            )
        console.print(table)

    @app.command("disclose")
    @handles_errors
    def disclose(
        ctx: typer.Context,
        subject: Annotated[str | None, typer.Argument(help="Subject id (or --bulk FILE)")] = None,
        recipient: Annotated[str, typer.Option(help="Recipient id")] = "",
        purpose: Annotated[str, typer.Option(help="Purpose id")] = "",
        category: Annotated[
            list[str] | None, typer.Option(help="A category to disclose (repeat)")
        ] = None,
        exception: Annotated[
            str | None, typer.Option(help="Exception code (DIS-2); none: consent")
        ] = None,
        evidence: Annotated[
            list[str] | None,
            typer.Option(help="Evidence: its reference, or field=value (repeat)"),
        ] = None,
        bulk: Annotated[
            Path | None, typer.Option(help="CSV file: subject_id[,evidence columns]")
        ] = None,
        out: Annotated[
            Path | None, typer.Option(help="Bulk: write every row's outcome to this CSV")
        ] = None,
        decide_only: Annotated[
            bool, typer.Option("--decide-only", help="Record the decision, not a disclosure")
        ] = False,
    ) -> None:
        """Check a disclosure and, if allowed, record it; or check and record a bulk file."""
        if not recipient or not purpose or not category:
            raise typer.BadParameter("--recipient, --purpose and --category are required")
        if (subject is None) == (bulk is None):
            raise typer.BadParameter("give a SUBJECT or --bulk FILE (not both)")
        fields = _evidence(evidence or [])
        if bulk is not None:
            _bulk(ctx, existing_file(bulk), recipient, purpose, category, exception, fields, out)
            return
        assert subject is not None
        req = DisclosureRequest(
            subject, recipient, purpose, tuple(category), exception, fields or None
        )
        with container(ctx) as c:
            if decide_only:
                r = c.disclosures.decide(LOCAL_OPERATOR, req)
                d = r.decision
                verdict = "[green]allowed[/]" if d.allowed else "[red]refused[/]"
                console.print(f"Decision {r.id}: {verdict} ({', '.join(d.rules)}). {d.explanation}")
                for f in d.findings:
                    console.print(
                        f"  {f.reason} [{f.rule}] {', '.join(f.details)}", highlight=False
                    )
                if not d.allowed:
                    raise typer.Exit(1)
                return
            try:
                o = c.disclosures.disclose(LOCAL_OPERATOR, req)
            except DisclosureNotAllowed as exc:
                err_console.print(
                    f"[bold red]refused[/] (decision {exc.decision_id}): "
                    f"{exc.decision.explanation}",
                    highlight=False,
                )
                for f in exc.decision.findings:
                    err_console.print(
                        f"  {f.reason} [{f.rule}] {', '.join(f.details)}", highlight=False
                    )
                raise typer.Exit(1) from None
        console.print(
            f"Recorded disclosure [bold]{o.disclosure_id}[/] (decision {o.decision_id}, "
            f"basis {o.record.legal_basis})."
        )
        for n in o.notices:
            console.print(f"Written notice {n.id} owed to the individual by {n.due_at.date()}.")

    def _bulk(
        ctx: typer.Context,
        file: Path,
        recipient: str,
        purpose: str,
        category: list[str],
        exception: str | None,
        fields: dict[str, object],
        out: Path | None,
    ) -> None:
        with file.open(encoding="utf-8-sig", newline="") as f:
            total = max(sum(1 for _ in f) - 1, 0)
        sink = out.open("w", encoding="utf-8", newline="") if out else None
        writer = csv.writer(sink) if sink else None
        if writer:
            writer.writerow(
                ["line", "subject_id", "allowed", "decision_id", "disclosure_id", "reasons"]
            )

        def on_row(row: BulkRowOutcome) -> None:
            if writer:
                writer.writerow(
                    [
                        row.line,
                        row.subject_id,
                        "yes" if row.allowed else "no",
                        row.decision_id or "",
                        row.disclosure_id or "",
                        ";".join(row.reasons),
                    ]
                )

        try:
            with (
                container(ctx) as c,
                file.open(encoding="utf-8-sig", newline="") as lines,
                Progress(
                    TextColumn("checking"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=err_console,
                    transient=True,
                ) as progress,
            ):
                task = progress.add_task("bulk", total=total)
                result = c.disclosures.bulk_disclose(
                    LOCAL_OPERATOR,
                    recipient,
                    purpose,
                    category,
                    read_bulk_csv(lines),
                    exception=exception,
                    evidence=fields,
                    on_row=on_row,
                    on_progress=lambda n: progress.update(task, completed=n),
                )
        finally:
            if sink:
                sink.close()
        console.print(
            f"Bulk {result.bulk_id}: {result.allowed} recorded, {result.refused} refused"
            f" (of {result.total}); {result.notices} written notice(s) owed.",
            highlight=False,
        )
        for reason, n in sorted(result.by_reason.items()):
            console.print(f"  {reason}: {n}", highlight=False)
        for row in result.refused_rows[:20]:
            console.print(
                f"  line {row.line} {row.subject_id}: {', '.join(row.reasons)}", highlight=False
            )
        if len(result.refused_rows) > 20:
            hint = f" (every row is in {out})" if out else " (use --out FILE for every row)"
            console.print(f"  ... {len(result.refused_rows) - 20} more refused{hint}")

    @disclosures.command("account")
    @handles_errors
    def account(
        ctx: typer.Context,
        subject: Annotated[str, typer.Argument(help="Subject id")],
        lang: Annotated[str | None, typer.Option(help="en or fr")] = None,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """To whom the subject's information was disclosed, and when (ACC-4)."""
        with container(ctx) as c:
            view = c.disclosures.account(LOCAL_OPERATOR, subject)
        body = view.to_dict(lang)
        if as_json:
            typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
            return
        table = Table("recipient", "class", "date", "categories", "purpose", "basis")
        for r in view.account.recipients:
            for line in r.lines:
                table.add_row(
                    r.name,
                    r.recipient_class,
                    line.at.date().isoformat(),
                    ", ".join(line.categories),
                    line.purpose_id,
                    line.legal_basis,
                )
        console.print(table)
        console.print(f"{view.account.disclosure_count} disclosure(s) recorded.")
        for p in view.account.may_have_been_disclosed_to:
            console.print(f"May have been disclosed to: {p.recipient_class}")

    @disclosures.command("notices")
    @handles_errors
    def notices(
        ctx: typer.Context,
        status: Annotated[
            str | None, typer.Option(help="open, overdue or sent (default: all)")
        ] = None,
        subject: Annotated[str | None, typer.Option(help="Only this subject's notices")] = None,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Written notices owed to individuals after emergency disclosures, by deadline."""
        with container(ctx) as c:
            found = c.disclosures.notices(LOCAL_OPERATOR, subject, status)
            states = [str(c.disclosures.notice_status(n)) for n in found]
        if as_json:
            typer.echo(
                json.dumps(
                    [
                        {
                            "id": n.id,
                            "subject_id": n.subject_id,
                            "disclosure_id": n.disclosure_id,
                            "due_at": n.due_at.isoformat(),
                            "status": state,
                            "sent_at": n.done_at.isoformat() if n.done_at else None,
                            "sent_via": n.sent_via,
                            "sent_by": n.sent_by,
                            "sent_reference": n.sent_reference,
                        }
                        for n, state in zip(found, states, strict=True)
                    ],
                    indent=2,
                )
            )
            return
        table = Table("id", "subject", "due", "status", "sent", "via", "by")
        for n, state in zip(found, states, strict=True):
            colour = {"overdue": "red", "open": "yellow"}.get(state, "green")
            table.add_row(
                n.id,
                n.subject_id,
                n.due_at.date().isoformat(),
                f"[{colour}]{state}[/]",
                n.done_at.date().isoformat() if n.done_at else "",
                n.sent_via or "",
                n.sent_by or "",
            )
        console.print(table)
        overdue = states.count("overdue")
        console.print(f"{len(found)} notice(s); {overdue} overdue.", highlight=False)

    @disclosures.command("notice-sent")
    @handles_errors
    def notice_sent(
        ctx: typer.Context,
        notice: Annotated[str, typer.Argument(help="Notice id")],
        method: Annotated[str, typer.Option("--via", help="mail, email, portal or in_person")],
        sent_at: Annotated[
            str | None, typer.Option("--at", help="When sent, ISO 8601 with zone (default: now)")
        ] = None,
        sent_by: Annotated[str | None, typer.Option("--by", help="Who sent it")] = None,
        reference: Annotated[str | None, typer.Option(help="Tracking number or message id")] = None,
    ) -> None:
        """Close a written notice: record when, how and by whom it was sent."""
        when = None
        if sent_at is not None:
            try:
                when = datetime.fromisoformat(sent_at)
            except ValueError:
                raise typer.BadParameter("use ISO 8601, e.g. 2026-11-30T10:00:00+00:00") from None
        with container(ctx) as c:
            n = c.disclosures.close_notice(
                LOCAL_OPERATOR, notice, NoticeSent(method, when, sent_by, reference)
            )
        assert n.done_at is not None
        late = " (after its deadline)" if n.done_at > n.due_at else ""
        console.print(
            f"Notice {n.id} recorded as sent by {n.sent_via} on {n.done_at.date()}{late}.",
            highlight=False,
        )

    @disclosures.command("import-history")
    @handles_errors
    def import_history(
        ctx: typer.Context,
        file: Annotated[
            Path,
            typer.Argument(
                help="CSV: subject_id,recipient_class,disclosed_at,categories,purpose,basis"
                "[,evidence_reference]"
            ),
        ],
    ) -> None:
        """Import historical disclosures known only by recipient class, all or nothing."""
        with (
            container(ctx) as c,
            existing_file(file).open(encoding="utf-8-sig", newline="") as lines,
        ):
            result = c.disclosures.import_history(LOCAL_OPERATOR, read_history_csv(lines))
        console.print(
            f"Import {result.import_id}: {result.recorded} historical disclosure(s) recorded.",
            highlight=False,
        )
        for class_id, n in sorted(result.by_class.items()):
            console.print(f"  {class_id}: {n}", highlight=False)

    @disclosures.command("cross-border")
    @handles_errors
    def cross_border(
        ctx: typer.Context,
        fmt: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
        lang: Annotated[str, typer.Option(help="en or fr")] = "en",
        output: Annotated[Path | None, typer.Option("--out", help="Write to this file")] = None,
    ) -> None:
        """The cross-border register: what is processed outside Québec and Canada, by whom."""
        with container(ctx) as c:
            found = c.disclosures.cross_border(LOCAL_OPERATOR, fmt, lang)
        text = found if isinstance(found, str) else json.dumps(found, indent=2, ensure_ascii=False)
        if output:
            output.write_text(text, encoding="utf-8")
            console.print(f"Wrote the cross-border register to {output}.")
        else:
            typer.echo(text, nl=not text.endswith("\n"))
