"""Use cases of the breach register (BRE-1..5): record an incident, link the people affected,
assess the risk, report to the regulators, notify people and organizations, close, export,
and dispose of records whose keeping period has ended.

Each use case is one unit of work with its audit entry (which names ids, kinds, counts and
dates, never the narrative, which may name people). Notices to people are composed into the
outbox in the same unit of work as the register's record of them.

While an incident is open, a legal hold of kind ``breach_investigation`` keeps each category
of information it involves (evidence), and closes with it. Once the breach is determined, the
incident's records are kept until :func:`~confide.domain.breaches.rules.keep_until` (BRE-5):
the register refuses to dispose of them earlier, and the people it links keep their audit
payloads (see :meth:`BreachService.keeping`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.breaches.contents import (
    Facts,
    late_mail,
    missing_sections,
    notice_sections,
    report_sections,
)
from confide.domain.breaches.model import (
    REGULATOR_KINDS,
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
    PublicNoticeReason,
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
from confide.domain.errors import Conflict, FieldProblem, NotAllowed, NotFound, ValidationFailed
from confide.domain.holds import HoldKind, HoldScope, LegalHold
from confide.domain.outbox import Composed, OutboxKind, TargetType, compose
from confide.domain.policy import Policy, category_names
from confide.services.breaches.affected import parse_list
from confide.services.breaches.commands import (
    MAX_NAME,
    MAX_TEXT,
    MAX_TITLE,
    AssessIncident,
    IncidentFacts,
    NotifyIndividuals,
    PlanNotice,
    PortalReport,
    Problems,
    PublicNotice,
    RecordSent,
)
from confide.services.breaches.notices import compose_notices
from confide.services.context import ServiceContext
from confide.services.holds import HoldService
from confide.services.ports.breaches import AffectedPerson, AffectedQuery, RegisterFilter
from confide.services.ports.outbox import OutboxNudge
from confide.services.ports.store import UnitOfWork

PORTAL = "portal"
"""Who recorded an incident reported through the portal's form."""

__all__ = [
    "AssessIncident",
    "BreachService",
    "IncidentFacts",
    "IncidentView",
    "NotifyIndividuals",
    "PlanNotice",
    "PortalReport",
    "PublicNotice",
    "RecordSent",
]


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


