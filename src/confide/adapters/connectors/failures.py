"""Turning driver and file-system failures into ``SourceUnavailable`` (no driver text kept)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc as sa_exc

from confide.domain.sources import SourceUnavailable

_REASONS: dict[type[BaseException], str] = {
    sa_exc.NoSuchModuleError: "no driver installed for this kind of URL",
    sa_exc.NoSuchTableError: "a mapped table no longer exists; run `confide sources test`",
    sa_exc.ArgumentError: "the URL cannot be read",
    sa_exc.OperationalError: "cannot connect or the query failed",
    sa_exc.ProgrammingError: "the source no longer matches its map; run `confide sources test`",
    sa_exc.InterfaceError: "the driver could not talk to the server",
    sa_exc.DBAPIError: "the database reported an error",
    FileNotFoundError: "a file or folder does not exist",
    PermissionError: "permission denied",
    IsADirectoryError: "a folder was found where a file was expected",
    OSError: "cannot read or write the file",
}


def reason_for(exc: BaseException) -> str:
    for kind, reason in _REASONS.items():
        if isinstance(exc, kind):
            return f"{reason}: {type(exc).__name__}"
    return type(exc).__name__


@contextmanager
def unavailable_as(source: str, *extra: type[BaseException]) -> Iterator[None]:
    """Inside the block, reaching or reading the source failing raises ``SourceUnavailable``."""
    caught: tuple[type[BaseException], ...] = (sa_exc.SQLAlchemyError, OSError, *extra)
    try:
        yield
    except caught as exc:
        raise SourceUnavailable(source, reason_for(exc)) from exc
