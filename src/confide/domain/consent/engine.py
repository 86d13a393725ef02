"""The use-decision engine: may this subject's information be used for this purpose now?

``decide(policy, state, purpose_id, categories, channel=None, at=...)`` answers
with a :class:`Decision`: allowed or refused, machine-readable reason codes,
a one-line explanation in the subject's language (English or French), the rule
applied, what it relied on (a consent event, a relationship event or a clause
of the policy) and until when the answer holds.

The rules, in the order they are checked:

- the categories must be ones the policy allows for the purpose;
- on a channel: no opt-out of the channel (CEM-2); for telephone, no internal
  do-not-call entry (CEM-4), a national list copy at most 31 days old and, for
  a number on it, an express consent (CEM-4), and calling hours in the
  recipient's local time (CEM-5);
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
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from confide.domain.calendar import require_aware, start_of_local_day
from confide.domain.consent.casl import TriggerPlan, implied_by_plans
from confide.domain.consent.compiled import LAST, PolicyIndex, PurposeIndex, compiled
from confide.domain.consent.decision import Decision
from confide.domain.consent.errors import (
    ChannelNotForPurpose,
    ChannelRequired,
    UnknownCategory,
    UnknownChannel,
    UnknownPurpose,
)
from confide.domain.consent.events import ConsentKind
from confide.domain.consent.reasons import REASONS, Reason
from confide.domain.consent.state import Grant, SubjectState
from confide.domain.consent.telemarketing import (
    NationalDoNotCallList,
    internal_do_not_call,
    next_calling_window,
)
from confide.domain.consent.versions import PolicyHistory
from confide.domain.policy import (
    Channel,
    ConsentMode,
    LegalRules,
    Policy,
)


class _Refusal(NamedTuple):
    reason: Reason
    relied_on: str | None = None
    until: datetime | None = None
    rule: str | None = None


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if a <= b else b


def _best(grants: Iterable[Grant], kind: ConsentKind) -> Grant | None:
    """The grant of ``kind`` holding longest (no expiry beats any); ties go to the latest given."""
    best: Grant | None = None
    for grant in grants:
        if grant.consent.kind is not kind:
            continue
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
    asked_at = at
    if at.tzinfo is not UTC:
        require_aware(at)
        at = at.astimezone(UTC)  # the state keeps UTC instants: same-zone comparisons are cheap
    index = LAST[0]
    if index is None or index.policy is not policy:
        index = compiled(policy)
    entry = index.purposes.get(purpose_id)
    if entry is None:
        raise UnknownPurpose(purpose_id)
    purpose = entry.purpose
    cats = categories if type(categories) is tuple else tuple(categories)
    channel_info: Channel | None = None
    if channel is not None:
        channel_info = index.channels.get(channel)
        if channel_info is None:
            raise UnknownChannel(channel)
        if channel not in entry.channels:
            raise ChannelNotForPurpose(purpose_id, channel)
    elif purpose.marketing and entry.channels:
        raise ChannelRequired(purpose_id)
    if not index.known_categories.issuperset(cats):
        raise UnknownCategory(next(c for c in cats if c not in index.known_categories))

    refusals: list[_Refusal] = []
    valid_until: datetime | None = None

    if not entry.categories.issuperset(cats):
        refusals.append(_Refusal(Reason.CATEGORY_NOT_ALLOWED_FOR_PURPOSE, entry.policy_ref))

    if channel_info is not None:
        opt_out = state.channel_opt_out(channel_info.id, at)
        if opt_out is not None:
            refusals.append(_Refusal(Reason.CHANNEL_OPTED_OUT, f"event:{opt_out.event_id}"))
        if channel_info.telephone:
            valid_until = _telephone_checks(index, state, at, national_dnc, refusals)

    allowed_reason: Reason | None = None
    relied_on: str | None = None
    rule: str | None = None
    mode = purpose.consent
    if mode is ConsentMode.LEGAL_OBLIGATION:
        allowed_reason, relied_on = Reason.LEGAL_OBLIGATION, entry.policy_ref
    elif mode is ConsentMode.SERVICE_ESSENTIAL:
        start = state.service_start(at)
        if start is None:
            refusals.append(_Refusal(Reason.SERVICE_NOT_ACTIVE, entry.policy_ref))
        else:
            allowed_reason, relied_on = Reason.SERVICE_ESSENTIAL, f"event:{start.event_id}"
    else:
        outcome = _consent_basis(policy, state, entry, cats, channel_info, at, history)
        if isinstance(outcome, _Refusal):
            refusals.append(outcome)
        else:
            allowed_reason, relied_on, rule, until = outcome
            valid_until = _earliest(valid_until, until)
            if (
                channel_info is not None
                and channel_info.telephone
                and allowed_reason is not Reason.EXPRESS_CONSENT
                and national_dnc is not None
                and national_dnc.numbers
                and national_dnc.contains_any(state.profile.phone_numbers)
            ):
                # Stricter than the law's relationship exemption (its 18 months are not a
                # rule value here): a number on the national list needs express consent.
                refusals.append(_Refusal(Reason.NATIONAL_DO_NOT_CALL, "rules:national_dnc"))

    profile = state.profile
    if refusals:
        first = refusals[0]
        info = REASONS[first.reason]
        if len(refusals) == 1:
            reasons: tuple[Reason, ...] = (first.reason,)
            until_all = first.until
        else:
            reasons = tuple(r.reason for r in refusals)
            untils = [r.until for r in refusals if r.until is not None]
            # Every refusal must lift for the answer to change; one that never lifts wins.
            until_all = max(untils) if len(untils) == len(refusals) else None
        if until_all is not None:
            until_all = until_all.astimezone(state.tz)
        return Decision(
            False,
            reasons,
            first.rule or info.rule,
            info.text,
            profile.language,
            first.relied_on,
            until_all,
            profile.subject_id,
            purpose_id,
            channel,
            cats,
            policy.version,
            asked_at,
        )
    assert allowed_reason is not None
    info = REASONS[allowed_reason]
    if valid_until is not None:
        valid_until = valid_until.astimezone(state.tz)
    return Decision(
        True,
        (allowed_reason,),
        rule or info.rule,
        info.text,
        profile.language,
        relied_on,
        valid_until,
        profile.subject_id,
        purpose_id,
        channel,
        cats,
        policy.version,
        asked_at,
    )


_LAST_NATIONAL: list[tuple[NationalDoNotCallList, LegalRules, datetime]] = []


def _fresh_until(copy: NationalDoNotCallList, rules: LegalRules) -> datetime:
    """``copy.fresh_until(rules)``, remembered for the copy in use (one copy serves many calls)."""
    if _LAST_NATIONAL:
        last_copy, last_rules, until = _LAST_NATIONAL[0]
        if last_copy is copy and last_rules is rules:
            return until
    until = copy.fresh_until(rules).astimezone(UTC)
    _LAST_NATIONAL[:] = [(copy, rules, until)]
    return until


def _telephone_checks(
    index: PolicyIndex,
    state: SubjectState,
    at: datetime,
    national_dnc: NationalDoNotCallList | None,
    refusals: list[_Refusal],
) -> datetime | None:
    """CEM-4 and CEM-5 for a call at ``at``; returns until when the call may be placed."""
    rules = index.policy.rules
    valid_until: datetime | None = None
    requests = state.do_not_call_requests
    if requests:
        dnc = internal_do_not_call(requests, state.profile.phone_numbers, at, rules)
        if dnc is not None:
            refusals.append(_Refusal(Reason.DO_NOT_CALL, f"event:{dnc.event_id}"))
    fresh_until = None if national_dnc is None else _fresh_until(national_dnc, rules)
    if (
        national_dnc is None
        or fresh_until is None
        or not national_dnc.taken_at <= at <= fresh_until
    ):
        refusals.append(_Refusal(Reason.NATIONAL_DNC_LIST_STALE, "rules:national_dnc"))
    else:
        valid_until = fresh_until
    local = at.astimezone(state.tz)
    first, last = index.hours[1 if local.weekday() >= 5 else 0]
    minute = local.hour * 60 + local.minute
    # Calling windows never span a daylight-saving change (those happen at 2:00), so the
    # window's edges are reached by plain arithmetic on the UTC instant.
    into_minute = timedelta(seconds=local.second, microseconds=local.microsecond)
    if first <= minute < last:
        end = at + timedelta(minutes=last - minute) - into_minute
        valid_until = _earliest(valid_until, end)
    else:
        if minute < first:
            opens = at + timedelta(minutes=first - minute) - into_minute
        else:
            opens = next_calling_window(at, state.tz, rules.calling_hours).start
        refusals.append(_Refusal(Reason.OUTSIDE_CALLING_HOURS, "rules:calling_hours", until=opens))
    return valid_until


_EXPRESS_REASON = {
    "CON-3": Reason.EXPRESS_REQUIRED,
    "CON-8": Reason.EXPRESS_REQUIRED,
    "CON-9": Reason.PRIVACY_BY_DEFAULT_OFF,
}


def _consent_basis(
    policy: Policy,
    state: SubjectState,
    entry: PurposeIndex,
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
    elif quebec and entry.high and not entry.high.isdisjoint(cats):
        express_rule = "CON-8"
    minor = False
    if quebec and state.profile.birth_date is not None:
        minor = at < state.of_age_at(policy.rules.quebec_minor_age)
    gpc_entry = state.latest_gpc(at) if purpose.gpc_opt_out else None

    lookup = state.consents(purpose.id, channel.id if channel else None, at)
    # Why consents on record may not be relied on, most decisive first.
    filtered: list[Reason] = []
    usable: list[Grant] = []
    for grant in lookup[0]:
        if history is not None and not history.covers(grant.policy_version, purpose.id):
            filtered.append(Reason.PURPOSE_ADDED_BY_NEW_POLICY_VERSION)
        elif gpc_entry is not None and (grant.at, grant.seq) <= gpc_entry[1]:
            filtered.append(Reason.GPC_OPT_OUT)
        elif minor and not grant.consent.by_guardian:
            filtered.append(Reason.MINOR_NEEDS_GUARDIAN)
        else:
            usable.append(grant)

    if usable:
        express = _best(usable, ConsentKind.EXPRESS)
        if express is not None:
            return (
                Reason.EXPRESS_CONSENT,
                f"consent:{express.event_id}",
                express_rule or "CON-1",
                express.expires_at,
            )
        if express_rule is None:
            implied = _best(usable, ConsentKind.IMPLIED)
            if implied is not None:
                relied = f"consent:{implied.event_id}"
                return Reason.IMPLIED_CONSENT, relied, "CON-2", implied.expires_at

    # Nothing recorded can be relied on: infer implied consent, or say why not.
    if filtered:
        return _Refusal(filtered[0], entry.policy_ref)
    if lookup.withdrawal is not None:
        return _Refusal(Reason.CONSENT_WITHDRAWN, f"event:{lookup.withdrawal.event_id}")
    if express_rule is not None:
        reason = _EXPRESS_REASON[express_rule]
        if lookup.lapsed is not None and express_rule != "CON-9":
            return _Refusal(Reason.CONSENT_EXPIRED, f"consent:{lookup.lapsed.event_id}")
        if reason is Reason.EXPRESS_REQUIRED and not lookup.in_force and not purpose.implied_by:
            return _Refusal(Reason.NO_CONSENT, entry.policy_ref, rule=express_rule)
        return _Refusal(reason, entry.policy_ref, rule=express_rule)
    if not purpose.implied_by:
        if lookup.lapsed is not None:
            return _Refusal(Reason.CONSENT_EXPIRED, f"consent:{lookup.lapsed.event_id}")
        return _Refusal(Reason.NO_CONSENT, entry.policy_ref)
    if gpc_entry is not None:
        return _Refusal(Reason.GPC_OPT_OUT, f"event:{gpc_entry[0].event_id}")
    if minor:
        return _Refusal(Reason.MINOR_NEEDS_GUARDIAN, entry.policy_ref)
    not_before: datetime | None = None
    if history is not None:
        introduced = history.introduced(purpose.id)
        if introduced is not None:
            not_before = start_of_local_day(introduced.effective_date, state.tz)
    electronic = channel is not None and channel.electronic
    plans = entry.plans_electronic if electronic else entry.plans_other
    rule = "CEM-1" if electronic else "CON-2"
    outcome = implied_by_plans(plans, state, at, rule, not_before)
    basis = outcome.basis
    if basis is not None:
        relied = f"event:{basis.event.event_id}"
        return Reason.IMPLIED_CONSENT, relied, basis.rule, basis.valid_until
    if outcome.expired is not None:
        return _Refusal(
            Reason.IMPLIED_WINDOW_EXPIRED,
            f"event:{outcome.expired.event.event_id}",
            rule=outcome.expired.rule,
        )
    if lookup.lapsed is not None:
        return _Refusal(Reason.CONSENT_EXPIRED, f"consent:{lookup.lapsed.event_id}")
    if not_before is not None and _any_trigger_before(plans, state, at, not_before):
        return _Refusal(Reason.PURPOSE_ADDED_BY_NEW_POLICY_VERSION, entry.policy_ref)
    return _Refusal(Reason.NO_CONSENT, entry.policy_ref)


def _any_trigger_before(
    plans: tuple[TriggerPlan, ...], state: SubjectState, at: datetime, not_before: datetime
) -> bool:
    for plan in plans:
        for kind in plan.sources:
            event = state.latest_relationship(kind, min(at, not_before))
            if event is not None and event.at < not_before:
                return True
    return False


__all__ = ["Decision", "decide"]
