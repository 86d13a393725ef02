"""A subject's consent state, derived from its events (never a mutable flag).

``derive_state(profile, events)`` folds a subject's history into indexes the
engine can query at any instant ``t``: which consents are in force for a
purpose (and channel) at ``t``, the latest relationship event of each kind, the
channel opt-outs, GPC signals and do-not-call requests. Only events at or
before ``t`` count, so a decision can be replayed for a past instant.

Invariants: events are put in ledger order (:func:`ledger_order`): by instant,
then, among events of the same instant, by their type's precedence (facts and
signals, then grants, then what ends or withdraws: CON-5, a withdrawal prevails
over a consent of the same instant), then by event id; each gets a sequence
number. The same events in any order derive the same state. A consent is in force at ``t`` when it
was given (or renewed) at or before ``t``, no withdrawal covering its purpose
and channel came after it (up to ``t``), it has not expired and no
``ConsentExpired`` event for it came at or before ``t``.

Phase 2 builds the same state from rows: one query returning a subject's events
in ledger order, fed to ``derive_state``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo

from confide.domain.calendar import (
    end_of_local_day,
    require_aware,
    start_of_local_day,
    window_last_day,
    zone_for,
)
from confide.domain.consent.codec import PRECEDENCE
from confide.domain.consent.events import (
    ChannelOptedIn,
    ChannelOptedOut,
    ConsentEvent,
    ConsentExpired,
    ConsentGiven,
    ConsentKind,
    ConsentRenewed,
    ConsentWithdrawn,
    DoNotCallRequested,
    GpcSignalReceived,
    RelationshipEventRecorded,
    RelationshipKind,
    SubjectProfile,
)
from confide.domain.errors import NotFound

_LONG_AGO = datetime(1900, 1, 1, tzinfo=UTC)
_FAR_FUTURE = datetime(9998, 12, 31, tzinfo=UTC)

Key = tuple[str, str | None]
"""(purpose id, channel id or None for every channel of the purpose)."""


@dataclass(frozen=True, slots=True)
class Grant:
    """A consent as it stands from ``at`` on: the original ``ConsentGiven``, or
    its renewal (``source`` is then the ``ConsentRenewed`` event)."""

    at: datetime
    seq: int
    consent: ConsentGiven
    source: ConsentGiven | ConsentRenewed
    expires_at: datetime | None
    policy_version: str

    @property
    def kind(self) -> ConsentKind:
        return self.consent.kind

    @property
    def event_id(self) -> str:
        return self.source.event_id


class ConsentLookup(NamedTuple):
    """The consents in force for a purpose x channel at an instant, and what ended the others."""

    in_force: tuple[Grant, ...]
    withdrawal: ConsentWithdrawn | None
    """The latest withdrawal covering the purpose and channel at or before the instant."""
    lapsed: Grant | None
    """A consent given since that withdrawal that has since expired."""


NOTHING = ConsentLookup((), None, None)


class UnknownConsent(NotFound):
    def __init__(self, consent_id: str) -> None:
        super().__init__("consent", consent_id)


@dataclass(slots=True)
class _Timeline:
    """Instants (with sequence numbers) and the events at them, in order."""

    marks: list[tuple[datetime, int]] = field(default_factory=list)
    times: list[datetime] = field(default_factory=list)
    events: list[object] = field(default_factory=list)

    def add(self, at: datetime, seq: int, event: object) -> None:
        self.marks.append((at, seq))
        self.times.append(at)
        self.events.append(event)

    def last_index_at(self, at: datetime) -> int:
        """Index of the last entry at or before ``at``, or -1."""
        return bisect_right(self.times, at) - 1


class SubjectState:
    """The queryable consent state of one subject. Build it with :func:`derive_state`."""

    __slots__ = (
        "_channel_opt",
        "_dnc",
        "_expired",
        "_gpc",
        "_grants",
        "_of_age",
        "_relationship",
        "_window_ends",
        "_withdrawals",
        "events",
        "is_quebec",
        "profile",
        "tz",
    )

    def __init__(self, profile: SubjectProfile) -> None:
        self.profile = profile
        self.tz: ZoneInfo = zone_for(profile.province, profile.time_zone)
        self.is_quebec: bool = profile.province == "QC"
        """Québec's private-sector act applies (CON-8, CON-9)."""
        self.events: tuple[ConsentEvent, ...] = ()
        self._grants: dict[Key, list[Grant]] = {}
        self._withdrawals: dict[Key, _Timeline] = {}
        self._expired: dict[str, datetime] = {}
        self._relationship: dict[RelationshipKind, _Timeline] = {}
        self._window_ends: dict[
            tuple[RelationshipKind, int | None, int | None], list[datetime]
        ] = {}
        self._of_age: dict[int, datetime] = {}
        self._channel_opt: dict[str, _Timeline] = {}
        self._gpc = _Timeline()
        self._dnc: tuple[DoNotCallRequested, ...] = ()

    # --- derived facts ------------------------------------------------------

    @property
    def subject_id(self) -> str:
        return self.profile.subject_id

    def of_age_at(self, age: int) -> datetime:
        """The instant the subject turns ``age`` (local midnight of that birthday); a subject
        without a birth date is taken to be of age."""
        found = self._of_age.get(age)
        if found is None:
            born = self.profile.birth_date
            if born is None:
                found = _LONG_AGO
            else:
                year = born.year + age
                if year > 9998:
                    found = _FAR_FUTURE  # a birth date absurdly far ahead: never of age
                else:
                    try:
                        birthday = born.replace(year=year)
                    except ValueError:  # born on February 29
                        birthday = date(year, 3, 1)
                    found = start_of_local_day(birthday, self.tz).astimezone(UTC)
            self._of_age[age] = found
        return found

    def age_on(self, day: date) -> int | None:
        born = self.profile.birth_date
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def consents(self, purpose_id: str, channel: str | None, at: datetime) -> ConsentLookup:
        """Consents in force for ``purpose_id`` (on ``channel``) at ``at``.

        A consent or withdrawal recorded without a channel covers every channel.
        """
        grants, withdrawals = self._grants, self._withdrawals
        every: Key = (purpose_id, None)
        keys: tuple[Key, ...]
        if channel:
            one: Key = (purpose_id, channel)
            if (
                every not in grants
                and every not in withdrawals
                and one not in grants
                and one not in withdrawals
            ):
                return NOTHING
            keys = (one, every)
        else:
            if every not in grants and every not in withdrawals:
                return NOTHING
            keys = (every,)
        cutoff: tuple[datetime, int] | None = None
        withdrawal: ConsentWithdrawn | None = None
        for key in keys:
            timeline = self._withdrawals.get(key)
            if timeline is None:
                continue
            i = bisect_right(timeline.times, at) - 1
            if i >= 0 and (cutoff is None or timeline.marks[i] > cutoff):
                cutoff = timeline.marks[i]
                event = timeline.events[i]
                assert isinstance(event, ConsentWithdrawn)
                withdrawal = event
        in_force: list[Grant] = []
        lapsed: Grant | None = None
        for key in keys:
            for grant in self._grants.get(key, ()):
                if grant.at > at:
                    break
                if cutoff is not None and (grant.at, grant.seq) <= cutoff:
                    continue
                expired_at = self._expired.get(grant.consent.event_id)
                if (grant.expires_at is not None and grant.expires_at <= at) or (
                    expired_at is not None and grant.at <= expired_at <= at
                ):
                    lapsed = grant
                    continue
                in_force.append(grant)
        # A renewal supersedes the grant it renews: keep the latest of each consent.
        if len(in_force) > 1:
            latest: dict[str, Grant] = {}
            for grant in in_force:
                latest[grant.consent.event_id] = grant
            in_force = list(latest.values())
        if lapsed is not None and any(
            g.consent.event_id == lapsed.consent.event_id for g in in_force
        ):
            lapsed = None
        return ConsentLookup(tuple(in_force), withdrawal, lapsed)

    def latest_relationship(
        self, kind: RelationshipKind, at: datetime
    ) -> RelationshipEventRecorded | None:
        timeline = self._relationship.get(kind)
        if timeline is None:
            return None
        i = bisect_right(timeline.times, at) - 1
        if i < 0:
            return None
        event = timeline.events[i]
        assert isinstance(event, RelationshipEventRecorded)
        return event

    def latest_relationship_until(
        self, kind: RelationshipKind, at: datetime, days: int | None, months: int | None
    ) -> tuple[RelationshipEventRecorded, datetime] | None:
        """The latest event of ``kind`` at or before ``at``, with the end of the window of
        ``days`` (or ``months``) it opens, counted in local days (see ``casl``).

        Window ends are computed once per subject, kind and window, on first use.
        """
        timeline = self._relationship.get(kind)
        if timeline is None:
            return None
        i = bisect_right(timeline.times, at) - 1
        if i < 0:
            return None
        key = (kind, days, months)
        ends = self._window_ends.get(key)
        if ends is None:
            tz = self.tz
            ends = [
                end_of_local_day(
                    window_last_day(t.astimezone(tz).date(), days, months), tz
                ).astimezone(UTC)
                for t in timeline.times
            ]
            self._window_ends[key] = ends
        event = timeline.events[i]
        assert isinstance(event, RelationshipEventRecorded)
        return event, ends[i]

    def service_start(self, at: datetime) -> RelationshipEventRecorded | None:
        """The registration or contract start the service rests on at ``at``, if it is active.

        The service is active from the latest registration or contract start
        until a later ``service_terminated`` event (CON-6).
        """
        starts = [
            e
            for e in (
                self.latest_relationship(RelationshipKind.REGISTRATION, at),
                self.latest_relationship(RelationshipKind.CONTRACT_START, at),
            )
            if e is not None
        ]
        if not starts:
            return None
        start = max(starts, key=lambda e: e.at)
        terminated = self.latest_relationship(RelationshipKind.SERVICE_TERMINATED, at)
        if terminated is not None and terminated.at >= start.at:
            return None
        return start

    def channel_opt_out(self, channel: str, at: datetime) -> ChannelOptedOut | None:
        """The opt-out of ``channel`` in force at ``at`` (the latest choice wins)."""
        timeline = self._channel_opt.get(channel)
        if timeline is None:
            return None
        i = bisect_right(timeline.times, at) - 1
        if i < 0:
            return None
        event = timeline.events[i]
        return event if isinstance(event, ChannelOptedOut) else None

    def latest_gpc(self, at: datetime) -> tuple[GpcSignalReceived, tuple[datetime, int]] | None:
        """The latest GPC signal at or before ``at``, with its (instant, sequence) mark."""
        i = self._gpc.last_index_at(at)
        if i < 0:
            return None
        event = self._gpc.events[i]
        assert isinstance(event, GpcSignalReceived)
        return event, self._gpc.marks[i]

    @property
    def do_not_call_requests(self) -> tuple[DoNotCallRequested, ...]:
        return self._dnc


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is UTC else at.astimezone(UTC)


