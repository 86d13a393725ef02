"""Helpers of the request tests: subjects in the store, a stand-in access file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Principal
from confide.domain.subjects import Subject
from confide.services.subjects import RegisterSubject

OFFICER_EMAIL = "privacy.officer@example.test"


def add_subject(
    c: Container,
    email: str | None = "alice@example.test",
    province: str = "ON",
    language: str = "en",
    **more: Any,
) -> Subject:
    return c.subjects.register(
        LOCAL_OPERATOR,
        RegisterSubject(
            more.pop("subject_type", "customer"), province, language, email=email, **more
        ),
    )


@dataclass
class StandInFile:
    """Imitates ``AccessFile`` for the lifecycle tests (the real one is tested end to end)."""

    items: dict[str, str]
    incomplete_sources: list[str] = field(default_factory=list)
    excluded: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "incomplete_sources": self.incomplete_sources,
            "excluded": self.excluded,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StandInFile:
        return cls(dict(data["items"]), list(data["incomplete_sources"]), dict(data["excluded"]))

    def with_review(self, *, exclude: Any = None, restore: Sequence[str] = ()) -> StandInFile:
        excluded = {**self.excluded, **dict(exclude or {})}
        for item in restore:
            excluded.pop(item, None)
        return StandInFile(self.items, self.incomplete_sources, excluded)


@dataclass
class StandInAssembler:
    down: list[str] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)

    def assemble(self, principal: Principal, subject_id: str, *, kind: str) -> StandInFile:
        self.calls.append((subject_id, kind))
        return StandInFile({"email": "on file"}, list(self.down))


def render(file: Any, fmt: Any, language: str) -> bytes:
    return f"{fmt}:{language}:{sorted(file.items)}:{sorted(file.excluded)}".encode()
