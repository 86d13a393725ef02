"""The register's rules: what an incident still lacks (BRE-1), the risk proposal (BRE-2), what
the decision makes owed (BRE-3, BRE-4) and how long the records are kept (BRE-5).

Pure: the policy's category sensitivities and the dates are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from confide.domain.breaches.model import (
    Assessment,
    Incident,
    Level,
    Notice,
    NoticeKind,
)

# --- BRE-1: the contents the register and the reports need --------------------------------------

REGISTER_FIELDS: tuple[str, ...] = (
    "circumstances",
    "occurrence",
    "aware_on",
    "information",
    "systems",
    "affected",
    "measures",
)
"""What every entry must hold (Québec regulation s. 7; SOR/2018-64 ss. 2 and 6), by name."""


def missing_facts(incident: Incident, linked_people: int) -> list[str]:
    """The register's contents still missing from ``incident`` (names of
    :data:`REGISTER_FIELDS`), in that order."""
    have = {
        "circumstances": bool(incident.circumstances.strip()),
        "occurrence": incident.occurrence.known,
        "aware_on": incident.aware_on is not None,
        "information": bool(incident.categories or incident.unknown_information.strip()),
        "systems": bool(incident.systems),
        "affected": linked_people > 0 or incident.affected_estimate is not None,
        "measures": bool(incident.measures.strip()),
    }
    return [name for name in REGISTER_FIELDS if not have[name]]


# --- BRE-2: the proposal ------------------------------------------------------------------------


@dataclass(frozen=True)
class Factor:
    id: str
    weight: int
    """+ raises the probability of misuse, - lowers it."""


FACTORS: tuple[Factor, ...] = (
    # Theft, hacking, a targeted attack, or other evidence of intent to misuse.
    Factor("malicious_intent", +2),
    # The information reached, or could have reached, unknown parties or the public.
    Factor("exposed_to_unknown", +1),
    # Misuse or harm has already been reported.
    Factor("misuse_reported", +2),
    # The information was exposed for a long time before it was contained.
    Factor("long_exposure", +1),
    # The information has not been recovered or deleted.
    Factor("not_recovered", +1),
    # Strongly encrypted, and the key was not compromised.
    Factor("encrypted", -2),
    # Recovered or destroyed before anyone could use it.
    Factor("recovered", -2),
    # Received by a known, trustworthy party who confirmed its deletion.
    Factor("trusted_recipient", -1),
    # Accidental, inside the company, with no sign that anyone looked at it.
    Factor("accidental_internal", -1),
)
FACTOR_IDS: frozenset[str] = frozenset(f.id for f in FACTORS)
_WEIGHT = {f.id: f.weight for f in FACTORS}


def sensitivity_of(categories: Sequence[str], sensitivities: Mapping[str, str]) -> Level:
    """The highest sensitivity the policy gives the categories involved; high when the
    information cannot be described (assume the worst until it can)."""
    if not categories:
        return Level.HIGH
    return max(
        (Level(sensitivities.get(c, "high")) for c in categories), key=lambda level: level.rank
    )


def probability_of(factors: Iterable[str]) -> Level:
    """The probability of misuse the factors point to."""
    score = sum(_WEIGHT.get(f, 0) for f in set(factors))
    if score >= 2:
        return Level.HIGH
    if score >= 0:
        return Level.MEDIUM
    return Level.LOW


def real_risk(sensitivity: Level, probability: Level) -> bool:
    """The proposal: significant harm is a real risk when sensitive information is at least
    moderately likely to be misused, or moderately sensitive information likely to be."""
    return sensitivity.rank + probability.rank >= 3


@dataclass(frozen=True)
class Proposal:
    sensitivity: Level
    probability: Level
    real_risk: bool
    reasons: tuple[str, ...]
    serious_injury: bool | None = None


def propose(
    categories: Sequence[str],
    sensitivities: Mapping[str, str],
    factors: Sequence[str],
    *,
    quebec: bool,
    likelihood: Level | None = None,
) -> Proposal:
    """What Confide proposes, with its reasons (codes the front doors put in words)."""
    sensitivity = sensitivity_of(categories, sensitivities)
    probability = probability_of(factors)
    risk = real_risk(sensitivity, probability)
    reasons = [
        f"sensitivity.{sensitivity.value}" + ("" if categories else ".undescribed"),
        f"probability.{probability.value}",
        *(f"factor.{f}" for f in sorted(set(factors))),
        "proposal.real_risk" if risk else "proposal.no_real_risk",
    ]
    serious: bool | None = None
    if quebec:
        serious = real_risk(sensitivity, likelihood or probability)
        reasons.append("proposal.serious_injury" if serious else "proposal.no_serious_injury")
    return Proposal(sensitivity, probability, risk, tuple(reasons), serious)


# --- BRE-3 / BRE-4: what the decision makes owed ------------------------------------------------


def owed(assessment: Assessment | None, quebec: bool) -> list[NoticeKind]:
    """The reports and notices the decision requires: the Commissioner's report and notices to
    people for a real risk of significant harm; the Commission's notice (and notices to people)
    for a risk of serious injury to Québec people."""
    if assessment is None:
        return []
    kinds: list[NoticeKind] = []
    if assessment.real_risk:
        kinds.append(NoticeKind.OPC_REPORT)
    if quebec and assessment.serious_injury:
        kinds.append(NoticeKind.CAI_NOTICE)
    if assessment.notices_owed:
        kinds.append(NoticeKind.INDIVIDUALS)
    return kinds


def outstanding(
    assessment: Assessment | None, quebec: bool, notices: Sequence[Notice]
) -> list[str]:
    """What is owed and not yet sent; people are told directly or, with a reason, publicly."""
    sent = {n.kind for n in notices if n.sent_on is not None}
    left: list[str] = []
    for kind in owed(assessment, quebec):
        if kind is NoticeKind.INDIVIDUALS and NoticeKind.PUBLIC in sent:
            continue
        if kind not in sent:
            left.append(kind.value)
    return left


# --- BRE-5: keeping -----------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError("unreachable")


def keep_until(
    determined_on: date | None,
    aware_on: date,
    quebec: bool,
    *,
    months: int = 24,
    quebec_years: int = 5,
) -> date | None:
    """The first day an incident's records may go: 24 months after the company determined the
    breach occurred (PIPEDA), and for a Québec register entry five years after it became aware
    (BRE-5); the later of the two. None (kept) while the breach is not yet determined."""
    if determined_on is None:
        return None
    days = [add_months(determined_on, months)]
    if quebec:
        days.append(add_months(aware_on, quebec_years * 12))
    return max(days)
