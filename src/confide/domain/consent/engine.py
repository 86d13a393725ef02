"""The use-decision engine: may this subject's information be used for this purpose now?

``decide(policy, state, purpose_id, categories, channel=None, at=...)`` answers
with a :class:`Decision`: allowed or refused, machine-readable reason codes,
a one-line explanation in the subject's language (English or French), the rule
applied, what it relied on (a consent event, a relationship event or a clause
of the policy) and until when the answer holds.

The rules, in the order they are checked:

- the categories must be ones the policy allows for the purpose;
- on a channel: no opt-out of the channel (CEM-2); for telephone, no internal
  do-not-call entry (CEM-4), a national list copy at most 31 days old (CEM-4)
  and calling hours in the recipient's local time (CEM-5);
- by the purpose's footing: a legal obligation is allowed; a service-essential
  purpose is allowed while the service is active (CON-6); a consent-based
  purpose needs a consent in force, express where the policy says so (CON-3)
  or, for a Québec subject, where sensitive (high) categories are used (CON-8)
  or the feature is off by default (CON-9); implied consent comes from the
  policy's triggers within their windows (CON-2, CEM-1);
- a consent is not relied on if it was withdrawn (CON-5), has expired, was
  given under a policy version older than the one that added the purpose
  (CON-4), was given by a Québec minor under 14 rather than a parent or tutor
  (CON-8), or (for a purpose the policy maps to GPC) came before a ``Sec-GPC: 1``
  signal (CON-10; implied consent is then never relied on).

A withdrawal also stops implied consent from being inferred again: only a new
consent given after it lifts it. The engine is pure: no clock, no I/O; state
comes from ``state.derive_state`` (phase 2: built from one query's rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from confide.domain.consent.casl import ImpliedBasis, implied_consent
from confide.domain.consent.errors import (
    ChannelNotForPurpose,
    ChannelRequired,
    UnknownCategory,
    UnknownChannel,
    UnknownPurpose,
)
from confide.domain.consent.events import ConsentKind, RelationshipKind
from confide.domain.consent.reasons import REASONS, Reason
from confide.domain.consent.state import Grant, SubjectState
from confide.domain.consent.telemarketing import (
    NationalDoNotCallList,
    calling_window,
    internal_do_not_call,
    next_calling_window,
)
from confide.domain.consent.versions import PolicyHistory
from confide.domain.consent.zones import require_aware, start_of_local_day
from confide.domain.policy import Channel, ConsentMode, Policy, Purpose, Sensitivity, Text


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer to a use question, with its explanation (architecture habit 6)."""

    allowed: bool
    reasons: tuple[Reason, ...]
    rule: str
    text: Text
    language: str
    relied_on: str | None
    """``consent:<event id>``, ``relationship:<event id>``, ``policy:purposes/<id>``..."""
    valid_until: datetime | None
    """Until when this answer holds if nothing else happens (None: until something changes)."""
    subject_id: str
    purpose_id: str
    channel: str | None
    categories: tuple[str, ...]
    policy_version: str
    at: datetime

    @property
    def explanation(self) -> str:
        return self.text.in_language(self.language)

    def to_dict(self) -> dict[str, object]:
        return {
            "allowed": self.allowed,
            "reasons": [str(r) for r in self.reasons],
            "rule": self.rule,
            "explanation": self.explanation,
            "explanation_en": self.text.en,
            "explanation_fr": self.text.fr,
            "relied_on": self.relied_on,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "subject_id": self.subject_id,
            "purpose_id": self.purpose_id,
            "channel": self.channel,
            "categories": list(self.categories),
            "policy_version": self.policy_version,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class _PurposeIndex:
    purpose: Purpose
    categories: frozenset[str]
    channels: frozenset[str]


class _PolicyIndex:
    """Look-ups a decision needs, built once per policy object."""

    __slots__ = ("channels", "high", "known_categories", "policy", "purposes")

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.purposes = {
            p.id: _PurposeIndex(p, frozenset(p.categories), frozenset(p.channels))
            for p in policy.purposes
        }
        self.channels: dict[str, Channel] = {c.id: c for c in policy.channels}
        self.known_categories = frozenset(c.id for c in policy.categories)
        self.high = frozenset(c.id for c in policy.categories if c.sensitivity is Sensitivity.HIGH)


_INDEXES: dict[int, _PolicyIndex] = {}


def _index(policy: Policy) -> _PolicyIndex:
    found = _INDEXES.get(id(policy))
    if found is not None and found.policy is policy:
        return found
    if len(_INDEXES) > 32:
        _INDEXES.clear()
    built = _PolicyIndex(policy)
    _INDEXES[id(policy)] = built
    return built


@dataclass(slots=True)
class _Refusal:
    reason: Reason
    relied_on: str | None = None
    until: datetime | None = None
    rule: str | None = None


def _earliest(*instants: datetime | None) -> datetime | None:
    known = [i for i in instants if i is not None]
    return min(known) if known else None


def _best(grants: Iterable[Grant]) -> Grant | None:
    """The grant holding longest (no expiry beats any expiry); ties go to the latest given."""
    best: Grant | None = None
    for grant in grants:
        if best is None:
            best = grant
            continue
        a, b = grant.expires_at, best.expires_at
        if (
            (a is None and b is not None)
            or (a is not None and b is not None and a > b)
            or (a == b and (grant.at, grant.seq) > (best.at, best.seq))
        ):
            best = grant
    return best


def decide(
    policy: Policy,
    state: SubjectState,
    purpose_id: str,
    categories: Iterable[str] = (),
    channel: str | None = None,
    *,
    at: datetime,
    history: PolicyHistory | None = None,
    national_dnc: NationalDoNotCallList | None = None,
) -> Decision:
    """Decide whether ``state``'s subject's ``categories`` may be used for ``purpose_id`` at ``at``.

    Raises ``UnknownPurpose``, ``UnknownChannel``, ``UnknownCategory``,
    ``ChannelNotForPurpose``, ``ChannelRequired`` or ``NaiveTimestamp`` for bad input.
    ``history`` lists the policy versions (CON-4); ``national_dnc`` is the copy
    of the national do-not-call list used for telephone decisions (CEM-4).
    """
    require_aware(at)
    index = _index(policy)
    entry = index.purposes.get(purpose_id)
    if entry is None:
        raise UnknownPurpose(purpose_id)
    purpose = entry.purpose
    cats = tuple(categories)
    channel_info: Channel | None = None
    if channel is not None:
        channel_info = index.channels.get(channel)
        if channel_info is None:
            raise UnknownChannel(channel)
        if channel not in entry.channels:
            raise ChannelNotForPurpose(purpose_id, channel)
    elif purpose.marketing and entry.channels:
        raise ChannelRequired(purpose_id)
    for category in cats:
        if category not in index.known_categories:
            raise UnknownCategory(category)

    refusals: list[_Refusal] = []
    valid_until: datetime | None = None
    rules = policy.rules

    if not entry.categories.issuperset(cats):
        refusals.append(
            _Refusal(Reason.CATEGORY_NOT_ALLOWED_FOR_PURPOSE, f"policy:purposes/{purpose_id}")
        )

    if channel_info is not None:
        opt_out = state.channel_opt_out(channel_info.id, at)
        if opt_out is not None:
            refusals.append(_Refusal(Reason.CHANNEL_OPTED_OUT, f"event:{opt_out.event_id}"))
        if channel_info.telephone:
            dnc = internal_do_not_call(
                state.do_not_call_requests, state.profile.phone_numbers, at, rules
            )
            if dnc is not None:
                refusals.append(_Refusal(Reason.DO_NOT_CALL, f"event:{dnc.event_id}"))
            if national_dnc is None or not national_dnc.is_fresh(at, rules):
                refusals.append(_Refusal(Reason.NATIONAL_DNC_LIST_STALE, "rules:national_dnc"))
            else:
                valid_until = national_dnc.fresh_until(rules)
            window = calling_window(at, state.tz, rules.calling_hours)
            if window is None:
                opens = next_calling_window(at, state.tz, rules.calling_hours).start
                refusals.append(
                    _Refusal(Reason.OUTSIDE_CALLING_HOURS, "rules:calling_hours", until=opens)
                )
            else:
                valid_until = _earliest(valid_until, window.end)

    allowed_reason: Reason | None = None
    relied_on: str | None = None
    rule: str | None = None
    mode = purpose.consent
    if mode is ConsentMode.LEGAL_OBLIGATION:
        allowed_reason, relied_on = Reason.LEGAL_OBLIGATION, f"policy:purposes/{purpose_id}"
    elif mode is ConsentMode.SERVICE_ESSENTIAL:
        start = state.service_start(at)
        if start is None:
            refusals.append(_Refusal(Reason.SERVICE_NOT_ACTIVE, f"policy:purposes/{purpose_id}"))
        else:
            allowed_reason, relied_on = Reason.SERVICE_ESSENTIAL, f"event:{start.event_id}"
    else:
        outcome = _consent_basis(policy, state, entry, index, cats, channel_info, at, history)
        if isinstance(outcome, _Refusal):
            refusals.append(outcome)
        else:
            allowed_reason, relied_on, rule, until = outcome
            valid_until = _earliest(valid_until, until)

    language = state.profile.language
    if refusals:
        first = refusals[0]
        info = REASONS[first.reason]
        until_all: datetime | None = None
        if all(r.until is not None for r in refusals):
            until_all = max(r.until for r in refusals if r.until is not None)
        return Decision(
            allowed=False,
            reasons=tuple(r.reason for r in refusals),
            rule=first.rule or info.rule,
            text=info.text,
            language=language,
            relied_on=first.relied_on,
            valid_until=until_all,
            subject_id=state.profile.subject_id,
            purpose_id=purpose_id,
            channel=channel,
            categories=cats,
            policy_version=policy.version,
            at=at,
        )
    assert allowed_reason is not None
    info = REASONS[allowed_reason]
    return Decision(
        allowed=True,
        reasons=(allowed_reason,),
        rule=rule or info.rule,
        text=info.text,
        language=language,
        relied_on=relied_on,
        valid_until=valid_until,
        subject_id=state.profile.subject_id,
        purpose_id=purpose_id,
        channel=channel,
        categories=cats,
        policy_version=policy.version,
        at=at,
    )


def _consent_basis(
    policy: Policy,
    state: SubjectState,
    entry: _PurposeIndex,
    index: _PolicyIndex,
    cats: tuple[str, ...],
    channel: Channel | None,
    at: datetime,
    history: PolicyHistory | None,
) -> tuple[Reason, str, str, datetime | None] | _Refusal:
    """The consent a consent-based purpose rests on at ``at``, or why there is none."""
    purpose = entry.purpose
    quebec = state.is_quebec
    express_rule: str | None = None
    if purpose.consent is ConsentMode.EXPRESS:
        express_rule = "CON-3"
    elif quebec and purpose.privacy_by_default_off:
        express_rule = "CON-9"
    elif quebec and not index.high.isdisjoint(cats):
        express_rule = "CON-8"
    minor = False
    if quebec:
        age = state.age_on(at.astimezone(state.tz).date())
        minor = age is not None and age < policy.rules.quebec_minor_age
    gpc_entry = state.latest_gpc(at) if purpose.gpc_opt_out else None

    lookup = state.consents(purpose.id, channel.id if channel else None, at)
    # Why consents on record may not be relied on, most decisive first.
    filtered: list[Reason] = []
    usable: list[Grant] = []
    for grant in lookup.in_force:
        if history is not None and not history.covers(grant.policy_version, purpose.id):
            filtered.append(Reason.PURPOSE_ADDED_BY_NEW_POLICY_VERSION)
        elif gpc_entry is not None and (grant.at, grant.seq) <= gpc_entry[1]:
            filtered.append(Reason.GPC_OPT_OUT)
        elif minor and not grant.consent.by_guardian:
            filtered.append(Reason.MINOR_NEEDS_GUARDIAN)
        else:
            usable.append(grant)

    express = _best(g for g in usable if g.kind is ConsentKind.EXPRESS)
    if express is not None:
        return (
            Reason.EXPRESS_CONSENT,
            f"consent:{express.event_id}",
            express_rule or "CON-1",
            express.expires_at,
        )
    if express_rule is None:
        implied = _best(g for g in usable if g.kind is ConsentKind.IMPLIED)
        if implied is not None:
            return (
                Reason.IMPLIED_CONSENT,
                f"consent:{implied.event_id}",
                "CON-2",
                implied.expires_at,
            )

    # Nothing recorded can be relied on: infer implied consent, or say why not.
    if filtered:
        return _Refusal(filtered[0], f"policy:purposes/{purpose.id}")
    if lookup.withdrawal is not None:
        return _Refusal(Reason.CONSENT_WITHDRAWN, f"event:{lookup.withdrawal.event_id}")
    if express_rule is not None:
        reason = {
            "CON-9": Reason.PRIVACY_BY_DEFAULT_OFF,
            "CON-8": Reason.EXPRESS_REQUIRED,
            "CON-3": Reason.EXPRESS_REQUIRED,
        }[express_rule]
        if lookup.lapsed is not None and express_rule != "CON-9":
            return _Refusal(Reason.CONSENT_EXPIRED, f"consent:{lookup.lapsed.event_id}")
        if reason is Reason.EXPRESS_REQUIRED and not lookup.in_force and not purpose.implied_by:
            return _Refusal(Reason.NO_CONSENT, f"policy:purposes/{purpose.id}", rule=express_rule)
        return _Refusal(reason, f"policy:purposes/{purpose.id}", rule=express_rule)
    if not purpose.implied_by:
        if lookup.lapsed is not None:
            return _Refusal(Reason.CONSENT_EXPIRED, f"consent:{lookup.lapsed.event_id}")
        return _Refusal(Reason.NO_CONSENT, f"policy:purposes/{purpose.id}")
    if gpc_entry is not None:
        return _Refusal(Reason.GPC_OPT_OUT, f"event:{gpc_entry[0].event_id}")
    if minor:
        return _Refusal(Reason.MINOR_NEEDS_GUARDIAN, f"policy:purposes/{purpose.id}")
    not_before: datetime | None = None
    if history is not None:
        introduced = history.introduced(purpose.id)
        if introduced is not None:
            not_before = start_of_local_day(introduced.effective_date, state.tz)
    electronic = channel is not None and channel.electronic
    outcome = implied_consent(
        purpose, state, at, policy.rules, electronic=electronic, not_before=not_before
    )
    basis: ImpliedBasis | None = outcome.basis
    if basis is not None:
        return (
            Reason.IMPLIED_CONSENT,
            f"event:{basis.event.event_id}",
            basis.rule,
            basis.valid_until,
        )
    if outcome.expired is not None:
        return _Refusal(
            Reason.IMPLIED_WINDOW_EXPIRED,
            f"event:{outcome.expired.event.event_id}",
            rule=outcome.expired.rule,
        )
    if lookup.lapsed is not None:
        return _Refusal(Reason.CONSENT_EXPIRED, f"consent:{lookup.lapsed.event_id}")
    if not_before is not None and _any_trigger_before(purpose, state, at, not_before):
        return _Refusal(Reason.PURPOSE_ADDED_BY_NEW_POLICY_VERSION, f"policy:purposes/{purpose.id}")
    return _Refusal(Reason.NO_CONSENT, f"policy:purposes/{purpose.id}")


def _any_trigger_before(
    purpose: Purpose, state: SubjectState, at: datetime, not_before: datetime
) -> bool:
    for trigger in purpose.implied_by:
        try:
            kind = RelationshipKind(trigger.event)
        except ValueError:
            continue
        event = state.latest_relationship(kind, min(at, not_before))
        if event is not None and event.at < not_before:
            return True
    return False
