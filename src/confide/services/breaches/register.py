"""The breach register's own use cases (BRE-1, BRE-2, BRE-5): record an incident (staff or
the portal), amend its facts, link the people affected, propose and record the assessment,
close, dispose of records kept long enough, and read the register.

Each use case is one unit of work with its audit entry (which names ids, kinds, counts and
dates, never the narrative, which may name people). Notices to people are composed into the
outbox in the same unit of work as the register's record of them.

While an incident is open, a legal hold of kind ``breach_investigation`` keeps each category
of information it involves (evidence), and closes with it. Once the breach is determined, the
incident's records are kept until :func:`~confide.domain.breaches.rules.keep_until` (BRE-5):
the register refuses to dispose of them earlier, and the people it links keep their audit
payloads (see :meth:`IncidentRegister.keeping`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.breaches.contents import (
    Facts,
    missing_sections,
    notice_sections,
    report_sections,
)
from confide.domain.breaches.model import (
    AffectedCount,
    Assessment,
    Incident,
    IncidentStatus,
    Level,
    LinkMethod,
    Notice,
    NoticeKind,
    NotYetDisposable,
    Occurrence,
    ReportedBy,
)
from confide.domain.breaches.rules import (
    FACTOR_IDS,
    Proposal,
    keep_until,
    missing_facts,
    outstanding,
    propose,
)
from confide.domain.errors import NotFound, ValidationFailed
from confide.domain.holds import HoldKind, HoldScope, LegalHold
from confide.domain.policy import Policy, category_names
from confide.services.breaches.affected import parse_list
from confide.services.breaches.commands import (
    MAX_NAME,
    MAX_TEXT,
    AssessIncident,
    IncidentFacts,
    PortalReport,
    Problems,
    apply_facts,
)
from confide.services.context import ServiceContext
from confide.services.holds import HoldService
from confide.services.ports.breaches import AffectedPerson, AffectedQuery, RegisterFilter
from confide.services.ports.outbox import OutboxNudge
from confide.services.ports.store import UnitOfWork

PORTAL = "portal"
"""Who recorded an incident reported through the portal's form."""


@dataclass(frozen=True)
class IncidentView:
    """An incident with everything the officer's page shows."""

    incident: Incident
    assessments: list[Assessment]
    notices: list[Notice]
    counts: list[AffectedCount]
    missing: list[str]
    """The register's contents still missing (BRE-1)."""
    outstanding: list[str]
    """Reports and notices the decision made owed and not yet sent (BRE-3)."""
    proposal: Proposal
    holds: list[LegalHold]

    @property
    def assessment(self) -> Assessment | None:
        return self.assessments[-1] if self.assessments else None

    @property
    def affected(self) -> int:
        return sum(c.people for c in self.counts)

    @property
    def affected_quebec(self) -> int:
        return sum(c.people for c in self.counts if c.province == "QC")

    @property
    def notified(self) -> int:
        return sum(c.notified for c in self.counts)


@dataclass(frozen=True)
class RegisterRow:
    incident: Incident
    assessment: Assessment | None
    notices: list[Notice]
    late: list[Notice]