def _utc_or_none(at: datetime | None) -> datetime | None:
    return None if at is None else _utc(at)


_AT = attrgetter("at")


def _order_key(e: ConsentEvent) -> tuple[datetime, int, str]:
    return (e.at, PRECEDENCE[type(e)], e.event_id)


def _full_key(e: ConsentEvent) -> tuple[datetime, int, str, str]:
    return (e.at, PRECEDENCE[type(e)], e.event_id, repr(e))


def ledger_order(events: Iterable[ConsentEvent]) -> list[ConsentEvent]:
    """``events`` in the order the rules read them, whatever order they were recorded in
    (CON-5): by instant; at one instant facts and signals, then grants, then expiries,
    withdrawals, opt-outs and do-not-call requests (``codec.Precedence``); then by event id.

    Events sharing an id (never in a real ledger, whose ids are unique) are ordered by their
    whole content, so even then the order does not depend on the order given.
    """
    ordered = sorted(events, key=_AT)
    if len(set(map(_AT, ordered))) == len(ordered):
        return ordered  # no two events share an instant (the common case): time order is all
    ordered.sort(key=_order_key)
    if len({e.event_id for e in ordered}) < len(ordered):
        ordered.sort(key=_full_key)
    return ordered


def derive_state(profile: SubjectProfile, events: Iterable[ConsentEvent]) -> SubjectState:
    """Fold ``events`` (one subject's history) into a :class:`SubjectState`.

    Events are taken in :func:`ledger_order`, so the order they are given in does not
    matter (CON-5). Raises ``UnknownConsent`` for a renewal or expiry of a consent that
    is not in the history.
    """
    ordered = ledger_order(events)
    state = SubjectState(profile)
    state.events = tuple(ordered)
    given: dict[str, ConsentGiven] = {}
    # Instants are kept in UTC: comparing datetimes of one tzinfo skips offset look-ups.
    for seq, event in enumerate(ordered):
        require_aware(event.at, type(event).__name__ + ".at")
        at = _utc(event.at)
        if isinstance(event, ConsentGiven):
            given[event.event_id] = event
            state._grants.setdefault((event.purpose_id, event.channel), []).append(
                Grant(at, seq, event, event, _utc_or_none(event.expires_at), event.policy_version)
            )
        elif isinstance(event, ConsentRenewed):
            original = given.get(event.consent_id)
            if original is None:
                raise UnknownConsent(event.consent_id)
            state._grants.setdefault((original.purpose_id, original.channel), []).append(
                Grant(
                    at, seq, original, event, _utc_or_none(event.expires_at), event.policy_version
                )
            )
        elif isinstance(event, ConsentWithdrawn):
            state._withdrawals.setdefault((event.purpose_id, event.channel), _Timeline()).add(
                at, seq, event
            )
        elif isinstance(event, ConsentExpired):
            if event.consent_id not in given:
                raise UnknownConsent(event.consent_id)
            state._expired.setdefault(event.consent_id, at)
        elif isinstance(event, RelationshipEventRecorded):
            state._relationship.setdefault(event.kind, _Timeline()).add(at, seq, event)
        elif isinstance(event, GpcSignalReceived):
            state._gpc.add(at, seq, event)
        elif isinstance(event, ChannelOptedOut | ChannelOptedIn):
            state._channel_opt.setdefault(event.channel, _Timeline()).add(at, seq, event)
        elif isinstance(event, DoNotCallRequested):
            state._dnc += (event,)
    return state
