"""What the request use cases take and give: commands, settings, rows, roles, and the
interfaces of the collaborating services (the access file, corrections) as protocols."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from confide.domain.access import Principal
from confide.domain.requests.model import AccessRequest


@dataclass(frozen=True)
class SubmitRequest:
    """A written request (ACC-1): what is asked, through which channel, naming its subject."""

    kind: str
    channel: str
    identifier_kind: str
    identifier: str
    language: str | None = None
    note: str | None = None
    """An agent's written record of a call (required for ``phone``), a letter's reference."""
    received_at: datetime | None = None
    """When a letter or email was received, if earlier than now."""
    representative_name: str | None = None
    representative_authority: str | None = None
    representative_document: str | None = None
    representative_subject_id: str | None = None
    correction_category: str | None = None
    correction_value: str | None = None


@dataclass(frozen=True)
class IntakeReceipt:
    """The answer an individual gets: the same shape and words whether or not we know them."""

    reference: str
    message: str


@dataclass(frozen=True)
class RequestRow:
    """A request in the queue view, with its days left (negative: overdue)."""

    request: AccessRequest
    days_left: int
    overdue: bool


@dataclass(frozen=True)
class TickReport:
    reminded: int = 0
    deemed_refused: int = 0


@dataclass(frozen=True)
class RequestSettings:
    code_minutes: int = 15
    max_attempts: int = 5
    codes_per_hour: int = 3
    unverified_days: int = 7
    """An individual's own request not verified within these days expires (ACC-11)."""
    officer_email: str | None = None
    portal_url: str | None = None
    """The public address of the portal (e.g. https://privacy.example.ca), for links in mail."""


class PreparedFile(Protocol):
    """The assembled file (``confide.services.access_file.AccessFile``)."""

    @property
    def incomplete_sources(self) -> Sequence[Any]: ...

    def to_json(self) -> dict[str, Any]: ...

    def with_review(self, *, exclude: Any = ..., restore: Any = ...) -> Any: ...


class FileAssembler(Protocol):
    """``confide.services.access_file.AccessFileService``."""

    def assemble(
        self, principal: Principal, subject_id: str, *, kind: Literal["access", "portability"]
    ) -> Any: ...


class FileLoader(Protocol):
    """``AccessFile.from_json``."""

    def __call__(self, data: dict[str, Any], /) -> Any: ...


class FileRenderer(Protocol):
    """``confide.adapters.rendering.access_file.render``."""

    def __call__(self, file: Any, fmt: Any, language: str, /) -> bytes: ...


class Corrections(Protocol):
    """``confide.services.corrections.CorrectionService``."""

    def accept(
        self, principal: Principal, subject_id: str, category: str, value: str, *, request_id: str
    ) -> Any: ...

    def refuse(
        self,
        principal: Principal,
        subject_id: str,
        category: str,
        *,
        statement: str,
        request_id: str,
    ) -> Any: ...


ReviewExclusions = Mapping[str, str]
