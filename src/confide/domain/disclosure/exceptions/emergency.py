"""``emergency``: an emergency threatening someone's life, health or security (DIS-2).

Evidence: a description of the emergency. Relying on it obliges the company to
notify the individual in writing; the deadline is the policy's
``notify_within_days`` after the disclosure (without delay, the same instant,
when the policy sets none). The law requires the notice, so it is created even
if the policy forgot ``notify_individual``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from confide.domain.disclosure.exceptions.base import Evidence, ExceptionRule
from confide.domain.disclosure.obligations import Obligation, notify_in_writing
from confide.domain.policy import ConsentException


@dataclass(frozen=True)
class EmergencyDescription(Evidence):
    kind: ClassVar[str] = "emergency_description"

    description: str


class EmergencyRule(ExceptionRule):
    code = "emergency"
    evidence_type = EmergencyDescription
    required_fields = ("description",)

    def obligations(self, declared: ConsentException, at: datetime) -> tuple[Obligation, ...]:
        days = declared.notify_within_days or 0
        return (notify_in_writing(at + timedelta(days=days)),)
