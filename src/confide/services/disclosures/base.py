"""The shared steps of the disclosure use cases: the time asked, the basis, the prepared
recipient/purpose/categories, one subject's decision, and the decision's record and audit entry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from confide.domain.access import Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.consent.errors import UnknownCategory, UnknownPurpose
from confide.domain.consent.state import derive_state
from confide.domain.decisions import StoredDecision
from confide.domain.disclosure import (
    CONSENT,
    Basis,
    DisclosureDecision,
    DisclosureSubject,
    ExceptionBasis,
)
from confide.domain.disclosure.engine import (
    PreparedDisclosure,
    decide_prepared,
    prepare_disclosure,
)
from confide.domain.disclosure.records import StoredDisclosure
from confide.domain.errors import ValidationFailed
from confide.services.context import ServiceContext
from confide.services.disclosures.common import UnknownReference, subject_profile
from confide.services.disclosures.models import (
    DecisionResult,
    DisclosureRequest,
)
from confide.services.disclosures.parsing import EvidenceReader
from confide.services.ports.store import UnitOfWork


class DisclosureBase:
    """What the use cases share: loading what the rules need and recording decisions."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _prepare(
        self,
        uow: UnitOfWork,
        recipient_id: str,
        categories: Sequence[str],
        purpose_id: str,
        at: datetime,
    ) -> PreparedDisclosure:
        recipient = uow.disclosures.recipient(recipient_id)
        if recipient is None:
            raise UnknownReference("recipient_id", "registered recipient")
        active = self.ctx.require_active()
        try:
            return prepare_disclosure(
                active.policy, recipient, categories, purpose_id, at=at, history=active.history
            )
        except UnknownPurpose:
            raise UnknownReference("purpose", "purpose of the policy") from None
        except UnknownCategory as exc:
            given = list(categories)
            where = given.index(str(exc.ident)) if str(exc.ident) in given else 0
            raise UnknownReference(f"categories[{where}]", "category of the policy") from None

    def _basis(self, code: str | None, evidence: Mapping[str, object] | None) -> Basis:
        if code is None:
            if evidence:
                raise ValidationFailed.single("evidence", "is given without an exception code")
            return CONSENT
        return ExceptionBasis(code, EvidenceReader(code).build(evidence))

    def _when(self, at: datetime | None, *, past_only: bool = False) -> datetime:
        now = self.ctx.now()
        when = at or now
        if when.tzinfo is None:
            raise ValidationFailed.single("at", "must include a time zone")
        if past_only and when > now:
            # The ledger records disclosures that happened; a decision may be asked ahead.
            raise ValidationFailed.single("at", "is in the future: record a disclosure once made")
        return when

    def _decide(
        self, uow: UnitOfWork, req: DisclosureRequest, *, recording: bool = False
    ) -> DisclosureDecision:
        when = self._when(req.at, past_only=recording)
        basis = self._basis(req.exception, req.evidence)
        prepared = self._prepare(uow, req.recipient_id, req.categories, req.purpose_id, when)
        facts = uow.disclosures.subject_facts([req.subject_id]).get(req.subject_id)
        if facts is None:
            raise UnknownReference("subject_id", "subject")
        state = derive_state(subject_profile(facts), uow.consent.history(facts.subject_id))
        subject = DisclosureSubject(state, facts.categories_on_file, facts.subject_type)
        return decide_prepared(prepared, subject, basis)

    def _stored_decision(
        self, principal: Principal, decision_id: str, d: DisclosureDecision, now: datetime
    ) -> StoredDecision:
        return StoredDecision(
            id=decision_id,
            subject_id=d.subject_id,
            action="disclose",
            purpose_id=d.purpose_id,
            channel=None,
            recipient_id=d.recipient_id,
            categories=d.categories,
            asked_at=d.at,
            decided_at=now,
            allowed=d.allowed,
            reasons=tuple(str(r) for r in d.reasons),
            rule=d.rules[0] if d.rules else "DIS-1",
            relied_on=d.relied_on,
            valid_until=None,
            policy_version=self.ctx.require_active().version_id,
            requested_by=principal.user_id,
            language=d.language,
        )

    def _record_decision(
        self, uow: UnitOfWork, principal: Principal, result: DecisionResult
    ) -> None:
        now = self.ctx.now()
        d = result.decision
        stored = self._stored_decision(principal, result.id, d, now)
        uow.disclosures.add_decisions([stored])
        uow.audit.record(
            AuditRecord(
                "disclosure.decided",
                principal.user_id,
                "decision",
                result.id,
                now,
                stored.policy_version,
                d.subject_id,
                {
                    "recipient": d.recipient_id,
                    "purpose": d.purpose_id,
                    "categories": list(d.categories),
                    "basis": d.basis,
                    "allowed": d.allowed,
                    "reasons": list(stored.reasons),
                    "rules": list(d.rules),
                },
            )
        )

    def _recorded_entry(
        self, principal: Principal, stored: StoredDisclosure, notices: int, now: datetime
    ) -> AuditRecord:
        r = stored.record
        # The evidence reference is kept in the ledger only: an emergency's description is free
        # text that may name people, and audit details hold ids and codes.
        return AuditRecord(
            "disclosure.recorded",
            principal.user_id,
            "disclosure",
            stored.id,
            now,
            self.ctx.require_active().version_id,
            r.subject_id,
            {
                "recipient": r.recipient_id,
                "purpose": r.purpose_id,
                "categories": list(r.categories),
                "basis": r.legal_basis,
                "decision": r.decision_id,
                "notices": notices,
            },
        )
