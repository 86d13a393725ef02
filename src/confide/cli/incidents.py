"""``confide incidents``: the breach register (BRE-1..5), as the local privacy officer.

``record`` an incident (a title is enough to start), ``amend`` its facts, ``link`` the people
affected (``--category/--system/--source`` query, or ``--list FILE`` of identifiers), ``show``
what it still lacks, ``assess`` it (BRE-2), ``plan`` a report's target date, ``sent`` to record a
report or notification, ``notify`` the people affected through the outbox, ``public-notice``
(BRE-4), ``report`` a regulator's report as JSON or PDF, ``close``, ``list``, ``export`` the
register (CSV, PDF, JSON-LD), and ``dispose`` of records kept long enough (BRE-5).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from confide.adapters.rendering.breach_report import (
    register_jsonld,
    register_pdf,
    report_json,
    report_pdf,
)
from confide.adapters.rendering.csv_rows import rows_csv
from confide.cli.common import console, container, handles_errors
from confide.domain.access import LOCAL_OPERATOR
from confide.services.breaches import (
    AssessIncident,
    IncidentFacts,
    IncidentView,
    NotifyIndividuals,
    PlanNotice,
    PublicNotice,
    RecordSent,
)
from confide.services.breaches.export import register_entries, register_rows
from confide.services.ports.breaches import AffectedQuery, RegisterFilter

Day = Annotated[date | None, typer.Option(formats=["%Y-%m-%d"])]
_Csv = Annotated[str | None, typer.Option(help="Comma-separated.")]


def _split(value: str | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(v.strip() for v in value.split(",") if v.strip())


def _day(value: datetime | date | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _show(v: IncidentView) -> None:
    i = v.incident
    console.print(f"[bold]{i.reference}[/] {i.title} ({i.status.value})", highlight=False)
    console.print(
        f"aware on {i.aware_on}; people linked {v.affected} (Québec {v.affected_quebec}), "
        f"notified {v.notified}; kept until {i.keep_until or 'not yet known'}",
        highlight=False,
    )
    console.print(
        "missing from the register: " + (", ".join(v.missing) or "nothing"), highlight=False
    )
    a = v.assessment
    if a is None:
        console.print("not assessed yet (BRE-2)", highlight=False)
    else:
        console.print(
            f"assessed {a.decided_at:%Y-%m-%d} by {a.decided_by}: real risk "
            f"{'yes' if a.real_risk else 'no'} (Confide proposed "
            f"{'yes' if a.proposed_real_risk else 'no'})",
            highlight=False,
        )
    console.print("still owed: " + (", ".join(v.outstanding) or "nothing"), highlight=False)
    for n in v.notices:
        state = f"sent {n.sent_on}" if n.sent_on else f"target {n.target_on or '-'}"
        console.print(f"  {n.kind.value} {n.party} {state}", highlight=False)


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="The breach register (BRE-1..5): incidents, assessments, reports and notices.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="incidents")

    def facts(
        title: str | None,
        reported_by: str | None,
        aware_on: date | None,
        circumstances: str | None,
        cause: str | None,
        occurred_from: date | None,
        occurred_to: date | None,
        approximate: bool | None,
        categories: str | None,
        unknown_information: str | None,
        systems: str | None,
        affected: int | None,
        measures: str | None,
        individual_steps: str | None,
    ) -> IncidentFacts:
        return IncidentFacts(
            title=title,
            reported_by=reported_by,
            aware_on=_day(aware_on),
            circumstances=circumstances,
            cause=cause,
            occurred_from=_day(occurred_from),
            occurred_to=_day(occurred_to),
            occurred_approximate=approximate,
            categories=_split(categories),
            unknown_information=unknown_information,
            systems=_split(systems),
            affected_estimate=affected,
            measures=measures,
            individual_steps=individual_steps,
        )

    @group.command("record")
    @handles_errors
    def record(
        ctx: typer.Context,
        title: Annotated[str, typer.Option(help="A short title.")],
        reported_by: Annotated[
            str, typer.Option(help="staff, individual, supplier, other")
        ] = "staff",
        aware_on: Day = None,
        circumstances: Annotated[str | None, typer.Option()] = None,
        cause: Annotated[str | None, typer.Option()] = None,
        occurred_from: Day = None,
        occurred_to: Day = None,
        approximate: Annotated[bool, typer.Option("--approximate")] = False,
        categories: _Csv = None,
        unknown_information: Annotated[str | None, typer.Option()] = None,
        systems: _Csv = None,
        affected: Annotated[int | None, typer.Option(help="Estimated number of people.")] = None,
        measures: Annotated[str | None, typer.Option()] = None,
        individual_steps: Annotated[str | None, typer.Option()] = None,
    ) -> None:
        """Record an incident, whatever its severity (BRE-1)."""
        cmd = facts(
            title, reported_by, aware_on, circumstances, cause, occurred_from, occurred_to,
            approximate, categories, unknown_information, systems, affected, measures,
            individual_steps,
        )  # fmt: skip
        with container(ctx) as c:
            incident = c.breaches.record(LOCAL_OPERATOR, cmd)
        console.print(f"incident {incident.reference} recorded ({incident.id})", highlight=False)

    @group.command("amend")
    @handles_errors
    def amend(
        ctx: typer.Context,
        incident: Annotated[str, typer.Argument(help="Reference or id.")],
        title: Annotated[str | None, typer.Option()] = None,
        reported_by: Annotated[str | None, typer.Option()] = None,
        aware_on: Day = None,
        circumstances: Annotated[str | None, typer.Option()] = None,
        cause: Annotated[str | None, typer.Option()] = None,
        occurred_from: Day = None,
        occurred_to: Day = None,
        approximate: Annotated[bool | None, typer.Option("--approximate/--exact")] = None,
        categories: _Csv = None,
        unknown_information: Annotated[str | None, typer.Option()] = None,
        systems: _Csv = None,
        affected: Annotated[int | None, typer.Option()] = None,
        measures: Annotated[str | None, typer.Option()] = None,
        individual_steps: Annotated[str | None, typer.Option()] = None,
    ) -> None:
        """Amend an open incident's facts (only the options given change)."""
        cmd = facts(
            title, reported_by, aware_on, circumstances, cause, occurred_from, occurred_to,
            approximate, categories, unknown_information, systems, affected, measures,
            individual_steps,
        )  # fmt: skip
        with container(ctx) as c:
            done = c.breaches.amend(LOCAL_OPERATOR, incident, cmd)
            view = c.breaches.view(LOCAL_OPERATOR, done.id)
        _show(view)

    @group.command("link")
    @handles_errors
    def link(
        ctx: typer.Context,
        incident: Annotated[str, typer.Argument(help="Reference or id.")],
        categories: _Csv = None,
        systems: _Csv = None,
        sources: _Csv = None,
        held_from: Annotated[datetime | None, typer.Option(help="ISO time with zone")] = None,
        held_to: Annotated[datetime | None, typer.Option(help="ISO time with zone")] = None,
        list_file: Annotated[
            Path | None, typer.Option("--list", help="One identifier a line (email:..., ...)")
        ] = None,
    ) -> None:
        """Link the people affected: by a query over what Confide knows, or by a list."""
        with container(ctx) as c:
            if list_file is not None:
                added = c.breaches.link_by_list(
                    LOCAL_OPERATOR, incident, list_file.read_text("utf-8")
                )
            else:
                query = AffectedQuery(
                    _split(categories) or (),
                    _split(systems) or (),
                    _split(sources) or (),
                    held_from,
                    held_to,
                )
                added = c.breaches.link_by_query(LOCAL_OPERATOR, incident, query)
            view = c.breaches.view(LOCAL_OPERATOR, incident)
        per = ", ".join(f"{x.province} {x.people}" for x in view.counts)
        console.print(f"{added} people linked; in all {view.affected} ({per})", highlight=False)

    @group.command("show")
    @handles_errors
    def show(
        ctx: typer.Context,
        incident: Annotated[str, typer.Argument(help="Reference or id.")],
    ) -> None:
        """The incident, what the register still lacks, its assessment and notices."""
        with container(ctx) as c:
            _show(c.breaches.view(LOCAL_OPERATOR, incident))

    @group.command("assess")
    @handles_errors
    def assess(
        ctx: typer.Context,
        incident: Annotated[str, typer.Argument(help="Reference or id.")],
        factors: Annotated[str, typer.Option(help="Comma-separated factor ids.")],
        reason: Annotated[str, typer.Option(help="Why the officer decides so.")],
        real_risk: Annotated[bool, typer.Option("--real-risk/--no-real-risk")],
        note: Annotated[str, typer.Option(help="More on the factors.")] = "",
        determined_on: Day = None,
        serious_injury: Annotated[
            bool | None, typer.Option("--serious-injury/--no-serious-injury")
        ] = None,
        ill_intentioned_uses: Annotated[str, typer.Option()] = "",
        consequences: Annotated[str, typer.Option()] = "",
        likelihood: Annotated[str | None, typer.Option(help="low, medium, high")] = None,
    ) -> None:
        """Record the risk assessment and the decision (BRE-2)."""
        cmd = AssessIncident(
            factors=_split(factors) or (),
            real_risk=real_risk,
            decision_reason=reason,
            factors_note=note,
            determined_on=_day(determined_on),
            serious_injury=serious_injury,
            ill_intentioned_uses=ill_intentioned_uses,
            consequences=consequences,
            likelihood=likelihood,
        )
        with container(ctx) as c:
            a = c.breaches.assess(LOCAL_OPERATOR, incident, cmd)
            view = c.breaches.view(LOCAL_OPERATOR, incident)
        console.print(
            f"assessed: real risk {'yes' if a.real_risk else 'no'} (proposed "
            f"{'yes' if a.proposed_real_risk else 'no'})",
            highlight=False,
        )
        _show(view)

    @group.command("plan")
    @handles_errors
    def plan(
        ctx: typer.Context,
        incident: Annotated[str, typer.Argument(help="Reference or id.")],
        kind: Annotated[
            str, typer.Option(help="opc_report, cai_notice, individuals, organization")
        ],
        target: Annotated[date, typer.Option(formats=["%Y-%m-%d"], help="Send by this day.")],
        party: Annotated[str, typer.Option(help="The organization (for organization).")] = "",
    ) -> None:
        """Set the day a report or notice is to be sent by."""
        with container(ctx) as c:
            n = c.breaches.plan(LOCAL_OPERATOR, incident, PlanNotice(kind, _day(target), party))
        console.print(f"{n.kind.value} {n.party} to send by {n.target_on}", highlight=False)

    @group.command("sent")
    @handles_errors
    def sent(
        ctx: typer.Context,
        incident: Annotated[str, typer.Argument(help="Reference or id.")],
        kind: Annotated[str, typer.Option(help="opc_report, cai_notice or organization")],
        on: Day = None,
        reference: Annotated[str, typer.Option(help="File number, or how it was sent.")] = "",
        party: Annotated[str, typer.Option(help="The organization notified.")] = "",
    ) -> None:
        """Record a report to a regulator, or a notification to an organization, as sent."""
        with container(ctx) as c:
            n = c.breaches.record_sent(
                LOCAL_OPERATOR, incident, kind, RecordSent(_day(on), reference), party
            )
        console.print(f"{n.kind.value} {n.party} sent on {n.sent_on}", highlight=False)

    @group.command("notify")
    @handles_errors
    def notify(
        ctx: typer.Context,
        incident: Annotated[str, typer.Argument(help="Reference or id.")],
        contact: Annotated[
            str | None, typer.Option(help="Whom to contact (default: the privacy officer).")
        ] = None,
    ) -> None:
        """Compose each linked person's notice into the outbox, in their language."""
        with container(ctx) as c:
            n = c.breaches.notify_individuals(LOCAL_OPERATOR, incident, NotifyIndividuals(contact))
        console.print(f"{n.count} notices composed into the outbox", highlight=False)

    @group.command("public-notice")
    @handles_errors
    def public_notice(
        ctx: typer.Context,
        incident: Annotated[str, typer.Argument(help="Reference or id.")],
        reason: Annotated[str, typer.Option(help="further_harm, undue_hardship, no_contact")],
        explanation: Annotated[str, typer.Option()],
        how: Annotated[str, typer.Option(help="Where it was published.")],
        on: Day = None,
    ) -> None:
        """Record an indirect notice given instead of direct ones (BRE-4)."""
        with container(ctx) as c:
            c.breaches.public_notice(
                LOCAL_OPERATOR, incident, PublicNotice(reason, explanation, how, _day(on))
            )
        console.print("public notice recorded", highlight=False)

    @group.command("report")
    @handles_errors
    def report(
        ctx: typer.Context,
        incident: Annotated[str, typer.Argument(help="Reference or id.")],
        kind: Annotated[str, typer.Option(help="opc_report, cai_notice or individuals")],
        lang: Annotated[str, typer.Option(help="en or fr")] = "en",
        pdf: Annotated[Path | None, typer.Option(help="Write a PDF here.")] = None,
    ) -> None:
        """A report assembled with what its regulation lists (JSON on stdout, or a PDF)."""
        with container(ctx) as c:
            found, sections, missing = c.breaches.report(LOCAL_OPERATOR, incident, kind, lang)
        if pdf is not None:
            pdf.write_bytes(report_pdf(found, kind, sections, missing, lang))
            console.print(f"written {pdf}", highlight=False)
        else:
            typer.echo(report_json(found, kind, sections, missing, lang).decode())
        if missing:
            console.print("missing: " + ", ".join(missing), highlight=False)

    @group.command("close")
    @handles_errors
    def close(
        ctx: typer.Context, incident: Annotated[str, typer.Argument(help="Reference or id.")]
    ) -> None:
        """Close an incident (refused without an assessment or with reports still owed)."""
        with container(ctx) as c:
            done = c.breaches.close(LOCAL_OPERATOR, incident)
        console.print(
            f"incident {done.reference} closed; kept until {done.keep_until}", highlight=False
        )

    @group.command("list")
    @handles_errors
    def list_incidents(
        ctx: typer.Context,
        open_only: Annotated[bool, typer.Option("--open")] = False,
        late: Annotated[bool, typer.Option("--late", help="With a report or notice late.")] = False,
        output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    ) -> None:
        """The register, newest first."""
        with container(ctx) as c:
            flt = RegisterFilter(
                status="open" if open_only else None,
                late_on=c.ctx.now().date() if late else None,
            )
            rows = c.breaches.register(LOCAL_OPERATOR, flt, limit=1000)
        if output == "json":
            typer.echo(
                json.dumps(
                    [
                        {
                            "reference": r.incident.reference,
                            "title": r.incident.title,
                            "status": r.incident.status.value,
                            "aware_on": r.incident.aware_on.isoformat(),
                            "real_risk": r.assessment.real_risk if r.assessment else None,
                            "late": [n.kind.value for n in r.late],
                        }
                        for r in rows
                    ],
                    indent=2,
                    ensure_ascii=False,
                )
            )
            return
        table = Table("reference", "title", "status", "aware on", "real risk", "late")
        for r in rows:
            risk = "-" if r.assessment is None else ("yes" if r.assessment.real_risk else "no")
            table.add_row(
                r.incident.reference,
                r.incident.title,
                r.incident.status.value,
                r.incident.aware_on.isoformat(),
                risk,
                ", ".join(n.kind.value for n in r.late) or "-",
            )
        console.print(table)
        console.print(f"{len(rows)} incident(s)", highlight=False)

    @group.command("export")
    @handles_errors
    def export(
        ctx: typer.Context,
        out: Annotated[Path, typer.Argument(help="File to write (.csv, .pdf or .jsonld).")],
        lang: Annotated[str, typer.Option(help="en or fr")] = "en",
    ) -> None:
        """The whole register for a regulator: CSV, PDF or JSON-LD (by the file's extension)."""
        suffix = out.suffix.lower()
        if suffix not in (".csv", ".pdf", ".jsonld"):
            raise typer.BadParameter("the file must end in .csv, .pdf or .jsonld")
        with container(ctx) as c:
            if suffix == ".jsonld":
                out.write_bytes(register_jsonld(register_entries(c.breaches, LOCAL_OPERATOR)))
            else:
                rows = register_rows(c.breaches, LOCAL_OPERATOR, lang)
                if suffix == ".pdf":
                    title = "Registre des incidents" if lang == "fr" else "Breach register"
                    out.write_bytes(register_pdf(rows, lang, title))
                else:
                    out.write_text(rows_csv(rows), "utf-8")
        console.print(f"written {out}", highlight=False)

    @group.command("dispose")
    @handles_errors
    def dispose(
        ctx: typer.Context, incident: Annotated[str, typer.Argument(help="Reference or id.")]
    ) -> None:
        """Dispose of a closed incident's records once kept as long as the law requires."""
        with container(ctx) as c:
            ref = c.breaches.dispose(LOCAL_OPERATOR, incident)
        console.print(f"incident {ref} disposed of", highlight=False)
