"""The breach register's records: incidents, their assessments and their reports and notices.

An :class:`Incident` is recorded whatever its severity (BRE-1) and holds the facts the PIPEDA
breach regulations (SOR/2018-64, ss. 2, 3 and 6) and Québec's Regulation respecting
confidentiality incidents (ss. 3, 5 and 7) list: the circumstances and cause, when it happened
(a date, a period, or an approximation), when the company became aware of it, the personal
information involved (policy categories, or why it cannot be described), the systems, the
number of people affected (or an approximation), the measures taken to reduce the risk of harm,
and the parties notified with their dates (:class:`Notice`).

An incident cannot be closed without an :class:`Assessment` (BRE-2); where the officer decides
the risk is real, the reports to the regulators and the notices to people are owed (BRE-3), an
indirect (public) notice only with a recorded reason (BRE-4), and every record is kept until
:func:`keep_until` (BRE-5).

Pure: standard library only; times and dates are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from confide.domain.errors import Conflict, FieldProblem, NotAllowed, ValidationFailed


class ReportedBy(StrEnum):
    """Who told the company about the incident."""

    STAFF = "staff"
    INDIVIDUAL = "individual"
    """An individual, through the portal or by writing to the privacy officer."""
    SUPPLIER = "supplier"
    """A service provider holding information for the company."""
    OTHER = "other"
    """A regulator, the police, a researcher, the press."""


class IncidentStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return ("low", "medium", "high").index(self.value)


class NoticeKind(StrEnum):
    """A report or notice the law may require, or a party the company told."""

    OPC_REPORT = "opc_report"
    """The report to the Office of the Privacy Commissioner of Canada (SOR/2018-64 s. 2)."""
    CAI_NOTICE = "cai_notice"
    """The notice to the Commission d'accès à l'information (Québec regulation s. 3)."""
    INDIVIDUALS = "individuals"
    """Direct notices to each affected person, through the outbox (s. 3; Québec s. 5)."""
    PUBLIC = "public"
    """An indirect notice (public communication, advertisement) instead of direct ones (BRE-4)."""
    ORGANIZATION = "organization"
    """An organization that may reduce the risk of harm (a bank, the police, a credit bureau)."""


REGULATOR_KINDS = frozenset({NoticeKind.OPC_REPORT, NoticeKind.CAI_NOTICE})


class PublicNoticeReason(StrEnum):
    """Why an indirect notice is given instead of direct ones (SOR/2018-64 s. 5(1); BRE-4)."""

    FURTHER_HARM = "further_harm"
    """Direct notification would be likely to cause further harm to the individual."""
    UNDUE_HARDSHIP = "undue_hardship"
    """Direct notification would be likely to cause undue hardship for the organization."""
    NO_CONTACT = "no_contact"
    """The organization does not have contact information for the individual."""


class LinkMethod(StrEnum):
    """How an affected person was linked to an incident."""

    QUERY = "query"
    LIST = "list"


@dataclass(frozen=True)
class Occurrence:
    """When the incident happened: a day, a period, or an approximation of either."""

    started_on: date | None = None
    ended_on: date | None = None
    approximate: bool = False

    @property
    def known(self) -> bool:
        return self.started_on is not None


@dataclass(frozen=True)
class Incident:
    """One entry of the register. ``circumstances``, ``cause``, ``measures``,
    ``individual_steps`` and ``unknown_information`` may name people: sealed at rest."""

    id: str
    reference: str
    """What people say and write: ``INC-2026-0007`` (the year it was recorded, then a number)."""
    title: str
    reported_at: datetime
    reported_by: ReportedBy
    recorded_by: str
    """The staff member who recorded it, or ``portal`` for the portal's form."""
    aware_on: date
    """When the company became aware of it (the start of every "as soon as feasible")."""
    circumstances: str = ""
    cause: str = ""
    occurrence: Occurrence = field(default_factory=Occurrence)
    categories: tuple[str, ...] = ()
    unknown_information: str = ""
    """Why the information involved cannot be described, when it cannot."""
    systems: tuple[str, ...] = ()
    affected_estimate: int | None = None
    """The number of people affected, when no list of them is linked (or an approximation)."""
    affected_approximate: bool = False
    measures: str = ""
    """Measures taken to reduce the risk of harm, or to be taken."""
    individual_steps: str = ""
    """What an affected person can do to reduce the risk of harm (for the notices)."""
    reporter_contact: str = ""
    """How to reach whoever reported it from outside (the portal's form); sealed."""
    status: IncidentStatus = IncidentStatus.OPEN
    closed_at: datetime | None = None
    closed_by: str | None = None
    determined_on: date | None = None
    """When the company determined that a breach occurred (from the assessment; BRE-5)."""
    keep_until: date | None = None
    """The first day the record may be disposed of (BRE-5); None until it is known."""
    quebec: bool = False
    """Whether a person affected lives in Québec (the Commission's notice and register)."""

    def close(self, at: datetime, by: str, assessed: bool, outstanding: list[str]) -> Incident:
        """Closed by the officer: refused without an assessment (BRE-2) or with reports or
        notices the assessment made owed still not sent (BRE-3)."""
        if self.status is IncidentStatus.CLOSED:
            raise IncidentClosed(self.reference)
        if not assessed:
            raise NotAllowed(
                f"incident {self.reference} has no risk assessment: assess it before closing",
                rule="BRE-2",
            )
        if outstanding:
            raise NotAllowed(
                f"incident {self.reference} still owes: {', '.join(outstanding)}",
                rule="BRE-3",
                outstanding=outstanding,
            )
        return replace(self, status=IncidentStatus.CLOSED, closed_at=at, closed_by=by)

    def require_open(self) -> None:
        if self.status is IncidentStatus.CLOSED:
            raise IncidentClosed(self.reference)


