"""Use cases of the recipients register."""

from __future__ import annotations

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.disclosure import (
    Agreement,
    ImpactAssessment,
    Place,
    Recipient,
)
from confide.domain.disclosure.errors import UnknownRecipient
from confide.domain.disclosure.recipients import validate_recipient
from confide.domain.errors import Conflict, ValidationFailed
from confide.domain.ids import new_id
from confide.domain.outbox import check_webhook_url
from confide.services.disclosures.base import DisclosureBase
from confide.services.disclosures.models import (
    RecipientInput,
)


class RecipientsMixin(DisclosureBase):
    """The recipients register (DIS-3/DIS-4)."""

    def add_recipient(self, principal: Principal, data: RecipientInput) -> Recipient:
        principal.require(Action.RECIPIENTS_ADD)
        if data.agreement_ref is not None and data.agreement_signed is None:
            raise ValidationFailed.single("agreement_signed", "is required with an agreement")
        if data.assessment_ref is not None and data.assessment_date is None:
            raise ValidationFailed.single(
                "assessment_date", "is required with an impact assessment"
            )
        endpoint = (data.correction_endpoint or "").strip() or None
        if endpoint is not None:
            problem = check_webhook_url(endpoint, allowed=self.ctx.webhook_hosts)
            if problem is not None:
                raise ValidationFailed(problem.message, [problem])
        now = self.ctx.now()
        recipient = Recipient(
            id=new_id("rcp", now),
            name=data.name.strip(),
            class_id=data.class_id,
            place=Place(
                data.country.strip().upper(), (data.province or "").strip().upper() or None
            ),
            contact=data.contact,
            categories=tuple(data.categories),
            purposes=tuple(data.purposes),
            agreement=Agreement(data.agreement_ref, data.agreement_signed, data.agreement_expires)
            if data.agreement_ref is not None and data.agreement_signed is not None
            else None,
            safeguards=data.safeguards,
            impact_assessment=ImpactAssessment(data.assessment_ref, data.assessment_date)
            if data.assessment_ref is not None and data.assessment_date is not None
            else None,
        )
        validate_recipient(self.ctx.policy, recipient)
        with self.ctx.uow() as uow:
            if uow.disclosures.recipient_by_name(recipient.name) is not None:
                raise Conflict("a recipient named like this is already registered (field: name)")
            uow.disclosures.add_recipient(recipient, now)
            if endpoint is not None:
                uow.outbox.set_endpoint(recipient.id, endpoint, now)
            uow.audit.record(
                AuditRecord(
                    "recipient.registered",
                    principal.user_id,
                    "recipient",
                    recipient.id,
                    now,
                    self.ctx.require_active().version_id,
                    details={
                        "class": recipient.class_id,
                        "place": recipient.place.label(),
                        "categories": list(recipient.categories),
                        "purposes": list(recipient.purposes),
                        "correction_webhook": endpoint is not None,
                    },
                )
            )
            uow.commit()
        return recipient

    def recipients(self, principal: Principal) -> list[Recipient]:
        principal.require(Action.RECIPIENTS_READ)
        with self.ctx.uow(readonly=True) as uow:
            return uow.disclosures.recipients()

    def recipient(self, principal: Principal, recipient_id: str) -> Recipient:
        principal.require(Action.RECIPIENTS_READ)
        with self.ctx.uow(readonly=True) as uow:
            found = uow.disclosures.recipient(recipient_id)
        if found is None:
            raise UnknownRecipient(recipient_id)
        return found
