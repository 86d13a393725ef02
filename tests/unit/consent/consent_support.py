"""Builders for small policies, subjects and event histories used by the consent tests."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from confide.domain.consent.events import (
    ChannelOptedOut,
    ConsentEvent,
    ConsentGiven,
    ConsentKind,
    ConsentWithdrawn,
    DoNotCallRequested,
    GpcSignalReceived,
    RelationshipEventRecorded,
    RelationshipKind,
    SubjectProfile,
)
from confide.domain.consent.state import SubjectState, derive_state
from confide.domain.policy import (
    Category,
    Channel,
    ConsentMethod,
    ConsentMode,
    Contact,
    ImpliedConsentTrigger,
    LegalRules,
    Organization,
    Policy,
    Purpose,
    RecipientClass,
    Sensitivity,
    Text,
)

UTC = ZoneInfo("UTC")
TORONTO = ZoneInfo("America/Toronto")
VANCOUVER = ZoneInfo("America/Vancouver")


def t(text: str, tz: ZoneInfo = TORONTO) -> datetime:
    """``t("2026-03-02 10:00")`` in Montréal/Toronto time unless another zone is given."""
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def _text(words: str) -> Text:
    return Text(en=words, fr=f"[fr] {words}")


def category(cid: str, sensitivity: Sensitivity = Sensitivity.LOW) -> Category:
    return Category(id=cid, description=_text(cid.replace("_", " ")), sensitivity=sensitivity)


def channel(cid: str, *, electronic: bool = False, telephone: bool = False) -> Channel:
    return Channel(id=cid, description=_text(cid), electronic=electronic, telephone=telephone)


def trigger(
    event: str, days: int | None = None, months: int | None = None
) -> ImpliedConsentTrigger:
    return ImpliedConsentTrigger(event=event, window_days=days, window_months=months)


def purpose(
    pid: str,
    consent: ConsentMode,
    categories: tuple[str, ...] = ("contact",),
    **kwargs: object,
) -> Purpose:
    return Purpose(
        id=pid,
        description=_text(f"Purpose {pid}"),
        consent=consent,
        categories=categories,
        **kwargs,  # type: ignore[arg-type]
    )


CATEGORIES = (
    category("contact"),
    category("usage", Sensitivity.MEDIUM),
    category("credit", Sensitivity.HIGH),
    category("health", Sensitivity.HIGH),
)

CHANNELS = (
    channel("email", electronic=True),
    channel("sms", electronic=True),
    channel("phone", telephone=True),
    channel("mail"),
)

PURPOSES = (
    purpose("service", ConsentMode.SERVICE_ESSENTIAL, ("contact", "usage"), opt_out_allowed=False),
    purpose("tax", ConsentMode.LEGAL_OBLIGATION, ("contact", "usage", "credit")),
    purpose("invoices", ConsentMode.IMPLIED, ("contact",), implied_by=(trigger("address_given"),)),
    purpose(
        "marketing",
        ConsentMode.IMPLIED,
        ("contact",),
        marketing=True,
        channels=("email", "sms", "phone", "mail"),
        implied_by=(
            trigger("purchase", days=730),
            trigger("contract_end", days=730),
            trigger("inquiry", months=6),
        ),
    ),
    purpose(
        "offers",
        ConsentMode.EXPRESS,
        ("contact", "usage"),
        marketing=True,
        channels=("email", "phone"),
    ),
    purpose("credit_check", ConsentMode.EXPRESS, ("contact", "credit")),
    purpose(
        "profiling",
        ConsentMode.IMPLIED,
        ("usage",),
        implied_by=(trigger("registration"),),
        privacy_by_default_off=True,
        gpc_opt_out=True,
    ),
    purpose(
        "analytics",
        ConsentMode.IMPLIED,
        ("usage",),
        implied_by=(trigger("registration"),),
        gpc_opt_out=True,
    ),
    purpose("wellness", ConsentMode.IMPLIED, ("health",), implied_by=(trigger("registration"),)),
)


def make_policy(
    *,
    version: str = "2026.1",
    purposes: Iterable[Purpose] = PURPOSES,
    rules: LegalRules | None = None,
    extra_purposes: Iterable[Purpose] = (),
) -> Policy:
    """A small policy; pass ``purposes`` to replace the defaults or ``extra_purposes`` to add."""
    return Policy(
        id="test-policy",
        version=version,
        effective_date=date(2026, 1, 1),
        title=_text("Test privacy policy"),
        organization=Organization(
            name="Test Telecom Inc.",
            privacy_officer=Contact(
                name="Privacy Officer",
                title=_text("Chief Privacy Officer"),
                email="privacy@example.test",
                phone="+1 514 555 0100",
            ),
            complaint_escalation=_text("Senior management"),
            jurisdictions=("federal", "QC"),
        ),
        subject_types=(),
        categories=CATEGORIES,
        exclusions=(),
        collection_sources=(),
        channels=CHANNELS,
        purposes=(*tuple(purposes), *tuple(extra_purposes)),
        exceptions=(),
        recipient_classes=(
            RecipientClass(
                id="marketing_partners",
                description=_text("Marketing partners"),
                categories=("contact",),
                purposes=("marketing",),
            ),
        ),
        retention=(),
        processing_locations=(),
        notice_channels=(),
        rules=rules or LegalRules(),
    )


@dataclass
class History:
    """Builds one subject's events with fresh ids: ``h.purchase(t(...))``, ``h.give(...)``."""

    subject_id: str = "s-1"
    events: list[ConsentEvent] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def _id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    def relationship(self, kind: RelationshipKind, at: datetime) -> RelationshipEventRecorded:
        event = RelationshipEventRecorded(self._id("rel"), self.subject_id, kind, at)
        self.events.append(event)
        return event

    def purchase(self, at: datetime) -> RelationshipEventRecorded:
        return self.relationship(RelationshipKind.PURCHASE, at)

    def inquiry(self, at: datetime) -> RelationshipEventRecorded:
        return self.relationship(RelationshipKind.INQUIRY, at)

    def register(self, at: datetime) -> RelationshipEventRecorded:
        return self.relationship(RelationshipKind.REGISTRATION, at)

    def give(
        self,
        purpose_id: str,
        at: datetime,
        kind: ConsentKind = ConsentKind.EXPRESS,
        **kwargs: object,
    ) -> ConsentGiven:
        fields: dict[str, object] = {
            "method": ConsentMethod.CHECKBOX,
            "recorded_by": "portal",
            "policy_version": "2026.1",
        }
        fields.update(kwargs)
        event = ConsentGiven(
            event_id=self._id("consent"),
            subject_id=self.subject_id,
            purpose_id=purpose_id,
            at=at,
            kind=kind,
            **fields,  # type: ignore[arg-type]
        )
        self.events.append(event)
        return event

    def withdraw(
        self, purpose_id: str, at: datetime, channel: str | None = None
    ) -> ConsentWithdrawn:
        event = ConsentWithdrawn(
            self._id("withdrawal"), self.subject_id, purpose_id, at, "portal", channel
        )
        self.events.append(event)
        return event

    def opt_out(self, channel_id: str, at: datetime) -> ChannelOptedOut:
        event = ChannelOptedOut(self._id("optout"), self.subject_id, channel_id, at)
        self.events.append(event)
        return event

    def gpc(self, at: datetime) -> GpcSignalReceived:
        event = GpcSignalReceived(self._id("gpc"), self.subject_id, at)
        self.events.append(event)
        return event

    def do_not_call(
        self, number: str, at: datetime, added_at: datetime | None = None
    ) -> DoNotCallRequested:
        event = DoNotCallRequested(self._id("dnc"), self.subject_id, number, at, added_at)
        self.events.append(event)
        return event

    def state(self, **profile: object) -> SubjectState:
        fields: dict[str, object] = {"province": "QC", "language": "en"}
        fields.update(profile)
        return derive_state(SubjectProfile(self.subject_id, **fields), self.events)  # type: ignore[arg-type]


def with_rules(policy: Policy, **changes: object) -> Policy:
    return replace(policy, rules=replace(policy.rules, **changes))