@dataclass(frozen=True)
class Assessment:
    """The risk assessment and the officer's decision (BRE-2). The PIPEDA part: the
    sensitivity of the information and the probability of misuse, with the factors recorded;
    the Québec part (when Québec people are affected): possible ill-intentioned uses,
    anticipated consequences and their likelihood. ``proposed_*`` is what Confide proposed."""

    id: str
    incident_id: str
    sensitivity: Level
    probability: Level
    factors: tuple[str, ...]
    factors_note: str
    proposed_real_risk: bool
    proposed_reasons: tuple[str, ...]
    real_risk: bool
    decision_reason: str
    decided_by: str
    decided_at: datetime
    determined_on: date
    ill_intentioned_uses: str = ""
    consequences: str = ""
    likelihood: Level | None = None
    proposed_serious_injury: bool | None = None
    serious_injury: bool | None = None
    """The Québec decision; None when no Québec person is affected."""

    @property
    def notices_owed(self) -> bool:
        """Whether people must be told: real risk (PIPEDA) or serious injury (Québec)."""
        return self.real_risk or bool(self.serious_injury)


@dataclass(frozen=True)
class Notice:
    """A report, notice or notification: its target date (set by the officer: "as soon as
    feasible"), and when it was sent and by whom. ``details`` may name people: sealed."""

    id: str
    incident_id: str
    kind: NoticeKind
    created_at: datetime
    created_by: str
    target_on: date | None = None
    party: str = ""
    """The organization notified (``organization``), or how a public notice was given."""
    reason: PublicNoticeReason | None = None
    details: str = ""
    """For a public notice, why direct notice is not given; for the others, a note."""
    sent_on: date | None = None
    sent_by: str | None = None
    reference: str = ""
    """The regulator's file number, or how it was sent."""
    count: int = 0
    """For ``individuals``: how many notices were composed into the outbox."""

    def late(self, today: date) -> bool:
        return self.sent_on is None and self.target_on is not None and today > self.target_on

    def mark_sent(self, on: date, by: str, reference: str) -> Notice:
        if self.sent_on is not None:
            raise Conflict(f"the {self.kind.value} was already recorded as sent", notice=self.id)
        return replace(self, sent_on=on, sent_by=by, reference=reference)


@dataclass(frozen=True)
class AffectedCount:
    """People linked to an incident, by province."""

    province: str
    people: int
    notified: int = 0


# --- errors -------------------------------------------------------------------------------------


class IncidentClosed(Conflict):
    def __init__(self, reference: str) -> None:
        super().__init__(f"incident {reference} is closed", incident=reference)


class NotYetDisposable(NotAllowed):
    """An incident's record asked to be disposed of before its keeping period ends (BRE-5)."""

    def __init__(self, reference: str, keep_until: date | None) -> None:
        until = keep_until.isoformat() if keep_until else "a date not yet known (not assessed)"
        super().__init__(
            f"incident {reference} must be kept until {until}", rule="BRE-5", incident=reference
        )


class UnmatchedLines(ValidationFailed):
    """An uploaded list of affected people with lines that match nobody, or more than one."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(
            f"{len(problems)} line(s) of the list do not name exactly one person: nothing linked",
            problems,
        )
