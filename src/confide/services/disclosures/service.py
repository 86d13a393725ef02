"""The disclosure service: single decisions and disclosures, the account of disclosures
(ACC-4), notices and the cross-border register; recipients and bulk come from mixins."""

from __future__ import annotations

from confide.domain.access import Action, Principal
from confide.domain.disclosure.crossborder import cross_border_rows, rows_to_csv
from confide.domain.disclosure.ledger import (
    account_of_disclosures,
    possible_recipients,
    record_disclosure,
)
from confide.domain.disclosure.records import StoredDisclosure
from confide.domain.errors import NotFound, ValidationFailed
from confide.domain.ids import new_id
from confide.services.disclosures.bulk import BulkMixin
from confide.services.disclosures.common import (
    DisclosureNotAllowed,
    notices_owed,
)
from confide.services.disclosures.history import HistoryMixin
from confide.services.disclosures.models import (
    AccountView,
    DecisionResult,
    DisclosureOutcome,
    DisclosureRequest,
)
from confide.services.disclosures.notices import NoticesMixin
from confide.services.disclosures.recipients import RecipientsMixin


class DisclosureService(RecipientsMixin, BulkMixin, NoticesMixin, HistoryMixin):
    """Every disclosure use case; see the package docstring."""

    def decide(self, principal: Principal, req: DisclosureRequest) -> DecisionResult:
        """May this disclosure happen? The decision is recorded; no disclosure is."""
        principal.require(Action.DISCLOSURES_DECIDE)
        with self.ctx.uow() as uow:
            decision = self._decide(uow, req)
            result = DecisionResult(new_id("dec", self.ctx.now()), decision)
            self._record_decision(uow, principal, result)
            uow.commit()
        return result

    def disclose(self, principal: Principal, req: DisclosureRequest) -> DisclosureOutcome:
        """Decide and, if allowed, record the disclosure (and the written notice an emergency
        owes) with its audit entries, in one transaction. Refused: the decision is recorded and
        :class:`DisclosureNotAllowed` raised; nothing is recorded as disclosed."""
        principal.require(Action.DISCLOSURES_DISCLOSE)
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            decision = self._decide(uow, req, recording=True)
            result = DecisionResult(new_id("dec", now), decision)
            self._record_decision(uow, principal, result)
            if not decision.allowed:
                uow.commit()
                raise DisclosureNotAllowed(result.id, decision)
            stored = StoredDisclosure(
                new_id("dis", now), record_disclosure(decision, result.id), principal.user_id
            )
            notices = notices_owed(stored, decision, now)
            uow.disclosures.add_disclosures([stored])
            uow.disclosures.add_notices(notices)
            uow.audit.record(self._recorded_entry(principal, stored, len(notices), now))
            uow.commit()
        return DisclosureOutcome(result.id, stored.id, decision, stored.record, notices)

    # --- the account of disclosures (ACC-4) and the cross-border register -----------------------
    def account(self, principal: Principal, subject_id: str) -> AccountView:
        principal.require(Action.DISCLOSURES_ACCOUNT)
        policy = self.ctx.policy
        with self.ctx.uow(readonly=True) as uow:
            facts = uow.disclosures.subject_facts([subject_id]).get(subject_id)
            if facts is None:
                raise NotFound("subject", subject_id)
            rows = uow.disclosures.for_subject(subject_id)
            register = uow.disclosures.recipients()
        account = account_of_disclosures(
            (r.record for r in rows), subject_id, policy=policy, register=register
        )
        possible = possible_recipients(policy, facts.categories_on_file, register)
        return AccountView(account, possible, facts.language)

    def ledger(self, principal: Principal, subject_id: str) -> list[StoredDisclosure]:
        """The subject's ledger rows as recorded (time order)."""
        principal.require(Action.DISCLOSURES_ACCOUNT)
        with self.ctx.uow(readonly=True) as uow:
            return uow.disclosures.for_subject(subject_id)

    def cross_border(
        self, principal: Principal, fmt: str = "json", language: str = "en"
    ) -> str | list[dict[str, object]]:
        """The cross-border register: CSV text (``fmt="csv"``) or JSON-ready rows."""
        principal.require(Action.DISCLOSURES_CROSS_BORDER)
        if fmt not in ("csv", "json"):
            raise ValidationFailed.single("format", "must be csv or json")
        with self.ctx.uow(readonly=True) as uow:
            register = uow.disclosures.recipients()
        rows = cross_border_rows(self.ctx.policy, register, language=language)
        if fmt == "csv":
            return rows_to_csv(rows)
        return [r.to_dict() for r in rows]
