"""``confide policy``: validate, show and compare policy files.

The commands only translate: they call :mod:`confide.policy` and map its
outcome to output and an exit code (0 valid / shown, 1 invalid input).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from confide.cli.common import container, handles_errors
from confide.domain.access import LOCAL_OPERATOR
from confide.policy import LoadedPolicy, PolicyInvalid, diff, load_policy
from confide.policy.loader import analyse
from confide.policy.schema import schema_document
from confide.policy.summary import summary_json, summary_text


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class Language(StrEnum):
    EN = "en"
    FR = "fr"


policy_app = typer.Typer(
    name="policy",
    help="Validate, show and compare privacy policy files.",
    no_args_is_help=True,
)

ExistingFile = Annotated[
    Path,
    typer.Argument(exists=True, dir_okay=False, readable=True, help="A policy YAML file."),
]


def register(app: typer.Typer) -> None:
    """Add the ``policy`` command group to the main ``confide`` application."""
    app.add_typer(policy_app, name="policy")


@policy_app.command("validate")
def validate(file: ExistingFile) -> None:
    """Check a policy file and its product policies; print every problem as FILE:LINE:COL."""
    loaded, problems = analyse(file)
    if problems or loaded is None:
        for problem in problems:
            typer.echo(problem.render())
        count = len(problems)
        typer.echo(f"{file}: {count} problem{'s' if count != 1 else ''}", err=True)
        raise typer.Exit(code=1)
    typer.echo(
        f"{file}: valid — policy {loaded.policy.id} version {loaded.version}, "
        f"effective {loaded.effective_date.isoformat()}, content hash {loaded.content_hash}"
    )


@policy_app.command("show")
def show(
    file: Annotated[
        Path | None,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="A policy YAML file; the packaged default when omitted.",
        ),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="text or json.")
    ] = OutputFormat.TEXT,
    lang: Annotated[Language, typer.Option("--lang", help="Language of the summary.")] = (
        Language.EN
    ),
) -> None:
    """Print a readable summary of a policy (the packaged default unless FILE is given)."""
    loaded = _load(file)
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(summary_json(loaded), ensure_ascii=False, indent=2))
    else:
        typer.echo(summary_text(loaded, lang.value))


@policy_app.command("diff")
def diff_command(
    old: ExistingFile,
    new: ExistingFile,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="text or json.")
    ] = OutputFormat.TEXT,
) -> None:
    """Show what changed from OLD to NEW: purposes, recipients, categories and more."""
    before, after = _load(old), _load(new)
    changes = diff(before.policy, after.policy)
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(changes.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(changes.render())


def _load(file: Path | None) -> LoadedPolicy:
    try:
        return load_policy(file)
    except PolicyInvalid as exc:
        for problem in exc.policy_problems:
            typer.echo(problem.render(), err=True)
        typer.echo(f"{exc.file}: invalid policy; run 'confide policy validate'", err=True)
        raise typer.Exit(code=1) from exc


@policy_app.command("schema")
def schema() -> None:
    """Print the JSON Schema of policy files (kept in docs/policy-schema.json)."""
    typer.echo(schema_document(), nl=False)


@policy_app.command("store")
@handles_errors
def store(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Argument(help="Policy file (default: the configured one)")
    ] = None,
) -> None:
    """Validate and store a policy version (content hash, effective date) in the database.

    The service decides under the policy file it is configured with (CONFIDE_POLICY_FILE),
    storing its version at start; this stores one ahead of time, e.g. to diff or announce it.
    """
    with container(ctx, activate=False) as c:
        version = c.activate_policy(file)
    typer.echo(f"Stored policy version: {version.id} (effective {version.effective_date})")


@policy_app.command("versions")
@handles_errors
def versions(ctx: typer.Context) -> None:
    """Every stored policy version, oldest first (POL-1)."""
    with container(ctx) as c:
        active = c.ctx.require_active().version_id
        for v in c.policies.versions(LOCAL_OPERATOR):
            marker = "*" if v.id == active else " "
            typer.echo(
                f"{marker} {v.id}  effective {v.effective_date}  loaded {v.loaded_at:%Y-%m-%d %H:%M}Z"
            )