class IncidentRegister:
    """The register itself: incidents, the people affected, the assessment, closing, keeping
    and reading. :class:`BreachService` adds the reports and notices."""

    def __init__(
        self,
        ctx: ServiceContext,
        holds: HoldService,
        outbox: OutboxNudge | None = None,
        officer_email: str | None = None,
    ) -> None:
        self.ctx = ctx
        self.holds = holds
        self.outbox = outbox
        self.officer_email = officer_email
        """Where the late reminders go (default: the officer's address in the policy)."""

    # --- recording --------------------------------------------------------------------------------
    def record(self, principal: Principal, facts: IncidentFacts) -> Incident:
        """Record an incident, whatever its severity (BRE-1): a title and when the company
        became aware of it are enough to start; the page lists what is still missing."""
        principal.require(Action.INCIDENTS_RECORD)
        now = self.ctx.now()
        base = Incident(
            id=self.ctx.new_id("inc"),
            reference="",
            title="",
            reported_at=now,
            reported_by=ReportedBy.STAFF,
            recorded_by=principal.user_id,
            aware_on=facts.aware_on or now.date(),
        )
        incident = apply_facts(base, facts, self.ctx.policy, now.date(), creating=True)
        with self.ctx.uow() as uow:
            incident = replace(incident, reference=uow.breaches.next_reference(now.year))
            uow.breaches.add(incident)
            self._sync_holds(uow, principal, incident)
            uow.audit.record(self._audit(principal, "incident.recorded", incident, {}))
            uow.commit()
        return incident

    def report_from_portal(self, report: PortalReport) -> Incident:
        """An incident reported by someone outside the company, through the portal's form (no
        account; the portal limits how often one address may send)."""
        p = Problems()
        description = p.text("description", report.description, required=True, limit=MAX_TEXT)
        contact = p.text("contact", report.contact, required=True, limit=MAX_NAME)
        if report.occurred_on is not None and report.occurred_on > self.ctx.now().date():
            p.add("occurred_on", "is in the future")
        if p.items:
            raise ValidationFailed("the report cannot be recorded", p.items)
        now = self.ctx.now()
        title = (
            "Signalé par le portail" if report.language == "fr" else "Reported through the portal"
        )
        incident = Incident(
            id=self.ctx.new_id("inc"),
            reference="",
            title=title,
            reported_at=now,
            reported_by=ReportedBy.INDIVIDUAL,
            recorded_by=PORTAL,
            aware_on=now.date(),
            circumstances=description,
            reporter_contact=contact,
            occurrence=Occurrence(report.occurred_on, None, True)
            if report.occurred_on
            else Occurrence(),
        )
        with self.ctx.uow() as uow:
            incident = replace(incident, reference=uow.breaches.next_reference(now.year))
            uow.breaches.add(incident)
            uow.audit.record(
                AuditRecord(
                    "incident.reported",
                    PORTAL,
                    "incident",
                    incident.id,
                    now,
                    details={"reference": incident.reference, "reported_by": "individual"},
                )
            )
            uow.commit()
        return incident

    def amend(self, principal: Principal, incident_id: str, facts: IncidentFacts) -> Incident:
        """Amend the facts of an open incident (what the investigation learns)."""
        principal.require(Action.INCIDENTS_MANAGE)
        with self.ctx.uow() as uow:
            current = self._get(uow, incident_id, for_update=True)
            current.require_open()
            incident = apply_facts(
                current, facts, self.ctx.policy, self.ctx.now().date(), creating=False
            )
            uow.breaches.save(incident)
            self._sync_holds(uow, principal, incident)
            changed = [
                name
                for name in IncidentFacts.__dataclass_fields__
                if getattr(facts, name) is not None
            ]
            uow.audit.record(
                self._audit(principal, "incident.amended", incident, {"fields": changed})
            )
            uow.commit()
        return incident

    # --- the people affected ----------------------------------------------------------------------
    def link_by_query(self, principal: Principal, incident_id: str, query: AffectedQuery) -> int:
        """Link everyone holding the information the query describes; returns how many were
        added (people already linked are not counted twice)."""
        principal.require(Action.INCIDENTS_MANAGE)
        p = Problems()
        if query.empty:
            p.add("query", "name categories, systems, sources or a time window")
        policy = self.ctx.policy
        unknown = [c for c in query.categories if policy.category(c) is None]
        if unknown:
            p.add("categories", f"not categories of the policy: {', '.join(unknown)}")
        if query.held_from and query.held_to and query.held_to < query.held_from:
            p.add("held_to", "is before held_from")
        for name in ("held_from", "held_to"):
            value = getattr(query, name)
            if value is not None and value.tzinfo is None:
                p.add(name, "needs a time zone (e.g. Z or -05:00)")
        if p.items:
            raise ValidationFailed("the people affected cannot be linked", p.items)
        with self.ctx.uow() as uow:
            incident = self._get(uow, incident_id, for_update=True)
            incident.require_open()
            added = uow.breaches.link_query(
                incident.id, query, self.ctx.now(), LinkMethod.QUERY.value
            )
            incident = self._after_link(uow, incident)
            uow.audit.record(
                self._audit(
                    principal,
                    "incident.people_linked",
                    incident,
                    {
                        "method": "query",
                        "added": added,
                        "categories": list(query.categories),
                        "systems": list(query.systems),
                        "sources": list(query.sources),
                    },
                )
            )
            uow.commit()
        return added

    def link_by_list(self, principal: Principal, incident_id: str, text: str) -> int:
        """Link the people an uploaded list names, one identifier a line (``email:...``,
        ``phone:...``, ``account:...``, ``employee_number:...``, ``ref:...`` or a bare value).
        A line matching nobody, or more than one person, refuses the whole list, by line."""
        principal.require(Action.INCIDENTS_MANAGE)
        with self.ctx.uow() as uow:
            incident = self._get(uow, incident_id, for_update=True)
            incident.require_open()
            subject_ids = parse_list(uow, text)
            added = uow.breaches.link_subjects(
                incident.id, subject_ids, self.ctx.now(), LinkMethod.LIST.value
            )
            incident = self._after_link(uow, incident)
            uow.audit.record(
                self._audit(
                    principal,
                    "incident.people_linked",
                    incident,
                    {"method": "list", "lines": len(subject_ids), "added": added},
                )
            )
            uow.commit()
        return added

    def _after_link(self, uow: UnitOfWork, incident: Incident) -> Incident:
        quebec = any(c.province == "QC" for c in uow.breaches.counts(incident.id))
        if quebec and not incident.quebec:
            incident = replace(incident, quebec=True)
            incident = self._kept(incident, self.ctx.policy)
            uow.breaches.save(incident)
        return incident

    def affected(
        self, principal: Principal, incident_id: str, *, offset: int = 0, limit: int = 100
    ) -> list[AffectedPerson]:
        principal.require(Action.INCIDENTS_READ)
        with self.ctx.uow(readonly=True) as uow:
            incident = self._get(uow, incident_id)
            return uow.breaches.affected(incident.id, offset=offset, limit=min(limit, 1000))

    # --- the assessment (BRE-2) -------------------------------------------------------------------
    def proposal(
        self,
        principal: Principal,
        incident_id: str,
        factors: Sequence[str] = (),
        likelihood: str | None = None,
    ) -> Proposal:
        """What Confide proposes for these factors, with its reasons."""
        principal.require(Action.INCIDENTS_READ)
        with self.ctx.uow(readonly=True) as uow:
            incident = self._get(uow, incident_id)
        level = Level(likelihood) if likelihood in set(Level) else None
        return self._propose(incident, [f for f in factors if f in FACTOR_IDS], level)

    def _propose(
        self, incident: Incident, factors: Sequence[str], likelihood: Level | None
    ) -> Proposal:
        policy = self.ctx.policy
        sensitivities = {c.id: c.sensitivity.value for c in policy.categories}
        return propose(
            incident.categories,
            sensitivities,
            factors,
            quebec=incident.quebec,
            likelihood=likelihood,
        )

    def assess(self, principal: Principal, incident_id: str, cmd: AssessIncident) -> Assessment:
        """Record the officer's assessment and decision (BRE-2), with Confide's proposal beside
        it. The Québec elements are required when Québec people are affected."""
        principal.require(Action.INCIDENTS_MANAGE)
        p = Problems()
        factors = tuple(dict.fromkeys(f.strip() for f in cmd.factors if f.strip()))
        bad = [f for f in factors if f not in FACTOR_IDS]
        if bad:
            p.add("factors", f"unknown factors: {', '.join(bad)}", ", ".join(sorted(FACTOR_IDS)))
        note = p.text("factors_note", cmd.factors_note, required=False, limit=MAX_TEXT)
        if not factors and not note:
            p.add(
                "factors",
                "name the factors of the probability of misuse (or describe them in factors_note)",
            )
        reason = p.text("decision_reason", cmd.decision_reason, required=True, limit=MAX_TEXT)
        levels: dict[str, Level | None] = {}
        for name in ("sensitivity", "probability", "likelihood"):
            value = getattr(cmd, name)
            if value in (None, ""):
                levels[name] = None
            elif value not in set(Level):
                p.add(name, "must be low, medium or high")
                levels[name] = None
            else:
                levels[name] = Level(value)
        today = self.ctx.now().date()
        determined = cmd.determined_on or today
        if determined > today:
            p.add("determined_on", "is in the future")
        with self.ctx.uow() as uow:
            incident = self._get(uow, incident_id, for_update=True)
            incident.require_open()
            if determined < incident.aware_on:
                p.add("determined_on", "is before the company became aware of the incident")
            uses = consequences = ""
            if incident.quebec:
                uses = p.text(
                    "ill_intentioned_uses", cmd.ill_intentioned_uses, required=True, limit=MAX_TEXT
                )
                consequences = p.text(
                    "consequences", cmd.consequences, required=True, limit=MAX_TEXT
                )
                if levels["likelihood"] is None and "likelihood" not in {
                    x.location for x in p.items
                }:
                    p.add("likelihood", "is required when Québec residents are affected")
                if cmd.serious_injury is None:
                    p.add("serious_injury", "is required when Québec residents are affected")
            if p.items:
                raise ValidationFailed("the assessment cannot be recorded", p.items)
            proposal = self._propose(incident, factors, levels["likelihood"])
            assessment = Assessment(
                id=self.ctx.new_id("ias"),
                incident_id=incident.id,
                sensitivity=levels["sensitivity"] or proposal.sensitivity,
                probability=levels["probability"] or proposal.probability,
                factors=factors,
                factors_note=note,
                proposed_real_risk=proposal.real_risk,
                proposed_reasons=proposal.reasons,
                real_risk=cmd.real_risk,
                decision_reason=reason,
                decided_by=principal.user_id,
                decided_at=self.ctx.now(),
                determined_on=determined,
                ill_intentioned_uses=uses,
                consequences=consequences,
                likelihood=levels["likelihood"],
                proposed_serious_injury=proposal.serious_injury,
                serious_injury=cmd.serious_injury if incident.quebec else None,
            )
            uow.breaches.add_assessment(assessment)
            incident = self._kept(replace(incident, determined_on=determined), self.ctx.policy)
            uow.breaches.save(incident)
            uow.audit.record(
                self._audit(
                    principal,
                    "incident.assessed",
                    incident,
                    {
                        "assessment": assessment.id,
                        "real_risk": assessment.real_risk,
                        "proposed_real_risk": assessment.proposed_real_risk,
                        "serious_injury": assessment.serious_injury,
                        "sensitivity": assessment.sensitivity.value,
                        "probability": assessment.probability.value,
                        "factors": list(factors),
                        "determined_on": determined.isoformat(),
                        "rule": "BRE-2",
                    },
                )
            )
            uow.commit()
        return assessment

    def _kept(self, incident: Incident, policy: Policy) -> Incident:
        rules = policy.rules
        return replace(
            incident,
            keep_until=keep_until(
                incident.determined_on,
                incident.aware_on,
                incident.quebec,
                months=rules.breach_record_retention_months,
                quebec_years=rules.quebec_incident_register_years,
            ),
        )

    # --- closing, keeping -------------------------------------------------------------------------
    def close(self, principal: Principal, incident_id: str) -> Incident:
        """Close an incident: refused without an assessment (BRE-2) or while a report or
        notice the decision made owed is not sent (BRE-3). Its holds close with it."""
        principal.require(Action.INCIDENTS_MANAGE)
        with self.ctx.uow() as uow:
            incident = self._get(uow, incident_id, for_update=True)
            assessments = uow.breaches.assessments(incident.id)
            latest = assessments[-1] if assessments else None
            left = outstanding(latest, incident.quebec, uow.breaches.notices(incident.id))
            closed = incident.close(self.ctx.now(), principal.user_id, latest is not None, left)
            uow.breaches.save(closed)
            self._sync_holds(uow, principal, closed)
            uow.audit.record(
                self._audit(
                    principal,
                    "incident.closed",
                    closed,
                    {"keep_until": closed.keep_until.isoformat() if closed.keep_until else None},
                )
            )
            uow.commit()
        return closed

    def dispose(self, principal: Principal, incident_id: str) -> str:
        """Dispose of a closed incident's records once its keeping period has ended (BRE-5);
        returns its reference. Refused before that day."""
        principal.require(Action.INCIDENTS_DISPOSE)
        with self.ctx.uow() as uow:
            incident = self._get(uow, incident_id, for_update=True)
            today = self.ctx.now().date()
            if (
                incident.status is not IncidentStatus.CLOSED
                or incident.keep_until is None
                or today < incident.keep_until
            ):
                raise NotYetDisposable(incident.reference, incident.keep_until)
            uow.breaches.delete(incident.id)
            uow.audit.record(
                self._audit(
                    principal,
                    "incident.disposed",
                    incident,
                    {"keep_until": incident.keep_until.isoformat(), "rule": "BRE-5"},
                )
            )
            uow.commit()
        return incident.reference

    def keeping(self, uow: UnitOfWork, subject_ids: Sequence[str]) -> dict[str, str]:
        """Of ``subject_ids``, those an incident still kept links (BRE-5): their audit payloads
        stay. Called inside the destroying unit of work."""
        return uow.breaches.keeping(subject_ids, self.ctx.now().date())

    # --- reading ----------------------------------------------------------------------------------
    def view(self, principal: Principal, incident_id: str) -> IncidentView:
        principal.require(Action.INCIDENTS_READ)
        with self.ctx.uow(readonly=True) as uow:
            incident = self._get(uow, incident_id)
            assessments = uow.breaches.assessments(incident.id)
            notices = uow.breaches.notices(incident.id)
            counts = uow.breaches.counts(incident.id)
            holds = uow.holds.listing(cause=incident.id)
        latest = assessments[-1] if assessments else None
        factors = latest.factors if latest else ()
        return IncidentView(
            incident=incident,
            assessments=assessments,
            notices=notices,
            counts=counts,
            missing=missing_facts(incident, sum(c.people for c in counts)),
            outstanding=outstanding(latest, incident.quebec, notices),
            proposal=self._propose(incident, factors, latest.likelihood if latest else None),
            holds=holds,
        )

    def register(
        self, principal: Principal, flt: RegisterFilter, *, offset: int = 0, limit: int = 100
    ) -> list[RegisterRow]:
        principal.require(Action.INCIDENTS_READ)
        today = self.ctx.now().date()
        with self.ctx.uow(readonly=True) as uow:
            rows = uow.breaches.listing(flt, offset=offset, limit=min(limit, 1000))
            ids = [i.id for i in rows]
            latest = uow.breaches.latest_assessments(ids)
            notices = uow.breaches.notices_of(ids)
        return [
            RegisterRow(
                i,
                latest.get(i.id),
                notices.get(i.id, []),
                [n for n in notices.get(i.id, []) if n.late(today)],
            )
            for i in rows
        ]

    def late(self, principal: Principal) -> list[RegisterRow]:
        """Open incidents with a report or notice past its target date."""
        return [
            row
            for row in self.register(
                principal, RegisterFilter(late_on=self.ctx.now().date()), limit=1000
            )
        ]

    def report(
        self, principal: Principal, incident_id: str, kind: str, lang: str
    ) -> tuple[Incident, list[tuple[str, str]], list[str]]:
        """A regulator's report (``opc_report`` or ``cai_notice``) or the notice to people
        (``individuals``), assembled: the incident, the sections, and those still missing."""
        principal.require(Action.INCIDENTS_READ)
        if kind not in {NoticeKind.OPC_REPORT, NoticeKind.CAI_NOTICE, NoticeKind.INDIVIDUALS}:
            raise ValidationFailed.single(
                "kind", "is not a report", "opc_report, cai_notice, individuals"
            )
        notice_kind = NoticeKind(kind)
        with self.ctx.uow(readonly=True) as uow:
            incident = self._get(uow, incident_id)
            facts = self._facts(uow, incident, lang)
        if notice_kind is NoticeKind.INDIVIDUALS:
            sections = notice_sections(facts, lang, incident.quebec)
        else:
            sections = report_sections(notice_kind, facts, lang)
        return incident, sections, missing_sections(notice_kind, sections)

    def names(self, principal: Principal, lang: str) -> dict[str, str]:
        """The policy's names of its categories in ``lang``."""
        principal.require(Action.INCIDENTS_READ)
        return category_names(self.ctx.policy, lang)

    # --- helpers ----------------------------------------------------------------------------------
    def _get(self, uow: UnitOfWork, incident_id: str, *, for_update: bool = False) -> Incident:
        incident = uow.breaches.get(incident_id.strip(), for_update=for_update)
        if incident is None:
            raise NotFound("incident", incident_id)
        return incident

    def _notice(
        self, uow: UnitOfWork, incident_id: str, kind: NoticeKind, party: str
    ) -> Notice | None:
        return next(
            (
                n
                for n in uow.breaches.notices(incident_id)
                if n.kind is kind and n.party.casefold() == party.casefold()
            ),
            None,
        )

    def _facts(
        self, uow: UnitOfWork, incident: Incident, lang: str, *, contact: str | None = None
    ) -> Facts:
        policy = self.ctx.policy
        org = policy.organization
        officer = org.privacy_officer
        counts = uow.breaches.counts(incident.id)
        assessments = uow.breaches.assessments(incident.id)
        published = ", ".join(
            x
            for x in (
                f"{officer.name}, {officer.title.in_language(lang)}",
                officer.email,
                officer.phone or "",
                officer.address or "",
            )
            if x
        )
        return Facts(
            incident=incident,
            organization=org.name,
            contact=published if contact is None else contact.strip(),
            category_names=category_names(policy, lang),
            affected=sum(c.people for c in counts),
            affected_quebec=sum(c.people for c in counts if c.province == "QC"),
            assessment=assessments[-1] if assessments else None,
            notices=uow.breaches.notices(incident.id),
            complaint_contact=(
                org.complaint_contact.in_language(lang) if org.complaint_contact else ""
            ),
        )

    def _sync_holds(self, uow: UnitOfWork, principal: Principal, incident: Incident) -> None:
        """One hold per category an open incident involves; none once it is closed."""
        now = self.ctx.now()
        open_holds = {
            h.scope.category: h
            for h in uow.holds.listing(cause=incident.id, active_only=True)
            if h.kind is HoldKind.BREACH_INVESTIGATION
        }
        wanted = set(incident.categories) if incident.status is IncidentStatus.OPEN else set()
        for category in sorted(wanted - set(open_holds)):
            hold = LegalHold(
                id=self.ctx.new_id("hold"),
                kind=HoldKind.BREACH_INVESTIGATION,
                scope=HoldScope(category=category),
                opened_at=now,
                opened_by=principal.user_id,
                reason=f"Investigation of incident {incident.reference}",
                cause=incident.id,
            )
            self.holds.add_in(uow, principal, hold)
        for held, hold in open_holds.items():
            if held not in wanted:
                reason = f"Incident {incident.reference} closed, or no longer involves it"
                self.holds.close_in(uow, principal, hold, reason)

    def _audit(
        self, principal: Principal, action: str, incident: Incident, details: dict[str, Any]
    ) -> AuditRecord:
        active = self.ctx.active
        return AuditRecord(
            action,
            principal.user_id,
            "incident",
            incident.id,
            self.ctx.now(),
            policy_version=active.version_id if active else None,
            details={"reference": incident.reference, **details},
        )
