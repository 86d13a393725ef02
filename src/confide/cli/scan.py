"""``confide scan`` and ``confide anonymize``: find personal information in files and data
sources, and write anonymized copies.

Keys for keyed operators (pseudonym, encrypt, keyed fakes) are read from an environment
variable, never from the command line (which shells keep in their history).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from confide.cli.common import console, container, err_console, existing_file, handles_errors
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.errors import ValidationFailed
from confide.scanner.anonymize import operator_named
from confide.scanner.anonymize.tables import (
    Hierarchy,
    anonymize_table,
    date_hierarchy,
    number_hierarchy,
    postal_code_hierarchy,
    suppress_hierarchy,
)
from confide.scanner.files import ScannerOptions, expand
from confide.scanner.model import ScanResult
from confide.services.discovery import DiscoveryService

DEFAULT_KEY_ENV = "CONFIDE_ANONYMIZE_KEY"


class Format(StrEnum):
    table = "table"
    json = "json"


OPERATORS = "redact, replace, mask, pseudonym, fake, generalize, encrypt"


def _options(entities: str | None, threshold: float, backend: str) -> ScannerOptions:
    chosen = tuple(e.strip().upper() for e in entities.split(",")) if entities else None
    return ScannerOptions(backend=backend, threshold=threshold, entities=chosen)


def _result_json(result: ScanResult, text_of: dict[str, str] | None) -> dict[str, object]:
    items = []
    for f in result.findings:
        item: dict[str, object] = {
            "entity": f.entity.value,
            "start": f.start,
            "end": f.end,
            "score": round(f.score, 4),
            "recognizer": f.recognizer,
            "pattern": f.pattern,
            "context": list(f.context),
            "explanation": f.explain(),
        }
        if text_of is not None:
            item["value"] = text_of.get(result.source, "")[f.start : f.end]
        items.append(item)
    return {
        "source": result.source,
        "characters": result.chars,
        "counts": result.counts(),
        "findings": items,
        "notes": [{"location": n.location, "reason": n.reason} for n in result.notes],
    }


def _key(env: str) -> bytes | None:
    raw = os.environ.get(env)
    if not raw:
        return None
    try:
        return bytes.fromhex(raw)
    except ValueError:
        return raw.encode()


_POSTAL = re.compile(r"^[A-Za-z][0-9][A-Za-z] ?[0-9][A-Za-z][0-9]$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def guess_hierarchy(values: list[str]) -> Hierarchy:
    """The generalization hierarchy that fits a column's values."""
    present = [v for v in values if v]
    for pattern, hierarchy in (
        (_POSTAL, postal_code_hierarchy),
        (_DATE, date_hierarchy),
        (_NUMBER, number_hierarchy),
    ):
        if present and all(pattern.match(v) for v in present):
            return hierarchy
    return suppress_hierarchy


