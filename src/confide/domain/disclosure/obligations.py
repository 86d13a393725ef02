"""What an allowed disclosure obliges the company to do afterwards (a task with a deadline).

An emergency disclosure without consent obliges the company to notify the
individual in writing (DIS-2); phase 2 turns each :class:`Obligation` into a
task on the privacy officer's list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from confide.domain.policy import Text


class ObligationKind(StrEnum):
    NOTIFY_INDIVIDUAL_IN_WRITING = "notify_individual_in_writing"


@dataclass(frozen=True, slots=True)
class Obligation:
    kind: ObligationKind
    due: datetime
    rule: str
    text: Text
    """"Notify the individual in writing by <date>", in English and French."""

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": str(self.kind),
            "due": self.due.isoformat(),
            "rule": self.rule,
            "text_en": self.text.en,
            "text_fr": self.text.fr,
        }


def notify_in_writing(due: datetime, rule: str = "DIS-2") -> Obligation:
    day = due.date().isoformat()
    return Obligation(
        ObligationKind.NOTIFY_INDIVIDUAL_IN_WRITING,
        due,
        rule,
        Text(
            en=f"Notify the individual in writing by {day}.",
            fr=f"Aviser la personne par écrit au plus tard le {day}.",
        ),
    )
