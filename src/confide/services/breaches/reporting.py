"""The breach register's reports and notices (BRE-3, BRE-4): target dates ("as soon as
feasible"), reports to the regulators recorded as sent (refused while a required content is
missing), notices to each person composed into the outbox, public notices with their reason,
organizations notified, and the hourly reminder of what is late.

:class:`BreachService` is the register (:class:`~.register.IncidentRegister`) with these use
cases; the container's ``breaches`` is one.
"""

from __future__ import annotations

from dataclasses import replace

from confide.domain.access import Action, Principal
from confide.domain.breaches.contents import (
    late_mail,
    missing_sections,
    notice_sections,
    report_sections,
)
from confide.domain.breaches.model import (
    REGULATOR_KINDS,
    Notice,
    NoticeKind,
    PublicNoticeReason,
)
from confide.domain.errors import Conflict, NotAllowed, ValidationFailed
from confide.domain.outbox import Composed, OutboxKind, TargetType, compose
from confide.services.breaches.commands import (
    MAX_NAME,
    MAX_TEXT,
    NotifyIndividuals,
    PlanNotice,
    Problems,
    PublicNotice,
    RecordSent,
    choices,
    missing_problem,
)
from confide.services.breaches.notices import compose_notices
from confide.services.breaches.register import IncidentRegister
from confide.services.ports.breaches import RegisterFilter


class BreachService(IncidentRegister):
    """The breach register with its reports and notices: one unit of work per use case, its
    audit entry in it."""

    # --- reports and notices (BRE-3, BRE-4) -------------------------------------------------------
    def plan(self, principal: Principal, incident_id: str, cmd: PlanNotice) -> Notice:
        """Set the target date of a report or notice ("as soon as feasible": the officer sets
        it; the register shows it late once passed), or name an organization to notify."""
        principal.require(Action.INCIDENTS_MANAGE)
        p = Problems()
        kind = NoticeKind(cmd.kind) if cmd.kind in set(NoticeKind) else None
        if kind is None or kind is NoticeKind.PUBLIC:
            p.add("kind", "is not a report or notice to plan", choices(NoticeKind, "public"))
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
                        [missing_problem(name) for name in missing],
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
                    [missing_problem(name) for name in missing],
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
                choices(PublicNoticeReason),
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