def register(app: typer.Typer) -> None:
    @app.command("scan")
    @handles_errors
    def scan(
        ctx: typer.Context,
        paths: Annotated[
            list[Path] | None, typer.Argument(help="Files or directories to scan.")
        ] = None,
        source: Annotated[
            str | None, typer.Option("--source", help="A connected data source to sample.")
        ] = None,
        output: Annotated[Format, typer.Option("--format", help="table or json")] = Format.table,
        workers: Annotated[int, typer.Option(help="Processes (0: every core).")] = 1,
        dask: Annotated[
            str | None, typer.Option("--dask", help="Dask scheduler address, or 'local'.")
        ] = None,
        entities: Annotated[
            str | None, typer.Option(help="Only these entities (comma-separated).")
        ] = None,
        threshold: Annotated[float, typer.Option(help="Lowest score reported.")] = 0.5,
        backend: Annotated[str, typer.Option(help="auto, hyperscan or python.")] = "auto",
        show_values: Annotated[
            bool, typer.Option(help="Print the values found (JSON only).")
        ] = False,
    ) -> None:
        """Find personal information in files, directories or a connected data source."""
        if not paths and not source:
            raise ValidationFailed.single("paths", "give files or directories, or --source NAME")
        options = _options(entities, threshold, backend)
        if source:
            with container(ctx) as c:
                service = c.discovery.with_options(options)
                report = service.discover_source(LOCAL_OPERATOR, source)
            if output is Format.json:
                console.print_json(
                    json.dumps(
                        [
                            {
                                "source": col.source,
                                "column": col.column,
                                "entity": col.entity.value if col.entity else None,
                                "category": col.category,
                                "share": col.share,
                                "sampled": col.sampled,
                                "proposed": (col.source, col.column) not in report.known
                                and col.entity is not None,
                            }
                            for col in report.columns
                        ]
                    )
                )
                return
            table = Table(title=f"discovery: {source}")
            for name in ("table", "column", "entity", "category", "share", "proposed"):
                table.add_column(name)
            proposed = {(c.source, c.column) for c in report.proposals()}
            for col in report.columns:
                table.add_row(
                    col.source,
                    col.column,
                    col.entity.value if col.entity else "",
                    col.category or "",
                    f"{col.share:.0%}",
                    "yes" if (col.source, col.column) in proposed else "",
                )
            console.print(table)
            return
        files = expand(paths or [])
        service = DiscoveryService(options=options)
        progress = Progress(
            TextColumn("scanning"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err_console,
            transient=True,
        )
        with progress:
            task = progress.add_task("scan", total=len(files))
            results = service.scan_files(
                LOCAL_OPERATOR,
                files,
                workers=workers or None,
                dask_scheduler=None if dask in (None, "local") else dask,
                use_dask=dask is not None,
                on_result=lambda r: progress.advance(task),
            )
        if output is Format.json:
            texts = None
            if show_values:
                texts = {str(f): f.read_text(encoding="utf-8", errors="replace") for f in files}
            console.print_json(json.dumps([_result_json(r, texts) for r in results]))
            return
        root = Path(os.path.commonpath([str(f) for f in files])) if files else Path()
        root = root if root.is_dir() else root.parent
        table = Table(title=f"personal information found under {root}")
        for name in ("file", "findings", "by entity", "notes"):
            table.add_column(name)
        for r in results:
            by_entity = ", ".join(f"{k} {v}" for k, v in r.counts().items())
            table.add_row(
                os.path.relpath(r.source, root),
                str(len(r.findings)),
                by_entity,
                "; ".join(n.reason for n in r.notes),
            )
        console.print(table)

    @app.command("anonymize")
    @handles_errors
    def anonymize(
        path: Annotated[Path, typer.Argument(help="A text file, or a CSV file with --quasi.")],
        out: Annotated[
            Path | None, typer.Option(help="Write here (default: standard output).")
        ] = None,
        operator: Annotated[
            str, typer.Option(help=f"What replaces each value: {OPERATORS}.")
        ] = "replace",
        keep_last: Annotated[int, typer.Option(help="Characters kept by mask.")] = 4,
        locale: Annotated[str, typer.Option(help="Faker locale of fake values.")] = "en_CA",
        key_env: Annotated[
            str, typer.Option(help="Environment variable holding the key.")
        ] = DEFAULT_KEY_ENV,
        quasi: Annotated[
            str | None, typer.Option(help="CSV: quasi-identifier columns (comma-separated).")
        ] = None,
        k: Annotated[int, typer.Option(help="CSV: the k to reach.")] = 5,
        sensitive: Annotated[
            str | None, typer.Option(help="CSV: sensitive column for l-diversity.")
        ] = None,
    ) -> None:
        """Write an anonymized copy of a text file, or generalize a CSV table to k-anonymity."""
        existing_file(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        if quasi:
            rows = list(csv.DictReader(io.StringIO(text)))
            columns = [c.strip() for c in quasi.split(",")]
            hierarchies = {c: guess_hierarchy([r.get(c, "") for r in rows]) for c in columns}
            new_rows, report = anonymize_table(rows, columns, k, hierarchies, sensitive)
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else columns)
            writer.writeheader()
            writer.writerows(new_rows)
            result = buffer.getvalue()
            l_part = f", l={report.l_diversity}" if report.l_diversity is not None else ""
            summary = f"k={report.k}{l_part}, levels {report.levels}"
        else:
            op = operator_named(operator, key=_key(key_env), keep_last=keep_last, locale=locale)
            done = DiscoveryService().anonymize(LOCAL_OPERATOR, text, default=op)
            result = done.text
            summary = f"{len(done.replacements)} values replaced ({op.name})"
        if out is None:
            typer.echo(result, nl=False)
        else:
            out.write_text(result, encoding="utf-8")
        err_console.print(summary, highlight=False)
