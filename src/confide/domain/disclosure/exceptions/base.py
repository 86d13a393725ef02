"""What every legal exception to consent has: the evidence it requires and how it is checked.

One exception code per module (``court_order.py``, ``emergency.py``...), each
declaring its evidence type and checks up front, registered in
``exceptions/__init__.py``. Adding a code touches its module, the registry and
its test; the closed list itself lives in the policy model
(``confide.domain.policy.CLOSED_EXCEPTION_CODES``).

Invariant: an exception never passes without evidence of its own kind with
every required field filled in (not blank).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import ClassVar

from confide.domain.disclosure.obligations import Obligation, notify_in_writing
from confide.domain.disclosure.reasons import DisclosureReason, Finding, finding
from confide.domain.policy import ConsentException


@dataclass(frozen=True)
class Evidence:
    """Evidence supporting a disclosure without consent. ``kind`` matches the policy's
    ``exceptions[].evidence``; ``reference`` is what the disclosure ledger records."""

    kind: ClassVar[str] = ""

    @property
    def reference(self) -> str:
        """The first field: the document, authority, debt, investigation, description, law or
        authorization reference."""
        cls = type(self)
        name = _FIRST_FIELD.get(cls)
        if name is None:
            name = _FIRST_FIELD[cls] = fields(self)[0].name
        return str(getattr(self, name))


_FIRST_FIELD: dict[type[Evidence], str] = {}


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class ExceptionRule:
    """The rule of one exception code: its evidence type, required fields and extra conditions."""

    code: ClassVar[str]
    evidence_type: ClassVar[type[Evidence]]
    required_fields: ClassVar[tuple[str, ...]]

    @property
    def evidence_kind(self) -> str:
        return self.evidence_type.kind

    def check(self, evidence: Evidence | None) -> tuple[Finding, ...]:
        """Why ``evidence`` does not support this exception (empty when it does)."""
        kind = self.evidence_kind
        if evidence is None:
            return (finding(DisclosureReason.EVIDENCE_MISSING, (kind,)),)
        if not isinstance(evidence, self.evidence_type):
            return (
                finding(
                    DisclosureReason.EVIDENCE_WRONG_KIND,
                    (f"expected:{kind}", f"given:{evidence.kind}"),
                ),
            )
        out: list[Finding] = []
        missing = tuple(
            f"{kind}.{name}" for name in self.required_fields if blank(getattr(evidence, name))
        )
        if missing:
            out.append(finding(DisclosureReason.EVIDENCE_MISSING, missing))
        out.extend(self.conditions(evidence))
        return tuple(out)

    def conditions(self, evidence: Evidence) -> tuple[Finding, ...]:
        """Conditions beyond filled-in fields (override where the law sets one)."""
        return ()

    def obligations(self, declared: ConsentException, at: datetime) -> tuple[Obligation, ...]:
        """What relying on this exception obliges the company to do: by default, a written
        notice when the policy declares one (``notify_individual``)."""
        if not declared.notify_individual:
            return ()
        return (notify_in_writing(at + timedelta(days=declared.notify_within_days or 0)),)


def invalid(detail: str) -> Finding:
    return finding(DisclosureReason.EVIDENCE_INVALID, (detail,))
