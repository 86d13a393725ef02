"""Consent use cases (CON-1..10, CEM-1..5), one module per area:

- ``ledger``: recording events (consents, withdrawals, relationship events, channel choices,
  do-not-call requests), histories and receipts;
- ``decisions``: use decisions with the per-process state cache, and the recorder that writes
  decision rows and audit entries;
- ``downstream``: withdrawals reaching downstream systems, the national do-not-call list;
- ``readmodel``: the consent read model kept with the ledger, rebuilt and maintained;
- ``reconsent``: who to ask again after a policy change; ``roles``: who may do what.

``ConsentService`` is the front doors' one object: it builds the parts with their
collaborators and offers their use cases under the names the API, CLI, console and jobs
call (``consent.give``, ``consent.decide``...). ``bootstrap`` builds the decision recorder,
the group committer around it, and passes the committer's ``submit`` here.
"""

from __future__ import annotations

from confide.domain.calendar import HolidayCalendar
from confide.services.consent.decisions import (
    STATE_CACHE_SIZE,
    ConsentDecisions,
    DecisionRecorder,
    DecisionResult,
    RecordDecisions,
)
from confide.services.consent.downstream import DownstreamWithdrawals, WithdrawalStatus
from confide.services.consent.ledger import POLICY_URL, ConsentLedger, GiveConsentRequest
from confide.services.consent.readmodel import (
    ConsentReadModel,
    profile_of,
    read_model_plan,
    refresh_consent_state,
)
from confide.services.consent.reconsent import Reconsent
from confide.services.consent.roles import (
    OFFICER_ON_DUTY,
)
from confide.services.context import ServiceContext


class ConsentService:
    """The consent use cases in one object, each served by the part that owns it.

    ``record_decisions`` records decision rows before a decision is answered (the
    application's group committer around ``recorder.record``); without one, ``recorder``
    records each decision in its own transaction.
    """

    def __init__(
        self,
        ctx: ServiceContext,
        calendar: HolidayCalendar,
        recorder: DecisionRecorder | None = None,
        record_decisions: RecordDecisions | None = None,
    ) -> None:
        self.ctx = ctx
        self.recorder = recorder or DecisionRecorder(ctx)
        self.read_model = ConsentReadModel(ctx)
        self.ledger = ConsentLedger(ctx, self.read_model)
        self.decisions = ConsentDecisions(ctx, record_decisions or self.recorder.record)
        self.downstream = DownstreamWithdrawals(ctx, calendar)
        self.reconsents = Reconsent(ctx)
        # The front doors' names for the parts' use cases.
        self.give = self.ledger.give
        self.withdraw = self.ledger.withdraw
        self.record_relationship = self.ledger.record_relationship
        self.set_channel = self.ledger.set_channel
        self.do_not_call = self.ledger.do_not_call
        self.history = self.ledger.history
        self.receipt = self.ledger.receipt
        self.decide = self.decisions.decide
        self.decide_unrecorded = self.decisions.decide_unrecorded
        self.decision_state = self.decisions.decision_state
        self.decision = self.decisions.decision
        self.record_decisions_now = self.recorder.record
        self.register_system = self.downstream.register_system
        self.acknowledge = self.downstream.acknowledge
        self.withdrawal_status = self.downstream.withdrawal_status
        self.import_national_dnc = self.downstream.import_national_dnc
        self.reconsent = self.reconsents.reconsent
        self.state_is_current = self.read_model.state_is_current
        self.rebuild_state = self.read_model.rebuild_state
        self.maintain_state = self.read_model.maintain_state


__all__ = [
    "OFFICER_ON_DUTY",
    "POLICY_URL",
    "STATE_CACHE_SIZE",
    "ConsentDecisions",
    "ConsentLedger",
    "ConsentReadModel",
    "ConsentService",
    "DecisionRecorder",
    "DecisionResult",
    "DownstreamWithdrawals",
    "GiveConsentRequest",
    "Reconsent",
    "RecordDecisions",
    "WithdrawalStatus",
    "profile_of",
    "read_model_plan",
    "refresh_consent_state",
]
