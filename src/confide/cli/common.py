"""What every command shares: settings from the root options, the container, error reporting.

Commands only translate: parse options, call one service, print, map errors to exit codes
(1: refused or invalid input; 2: usage error, from Typer).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from confide.bootstrap import Container, build
from confide.config import Settings, load_settings
from confide.domain.errors import ConfideError, NotAllowed, ValidationFailed


def _width() -> int | None:
    """The terminal's width; when the output is not a terminal (a pipe, a file, a test), a wide
    page, so tables keep whole ids (what the next command needs) instead of squeezing to 80."""
    return None if sys.stdout.isatty() else 200


# Soft wrap: a long message stays one line (scripts grep the output); tables still fit the width.
console = Console(soft_wrap=True, width=_width())
err_console = Console(stderr=True, soft_wrap=True, width=_width())
P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class CliState:
    overrides: dict[str, Any] = field(default_factory=dict)

    def settings(self, **more: Any) -> Settings:
        return load_settings(
            **{**self.overrides, **{k: v for k, v in more.items() if v is not None}}
        )


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):
        obj = CliState()
        ctx.find_root().obj = obj
    return obj


@contextmanager
def container(
    ctx: typer.Context,
    *,
    create_key: bool = False,
    migrate_db: bool = True,
    activate: bool = True,
    **overrides: Any,
) -> Iterator[Container]:
    c = build(
        state(ctx).settings(**overrides),
        create_key=create_key,
        migrate_db=migrate_db,
        activate=activate,
    )
    try:
        yield c
    finally:
        c.close()


def report_error(exc: ConfideError) -> None:
    rule = f" [dim](rule {exc.rule})[/]" if isinstance(exc, NotAllowed) and exc.rule else ""
    err_console.print(f"[bold red]error:[/] {exc.message}{rule}", highlight=False)
    if isinstance(exc, ValidationFailed):
        for p in exc.problems:
            hint = f" [dim]({p.hint})[/]" if p.hint else ""
            err_console.print(f"  {p.location}: {p.message}{hint}", highlight=False)


def handles_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn Confide's errors into a message and exit code 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except ConfideError as exc:
            report_error(exc)
            raise typer.Exit(1) from None

    return wrapper


def existing_file(path: Path) -> Path:
    if not path.is_file():
        raise typer.BadParameter(f"{path} is not a readable file")
    return path
