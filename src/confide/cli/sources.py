"""``confide sources``: the data map — register, test, list and remove connected data sources.

The mapping file (``--map``, YAML) describes where the source is hosted and, per table or
file, the identifier columns and the category of each other column (see docs/sources.md)::

    owner_system: CRM
    country: CA
    province: QC
    writable: false
    tables:
      - table: customers
        identifiers: {email: email, phone_number: phone, customer_no: account}
        categories: {full_name: name, street: mailing_address}
        retention_from: closed_on

The URL may carry a password: give it with ``--url``, in ``CONFIDE_SOURCE_URL``, or at the
hidden prompt. It is stored encrypted and only ever shown redacted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.table import Table

from confide.cli.common import console, container, existing_file, handles_errors
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.errors import Conflict, ValidationFailed
from confide.domain.sources import SourceKind, parse_mapping_document
from confide.services.sources import RegisterSource, SourceService

ServiceOpener = Callable[[typer.Context], AbstractContextManager[SourceService]]


@contextmanager
def service_from_container(ctx: typer.Context) -> Iterator[SourceService]:
    """The source service of the application container (``Container.sources``)."""
    with container(ctx) as c:
        service = getattr(c, "sources", None)
        if not isinstance(service, SourceService):
            raise Conflict("the data-source service is not wired into this build of Confide")
        yield service


def read_mapping_file(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "map"
        raise ValidationFailed.single(where, "the mapping file is not valid YAML") from None
    except UnicodeDecodeError:
        raise ValidationFailed.single("map", "the mapping file is not UTF-8 text") from None


def register(app: typer.Typer, open_service: ServiceOpener = service_from_container) -> None:
    group = typer.Typer(
        help="Connected data sources (the data map): databases and files holding personal information.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="sources")

    @group.command("add")
    @handles_errors
    def add(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="Short name, e.g. crm")],
        mapping_file: Annotated[
            Path, typer.Option("--map", help="Mapping file (YAML): tables, identifiers, categories")
        ],
        url: Annotated[
            str,
            typer.Option(
                envvar="CONFIDE_SOURCE_URL",
                prompt="Source URL or path",
                hide_input=True,
                help="SQLAlchemy URL (sql) or file/folder path (csv, parquet).",
            ),
        ],
        kind: Annotated[SourceKind, typer.Option(help="sql, csv or parquet")] = SourceKind.SQL,
        owner: Annotated[
            str | None, typer.Option(help="Owner system (overrides the mapping file)")
        ] = None,
        country: Annotated[str | None, typer.Option(help="Where it is hosted, e.g. CA")] = None,
        province: Annotated[str | None, typer.Option(help="Province hosting it, e.g. QC")] = None,
        writable: Annotated[
            bool | None,
            typer.Option(
                "--writable/--read-only", help="May corrections be written to it (default: no)"
            ),
        ] = None,
    ) -> None:
        """Register a data source: the connection and the map are tested before it is saved."""
        doc = parse_mapping_document(read_mapping_file(existing_file(mapping_file)))
        cmd = RegisterSource(
            name=name,
            kind=kind.value,
            connection=url,
            owner_system=owner or doc.owner_system or "",
            mappings=doc.mappings,
            country=country or doc.country or "CA",
            province=province or doc.province,
            writable=writable if writable is not None else bool(doc.writable),
        )
        with open_service(ctx) as service:
            source = service.register(LOCAL_OPERATOR, cmd)
        console.print(
            f"Registered data source [bold]{source.name}[/] ({source.kind.value}, "
            f"{len(source.mappings)} table(s)) at {source.redacted_connection}",
            highlight=False,
        )

    @group.command("test")
    @handles_errors
    def test(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Source name")]) -> None:
        """Connect to a source and check that every mapped table/file and column exists."""
        with open_service(ctx) as service:
            report = service.test(LOCAL_OPERATOR, name)
        if report.ok:
            console.print(f"Data source [bold]{name}[/] matches its map.")
            return
        console.print(f"Data source [bold]{name}[/] does not match its map:", highlight=False)
        for p in report.problems:
            console.print(f"  {p.location}: {p.message}", highlight=False)
        raise typer.Exit(1)

    @group.command("list")
    @handles_errors
    def list_(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    ) -> None:
        """List the registered sources (connections redacted)."""
        with open_service(ctx) as service:
            sources = service.list_sources(LOCAL_OPERATOR)
        if as_json:
            console.print_json(
                json.dumps(
                    [
                        {
                            "name": s.name,
                            "kind": s.kind.value,
                            "connection": s.redacted_connection,
                            "owner_system": s.owner_system,
                            "country": s.country,
                            "province": s.province,
                            "writable": s.writable,
                            "tables": [
                                {
                                    "table": m.table,
                                    "identifiers": {i.column: i.kind.value for i in m.identifiers},
                                    "categories": {c.column: c.category for c in m.categories},
                                    "retention_from": m.retention_from,
                                }
                                for m in s.mappings
                            ],
                        }
                        for s in sources
                    ]
                )
            )
            return
        if not sources:
            console.print("No data sources registered.")
            return
        table = Table("name", "kind", "where", "owner", "hosted", "writable", "tables")
        for s in sources:
            table.add_row(
                s.name,
                s.kind.value,
                s.redacted_connection,
                s.owner_system,
                s.country + (f"-{s.province}" if s.province else ""),
                "yes" if s.writable else "no",
                ", ".join(m.table for m in s.mappings),
            )
        console.print(table)

    @group.command("remove")
    @handles_errors
    def remove(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="Source name")],
        yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
    ) -> None:
        """Remove a source from the data map (the source itself is not touched)."""
        if not yes:
            typer.confirm(f"Remove data source {name!r} from the data map?", abort=True)
        with open_service(ctx) as service:
            service.remove(LOCAL_OPERATOR, name)
        console.print(f"Removed data source [bold]{name}[/].")
