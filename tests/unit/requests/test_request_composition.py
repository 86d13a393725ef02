"""The request service is composed, not mixed in: every collaborator is given to its
constructor, none is set afterwards, and each step uses the one it was built with.

A small fake unit of work stands in for the store (the in-memory one keeps no requests); the
rules themselves are tested against the real store in ``tests/integration/requests``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest

from confide.domain.access import LOCAL_OPERATOR
from confide.domain.outbox import OutboxKind, OutboxMessage
from confide.domain.requests.model import (
    AccessRequest,
    Channel,
    Outcome,
    RequestKind,
    RequestState,
)
from confide.domain.subjects import Identifier, IdentifierKind, Subject
from confide.services.context import ServiceContext
from confide.services.holds import HoldService
from confide.services.requests import RequestService, RequestSettings
from confide.services.requests.shared import RequestMail
from confide.testing import FakeClock

AT = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@dataclass
class Store:
    requests: dict[str, AccessRequest] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    subjects: dict[str, Subject] = field(default_factory=dict)
    outbox: list[OutboxMessage] = field(default_factory=list)
    audit: list[Any] = field(default_factory=list)


class FakeRequests:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, request_id: str) -> AccessRequest | None:
        return self.store.requests.get(request_id)

    def file(self, request_id: str) -> dict[str, Any] | None:
        return self.store.files.get(request_id)


class FakeUow:
    """Just what the steps under test touch; commit runs the after-commit callbacks."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.requests = FakeRequests(store)
        self.subjects = self
        self.audit = self
        self.outbox = self
        self.committed: list[Callable[[], None]] = []
        self._after: list[Callable[[], None]] = []

    def __enter__(self) -> FakeUow:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def get(self, subject_id: str) -> Subject | None:  # subjects.get
        return self.store.subjects.get(subject_id)

    def record(self, entry: Any) -> None:  # audit.record
        self.store.audit.append(entry)

    def add(self, message: OutboxMessage) -> bool:  # outbox.add
        self.store.outbox.append(message)
        return True

    def after_commit(self, fn: Callable[[], None]) -> None:
        self._after.append(fn)

    def commit(self) -> None:
        for fn in self._after:
            fn()


@dataclass
class Nudge:
    nudged: list[str] = field(default_factory=list)

    def nudge(self, message_ids: Sequence[str]) -> None:
        self.nudged.extend(message_ids)


class NotUsed:
    """A collaborator the test does not reach (it fails loudly if it is reached)."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"unexpected use of {name}")

    def __call__(self, *args: Any) -> Any:
        raise AssertionError("unexpected call")


def released(request_id: str = "req_1") -> AccessRequest:
    return AccessRequest(
        id=request_id,
        kind=RequestKind.ACCESS,
        channel=Channel.EMAIL,
        subject_id="sub_1",
        identifier_kind="email",
        received_at=AT,
        due_on=date(2026, 4, 1),
        time_zone="America/Toronto",
        province="QC",
        language="fr",
        state=RequestState.RESPONDED,
        recorded_by="agent",
        outcome=Outcome.RELEASED,
        released_incomplete=True,
    )


def subject(email: str | None = "alice@example.test") -> Subject:
    ids = (Identifier(IdentifierKind.EMAIL, email),) if email else ()
    return Subject("sub_1", "customer", "QC", "fr", AT, ids)


def context(store: Store) -> ServiceContext:
    return ServiceContext(uow=lambda readonly=False: FakeUow(store), clock=FakeClock(AT))  # type: ignore[arg-type]


COLLABORATORS = ("holds", "queue", "assembler", "load_file", "render", "corrections")


def collaborators(ctx: ServiceContext, **given: Any) -> dict[str, Any]:
    return {"holds": HoldService(ctx), **{n: NotUsed() for n in COLLABORATORS[1:]}, **given}


def test_a_released_file_is_rendered_with_the_loader_and_renderer_given_at_construction() -> None:
    store = Store(requests={"req_1": released()}, files={"req_1": {"items": 1}})
    store.subjects["sub_1"] = subject()
    ctx = context(store)
    calls: list[tuple[Any, str, str]] = []

    def render(file: Any, fmt: Any, language: str) -> bytes:
        calls.append((file, fmt, language))
        return b"rendered"

    service = RequestService(
        ctx,
        None,
        RequestSettings(),
        **collaborators(ctx, load_file=lambda data: ("loaded", data), render=render),
    )
    assert service.response(LOCAL_OPERATOR, "req_1", "pdf") == (b"rendered", True)
    assert service.individual_response("req_1", "html") == (b"rendered", True)
    assert calls == [
        (("loaded", {"items": 1}), "pdf", "fr"),
        (("loaded", {"items": 1}), "html", "fr"),
    ]


@pytest.mark.parametrize("missing", COLLABORATORS)
def test_every_collaborator_is_required_by_the_constructor(missing: str) -> None:
    ctx = context(Store())
    given = collaborators(ctx)
    del given[missing]
    with pytest.raises(TypeError, match=missing):
        RequestService(ctx, None, RequestSettings(), **given)


def test_nothing_is_wired_after_construction() -> None:
    ctx = context(Store())
    service = RequestService(ctx, Nudge(), RequestSettings(), **collaborators(ctx))
    assert [name for name in dir(service) if name.startswith("use_")] == []
    with pytest.raises(AttributeError):
        service.outbox = Nudge()  # type: ignore[misc]


def test_mail_to_the_subject_is_composed_and_nudged_only_once_committed() -> None:
    store = Store()
    nudge = Nudge()
    mail = RequestMail(context(store), nudge, RequestSettings())
    uow = FakeUow(store)
    mail.to_subject(uow, subject(), released(), ("Title", "Text"))  # type: ignore[arg-type]
    [message] = store.outbox
    assert (message.kind, message.request_id, nudge.nudged) == (OutboxKind.REFUSAL, "req_1", [])
    uow.commit()
    assert nudge.nudged == [message.id]


def test_without_mail_or_an_address_nothing_is_composed() -> None:
    store = Store()
    unconfigured = RequestMail(
        context(store), None, RequestSettings(officer_email="o@example.test")
    )
    assert not unconfigured.configured
    unconfigured.to_subject(FakeUow(store), subject(), released(), ("T", "x"))  # type: ignore[arg-type]
    unconfigured.to_officer(FakeUow(store), released(), ("T", "x"), "deemed.req_1")  # type: ignore[arg-type]
    no_address = RequestMail(context(store), Nudge(), RequestSettings())
    no_address.to_subject(FakeUow(store), subject(None), released(), ("T", "x"))  # type: ignore[arg-type]
    no_address.to_officer(FakeUow(store), released(), ("T", "x"), "deemed.req_1")  # type: ignore[arg-type]
    assert store.outbox == []


def test_the_portal_link_is_in_the_requests_language() -> None:
    mail = RequestMail(
        context(Store()), None, RequestSettings(portal_url="https://privacy.example.ca/")
    )
    assert (
        mail.portal_link(released())
        == "https://privacy.example.ca/portal/fr/requests/req_1/response"
    )
    assert RequestMail(context(Store()), None, RequestSettings()).portal_link(released()) is None
