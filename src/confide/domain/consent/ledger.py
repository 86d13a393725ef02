"""Command handlers of the consent ledger: check a command against the policy, return the events.

Pure functions: the caller (phase 2: ``services.consent``) loads the subject's
state, calls a handler, appends the returned events in one unit of work and
writes the audit entry. Nothing is recorded when a handler raises (issue 4,
bad input). Event ids come from ``new_id`` so the domain does not pick them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from confide.domain.calendar import require_aware
from confide.domain.consent.casl import implied_consent
from confide.domain.consent.errors import (
    BundledConsentRefused,
    ChannelNotForPurpose,
    ConsentNotNeeded,
    ExpressConsentRequired,
    GuardianConsentRequired,
    MethodNotAccepted,
    NothingToWithdraw,
    PolicyVersionMismatch,
    ServiceEssentialOptOutRefused,
    TimeInFuture,
    UnknownCategory,
    UnknownChannel,
    UnknownPurpose,
)
from confide.domain.consent.events import (
    ConsentGiven,
    ConsentKind,
    ConsentWithdrawn,
    GiveConsent,
    GpcSignalReceived,
    RecordRelationshipEvent,
    RelationshipEventRecorded,
    RelationshipKind,
    WithdrawConsent,
)
from confide.domain.consent.state import SubjectState
from confide.domain.consent.versions import PolicyHistory
from confide.domain.policy import ConsentMode, Policy, Purpose, Sensitivity, Text

NewId = Callable[[], str]


def _check_time(at: datetime, now: datetime) -> None:
    require_aware(at)
    require_aware(now, "now")
    if at > now:
        raise TimeInFuture("at")


def _purpose(policy: Policy, purpose_id: str) -> Purpose:
    purpose = policy.purpose(purpose_id)
    if purpose is None:
        raise UnknownPurpose(purpose_id)
    return purpose


def _check_channel(policy: Policy, purpose: Purpose, channel: str | None) -> None:
    if channel is None:
        return
    if policy.channel(channel) is None:
        raise UnknownChannel(channel)
    if channel not in purpose.channels:
        raise ChannelNotForPurpose(purpose.id, channel)


def _is_quebec_minor(policy: Policy, state: SubjectState, at: datetime) -> bool:
    if not state.is_quebec:
        return False
    age = state.age_on(at.astimezone(state.tz).date())
    return age is not None and age < policy.rules.quebec_minor_age


def express_required(policy: Policy, purpose: Purpose, state: SubjectState) -> str | None:
    """The rule that makes consent to ``purpose`` express-only for this subject, if any."""
    if purpose.consent is ConsentMode.EXPRESS:
        return "CON-3"
    if state.is_quebec:
        if purpose.privacy_by_default_off:
            return "CON-9"
        for category_id in purpose.categories:
            category = policy.category(category_id)
            if category is None:
                raise UnknownCategory(category_id)
            if category.sensitivity is Sensitivity.HIGH:
                return "CON-8"
    return None


def give_consent(
    policy: Policy,
    state: SubjectState,
    command: GiveConsent,
    *,
    now: datetime,
    new_id: NewId,
    history: PolicyHistory | None = None,
) -> tuple[ConsentGiven | GpcSignalReceived, ...]:
    """Record a consent (CON-1): one ``ConsentGiven`` per purpose, plus the GPC signal if one came.

    Refuses a bundled consent for a Québec subject (CON-8), an implied consent
    where express is required (CON-3, CON-8, CON-9), a Québec minor's own
    consent (CON-8), a method the purpose does not accept, a purpose that does
    not rest on consent, and a policy version other than the one in force.
    """
    _check_time(command.at, now)
    if command.expires_at is not None:
        require_aware(command.expires_at, "expires_at")
    if not command.purpose_ids:
        raise UnknownPurpose("")
    if state.is_quebec and len(command.purpose_ids) > 1:
        raise BundledConsentRefused(command.purpose_ids)
    if history is not None:
        history.require(command.policy_version)
    if command.policy_version != policy.version:
        raise PolicyVersionMismatch(command.policy_version, policy.version)
    if _is_quebec_minor(policy, state, command.at) and not command.by_guardian:
        raise GuardianConsentRequired(state.subject_id)
    events: list[ConsentGiven | GpcSignalReceived] = []
    for purpose_id in command.purpose_ids:
        purpose = _purpose(policy, purpose_id)
        if purpose.consent in (ConsentMode.SERVICE_ESSENTIAL, ConsentMode.LEGAL_OBLIGATION):
            raise ConsentNotNeeded(purpose_id)
        _check_channel(policy, purpose, command.channel)
        if command.method not in purpose.consent_methods:
            raise MethodNotAccepted(purpose_id, command.method)
        rule = express_required(policy, purpose, state)
        if rule is not None and command.kind is ConsentKind.IMPLIED:
            raise ExpressConsentRequired(purpose_id, rule)
        events.append(
            ConsentGiven(
                event_id=new_id(),
                subject_id=command.subject_id,
                purpose_id=purpose_id,
                at=command.at,
                kind=command.kind,
                method=command.method,
                recorded_by=command.recorded_by,
                policy_version=command.policy_version,
                language=command.language,
                evidence_ref=command.evidence_ref,
                channel=command.channel,
                expires_at=command.expires_at,
                by_guardian=command.by_guardian,
            )
        )
    if command.gpc:
        events.insert(0, GpcSignalReceived(new_id(), command.subject_id, command.at))
    return tuple(events)


def opt_out_refusal(purpose: Purpose) -> Text:
    """What to tell someone who asks to opt out of a service-essential purpose (CON-6)."""
    return Text(
        en=f"{purpose.description.en.rstrip('.')} is needed to provide the service and cannot be"
        " turned off while the service continues. Terminating the service ends it.",
        fr=f"{purpose.description.fr.rstrip('.')} : c'est nécessaire pour fournir le service et"
        " ne peut être désactivé tant que le service continue. La résiliation du service y met"
        " fin.",
    )


def withdraw_consent(
    policy: Policy,
    state: SubjectState,
    command: WithdrawConsent,
    *,
    now: datetime,
    new_id: NewId,
) -> tuple[ConsentWithdrawn | GpcSignalReceived, ...]:
    """Withdraw a consent or opt out of a purpose (CON-5); it takes effect for decisions at once.

    Opting out of a service-essential purpose is refused with the policy's
    explanation that terminating the service is the way (CON-6); so is a
    purpose the policy says cannot be opted out of. A withdrawal of a consent
    that is not in force (given or implied) is a conflict.
    """
    _check_time(command.at, now)
    purpose = _purpose(policy, command.purpose_id)
    _check_channel(policy, purpose, command.channel)
    if purpose.consent is ConsentMode.SERVICE_ESSENTIAL or (
        purpose.consent is not ConsentMode.LEGAL_OBLIGATION and not purpose.opt_out_allowed
    ):
        raise ServiceEssentialOptOutRefused(purpose.id, opt_out_refusal(purpose))
    if purpose.consent is ConsentMode.LEGAL_OBLIGATION:
        raise ConsentNotNeeded(purpose.id)
    lookup = state.consents(purpose.id, command.channel, command.at)
    if not lookup.in_force:
        channel = policy.channel(command.channel) if command.channel else None
        electronic = channel is not None and channel.electronic
        implied = (
            None
            if lookup.withdrawal is not None
            else implied_consent(purpose, state, command.at, policy.rules, electronic=electronic)
        )
        if implied is None or implied.basis is None:
            raise NothingToWithdraw(purpose.id, command.channel)
    events: list[ConsentWithdrawn | GpcSignalReceived] = [
        ConsentWithdrawn(
            event_id=new_id(),
            subject_id=command.subject_id,
            purpose_id=purpose.id,
            at=command.at,
            recorded_by=command.recorded_by,
            channel=command.channel,
        )
    ]
    if command.gpc:
        events.insert(0, GpcSignalReceived(new_id(), command.subject_id, command.at))
    return tuple(events)


def record_relationship_event(
    command: RecordRelationshipEvent, *, now: datetime, new_id: NewId
) -> RelationshipEventRecorded:
    """A purchase, inquiry, contract start or end, registration... ``service_terminated``
    ends the service-essential purposes (CON-6)."""
    _check_time(command.at, now)
    return RelationshipEventRecorded(new_id(), command.subject_id, command.kind, command.at)


def terminate_service(
    subject_id: str, at: datetime, *, now: datetime, new_id: NewId
) -> RelationshipEventRecorded:
    """Terminating the service: the way to end service-essential purposes (CON-6)."""
    return record_relationship_event(
        RecordRelationshipEvent(subject_id, RelationshipKind.SERVICE_TERMINATED, at),
        now=now,
        new_id=new_id,
    )