class BreachService:
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
        incident = self._apply(base, facts, creating=True)
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
            incident = self._apply(current, facts, creating=False)
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

    def _apply(self, base: Incident, facts: IncidentFacts, *, creating: bool) -> Incident:
        """``base`` with ``facts`` applied, every field checked; raises with every problem."""
        p = Problems()
        policy = self.ctx.policy
        today = self.ctx.now().date()

        def text(name: str, limit: int = MAX_TEXT, required: bool = False) -> str:
            value = getattr(facts, name)
            if value is None:
                return str(getattr(base, name))
            return p.text(name, value, required=required, limit=limit)

        title = text("title", MAX_TITLE, required=creating or facts.title is not None)
        reported_by = base.reported_by
        if facts.reported_by is not None:
            if facts.reported_by not in set(ReportedBy):
                p.add("reported_by", "is not a way incidents are reported", _choices(ReportedBy))
            else:
                reported_by = ReportedBy(facts.reported_by)
        aware_on = facts.aware_on or base.aware_on
        if aware_on > today:
            p.add("aware_on", "is in the future")
        occurrence = Occurrence(
            facts.occurred_from if facts.occurred_from is not None else base.occurrence.started_on,
            facts.occurred_to if facts.occurred_to is not None else base.occurrence.ended_on,
            base.occurrence.approximate
            if facts.occurred_approximate is None
            else facts.occurred_approximate,
        )
        if occurrence.ended_on and not occurrence.started_on:
            p.add("occurred_from", "is required with occurred_to (the start of the period)")
        start, end = occurrence.started_on, occurrence.ended_on
        if start and end and end < start:
            p.add("occurred_to", "is before occurred_from")
        if occurrence.started_on and occurrence.started_on > today:
            p.add("occurred_from", "is in the future")
        categories = base.categories
        if facts.categories is not None:
            categories = tuple(dict.fromkeys(c.strip() for c in facts.categories if c.strip()))
            unknown = [c for c in categories if policy.category(c) is None]
            if unknown:
                p.add(
                    "categories",
                    f"not categories of the policy: {', '.join(unknown)}",
                    ", ".join(c.id for c in policy.categories),
                )
        systems = base.systems
        if facts.systems is not None:
            systems = tuple(dict.fromkeys(s.strip() for s in facts.systems if s.strip()))
            if any(len(s) > 100 for s in systems):
                p.add("systems", "a system's name is longer than 100 characters")
        estimate = base.affected_estimate
        if facts.affected_estimate is not None:
            if facts.affected_estimate < 0:
                p.add("affected_estimate", "must be 0 or more")
            estimate = facts.affected_estimate
        incident = replace(
            base,
            title=title,
            reported_by=reported_by,
            aware_on=aware_on,
            circumstances=text("circumstances"),
            cause=text("cause"),
            occurrence=occurrence,
            categories=categories,
            unknown_information=text("unknown_information"),
            systems=systems,
            affected_estimate=estimate,
            affected_approximate=base.affected_approximate
            if facts.affected_approximate is None
            else facts.affected_approximate,
            measures=text("measures"),
            individual_steps=text("individual_steps"),
        )
        if p.items:
            raise ValidationFailed("the incident cannot be recorded", p.items)
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

    # --- reports and notices (BRE-3, BRE-4) -------------------------------------------------------
    def plan(self, principal: Principal, incident_id: str, cmd: PlanNotice) -> Notice:
        """Set the target date of a report or notice ("as soon as feasible": the officer sets
        it; the register shows it late once passed), or name an organization to notify."""
        principal.require(Action.INCIDENTS_MANAGE)
        p = Problems()
        kind = NoticeKind(cmd.kind) if cmd.kind in set(NoticeKind) else None
        if kind is None or kind is NoticeKind.PUBLIC:
            p.add("kind", "is not a report or notice to plan", _choices(NoticeKind, "public"))
        party = p.text("party", cmd.party, required=kind is NoticeKind.ORGANIZATION, limit=MAX_NAME)
        if cmd.target_on is None:
            p.add("target_on", "is required (the date it is to be sent by)")
        if p.items:
            raise ValidationFailed("the notice cannot be planned", p.items)
        assert kind is not None
        with self.ctx.uow() as uow:
            incident = self._get(uow, incident_id, for_update=True)
            incident.require_open()
            if cmd.target_on is not None and cmd.target_on < incident.aware_on:
                raise ValidationFailed.single(
                    "target_on", "is before the company became aware of the incident"
                )
            existing = self._notice(uow, incident.id, kind, party)
            if existing is not None and existing.sent_on is not None:
                raise Conflict(f"the {kind.value} was already sent", notice=existing.id)
            if existing is None:
                notice = Notice(
                    id=self.ctx.new_id("ino"),
                    incident_id=incident.id,
                    kind=kind,
                    created_at=self.ctx.now(),
                    created_by=principal.user_id,
                    target_on=cmd.target_on,
                    party=party,
                )
                uow.breaches.add_notice(notice)
            else:
                notice = replace(existing, target_on=cmd.target_on)
                uow.breaches.save_notice(notice)
            uow.audit.record(
                self._audit(
                    principal,
                    "incident.notice_planned",
                    incident,
                    {
                        "notice": notice.id,
                        "kind": kind.value,
                        "target_on": notice.target_on.isoformat() if notice.target_on else None,
                    },
                )
            )
            uow.commit()
        return notice

    def record_sent(
        self, principal: Principal, incident_id: str, kind: str, cmd: RecordSent, party: str = ""
    ) -> Notice:
        """Record that a report to a regulator was sent (refused while a content its regulation
        requires is missing), or that an organization was notified."""
        principal.require(Action.INCIDENTS_MANAGE)
        if kind not in {k.value for k in (*REGULATOR_KINDS, NoticeKind.ORGANIZATION)}:
            raise ValidationFailed.single(
                "kind", "is not a report or notification", "opc_report, cai_notice, organization"
            )
        notice_kind = NoticeKind(kind)
        p = Problems()
        reference = p.text("reference", cmd.reference, required=False, limit=MAX_NAME)
        party = p.text(
            "party", party, required=notice_kind is NoticeKind.ORGANIZATION, limit=MAX_NAME
        )
        today = self.ctx.now().date()
        sent_on = cmd.sent_on or today
        if sent_on > today:
            p.add("sent_on", "is in the future")
        if p.items:
            raise ValidationFailed("the sending cannot be recorded", p.items)
        with self.ctx.uow() as uow:
            incident = self._get(uow, incident_id, for_update=True)
            if sent_on < incident.aware_on:
                raise ValidationFailed.single(
                    "sent_on", "is before the company became aware of the incident"
                )
            if notice_kind in REGULATOR_KINDS:
                if notice_kind is NoticeKind.CAI_NOTICE and not incident.quebec:
                    raise NotAllowed(
                        "no Québec resident is linked to this incident: the Commission "
                        "d'accès à l'information is notified of Québec incidents",
                        rule="BRE-3",
                    )
                missing = missing_sections(
                    notice_kind,
                    report_sections(notice_kind, self._facts(uow, incident, "en"), "en"),
                )
                if missing:
                    raise ValidationFailed(
                        f"the {kind} lacks what its regulation requires",
                        [_missing_problem(name) for name in missing],
                    )
            existing = self._notice(uow, incident.id, notice_kind, party)
            if existing is None:
                existing = Notice(
                    id=self.ctx.new_id("ino"),
                    incident_id=incident.id,
                    kind=notice_kind,
                    created_at=self.ctx.now(),
                    created_by=principal.user_id,
                    party=party,
                )
                uow.breaches.add_notice(existing)
            notice = existing.mark_sent(sent_on, principal.user_id, reference)
            uow.breaches.save_notice(notice)
            uow.audit.record(
                self._audit(
                    principal,
                    "incident.notice_sent",
                    incident,
                    {
                        "notice": notice.id,
                        "kind": kind,
                        "sent_on": sent_on.isoformat(),
                        "late": existing.late(sent_on),
                        "rule": "BRE-3",
                    },
                )
            )
            uow.commit()
        return notice

    def notify_individuals(
        self, principal: Principal, incident_id: str, cmd: NotifyIndividuals | None = None
    ) -> Notice:
        """Compose a notice to each linked person not yet notified, into the outbox, in their
        language: an email to the address on file, else a letter to post (BRE-3). Refused while
        a content the regulations require is missing (listed), and without an assessment."""
        principal.require(Action.INCIDENTS_MANAGE)
        cmd = cmd or NotifyIndividuals()
        with self.ctx.uow() as uow:
            incident = self._get(uow, incident_id, for_update=True)
            incident.require_open()
            assessments = uow.breaches.assessments(incident.id)
            if not assessments:
                raise NotAllowed(
                    f"incident {incident.reference} has no risk assessment: assess it before "
                    "notifying people",
                    rule="BRE-2",
                )
            facts = {
                lang: self._facts(uow, incident, lang, contact=cmd.contact) for lang in ("en", "fr")
            }
            missing = missing_sections(
                NoticeKind.INDIVIDUALS, notice_sections(facts["en"], "en", incident.quebec)
            )
            if missing:
                raise ValidationFailed(
                    "the notice lacks what the regulations require",
                    [_missing_problem(name) for name in missing],
                )
            if not any(c.people for c in uow.breaches.counts(incident.id)):
                raise Conflict(
                    f"no one is linked to incident {incident.reference}: link the people "
                    "affected first"
                )
            composed = compose_notices(self.ctx, uow, incident, facts)
            existing = self._notice(uow, incident.id, NoticeKind.INDIVIDUALS, "")
            today = self.ctx.now().date()
            if existing is None:
                notice = Notice(
                    id=self.ctx.new_id("ino"),
                    incident_id=incident.id,
                    kind=NoticeKind.INDIVIDUALS,
                    created_at=self.ctx.now(),
                    created_by=principal.user_id,
                    sent_on=today,
                    sent_by=principal.user_id,
                    count=composed.total,
                )
                uow.breaches.add_notice(notice)
            else:
                notice = replace(
                    existing,
                    sent_on=existing.sent_on or today,
                    sent_by=existing.sent_by or principal.user_id,
                    count=existing.count + composed.total,
                )
                uow.breaches.save_notice(notice)
            uow.audit.record(
                self._audit(
                    principal,
                    "incident.people_notified",
                    incident,
                    {
                        "notice": notice.id,
                        "emails": composed.emails,
                        "letters": composed.letters,
                        "late": existing.late(today) if existing else False,
                        "rule": "BRE-3",
                    },
                )
            )
            if composed.first_ids and self.outbox is not None:
                outbox, first = self.outbox, composed.first_ids
                uow.after_commit(lambda: outbox.nudge(first))
            uow.commit()
        return notice

    def public_notice(self, principal: Principal, incident_id: str, cmd: PublicNotice) -> Notice:
        """Record an indirect (public) notice given instead of direct ones: only with a reason
        the regulations accept and its explanation (BRE-4)."""
        principal.require(Action.INCIDENTS_MANAGE)
        p = Problems()
        if cmd.reason not in set(PublicNoticeReason):
            p.add(
                "reason",
                "a public notice needs one of the reasons the regulations accept",
                _choices(PublicNoticeReason),
            )
        explanation = p.text("explanation", cmd.explanation, required=True, limit=MAX_TEXT)
        how = p.text("how", cmd.how, required=True, limit=MAX_NAME)
        today = self.ctx.now().date()
        sent_on = cmd.sent_on or today
        if sent_on > today:
            p.add("sent_on", "is in the future")
        if p.items:
            raise ValidationFailed("the public notice cannot be recorded (BRE-4)", p.items)
        with self.ctx.uow() as uow:
            incident = self._get(uow, incident_id, for_update=True)
            incident.require_open()
            notice = Notice(
                id=self.ctx.new_id("ino"),
                incident_id=incident.id,
                kind=NoticeKind.PUBLIC,
                created_at=self.ctx.now(),
                created_by=principal.user_id,
                party=how,
                reason=PublicNoticeReason(cmd.reason),
                details=explanation,
                sent_on=sent_on,
                sent_by=principal.user_id,
            )
            if self._notice(uow, incident.id, NoticeKind.PUBLIC, how) is not None:
                raise Conflict("this public notice is already recorded")
            uow.breaches.add_notice(notice)
            uow.audit.record(
                self._audit(
                    principal,
                    "incident.public_notice",
                    incident,
                    {"notice": notice.id, "reason": cmd.reason, "rule": "BRE-4"},
                )
            )
            uow.commit()
        return notice

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

    def tick(self, principal: Principal) -> int:
        """Remind the privacy officer, once per report or notice, when its target date has
        passed unsent ("as soon as feasible", BRE-3); returns how many reminders were added."""
        principal.require(Action.INCIDENTS_TICK)
        today = self.ctx.now().date()
        address = self.officer_email or self.ctx.policy.organization.privacy_officer.email
        added = 0
        with self.ctx.uow() as uow:
            late = uow.breaches.listing(RegisterFilter(status="open", late_on=today), limit=1000)
            notices = uow.breaches.notices_of([i.id for i in late])
            for incident in late:
                for notice in notices.get(incident.id, []):
                    if not notice.late(today) or notice.target_on is None:
                        continue
                    title, text = late_mail(incident, notice)
                    key = f"breach.late.{notice.id}.{notice.target_on.isoformat()}"
                    message = compose(
                        id=self.ctx.new_id("msg"),
                        kind=OutboxKind.BREACH_LATE,
                        target_type=TargetType.OFFICER,
                        target_id="privacy_officer",
                        content=Composed(title, text, "en", address, f"{key}@confide.breaches"),
                        key=key,
                        at=self.ctx.now(),
                    )
                    if uow.outbox.add(message):
                        added += 1
            uow.commit()
        return added

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


def _missing_problem(name: str) -> FieldProblem:
    return FieldProblem(name, "is missing: the regulations require it")


def _choices(enum: Any, *excluded: str) -> str:
    return ", ".join(e.value for e in enum if e.value not in excluded)
