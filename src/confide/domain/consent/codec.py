"""The one table of consent event types: what each is called, where it stands among events of
the same instant, and how its fields become stored columns and JSON.

Every place that maps a ledger event by its type reads this table: the store writes and
reads rows with it (``adapters/db/repositories/consent/ledger.py``), the audit entry and the
access file take its ``name``, the API its JSON form, and the state derivation its
``precedence`` (CON-5). Adding an event type is its class in ``events.py``, one entry in
:data:`EVENT_TYPES` and its test (``tests/unit/consent/test_consent_codec.py`` checks that
every class of the ``ConsentEvent`` union is declared and that each round-trips).

Columns are those of ``consent_events``: ``id``, ``subject_id``, ``type`` and ``at`` are
common to every type; the rest are declared per type (a column unused by a type is NULL).
Pure: times are handed to a converter the caller gives (the store knows its dialect).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, IntEnum
from typing import Any

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
)
from confide.domain.policy import ConsentMethod


class Form(Enum):
    """How a field's value is stored: text as is, a time, a flag, or an enum's value."""

    TEXT = "text"
    TIME = "time"
    FLAG = "flag"
    ENUM = "enum"


class Precedence(IntEnum):
    """Where an event stands among the events of the same instant (CON-5).

    Facts and signals come first, then what grants, then what ends or refuses: at one
    instant a withdrawal (or an opt-out, a do-not-call request) always comes after a consent,
    so it prevails whatever order the two were recorded in. A GPC signal is the context of
    the interaction it came with (CON-10): it ends consents given before its instant, not a
    consent the person gives in that same interaction.
    """

    FACT = 0
    SIGNAL = 1
    GRANT = 2
    RENEWAL = 3
    END = 4
    WITHDRAWAL = 5


@dataclass(frozen=True, slots=True)
class Field:
    """One attribute of an event and the ``consent_events`` column it is stored in."""

    attr: str
    column: str
    form: Form = Form.TEXT
    enum: type[Enum] | None = None
    default: Any = None
    """What a NULL column reads back as (rows written before the field existed)."""


def _enum(attr: str, column: str, enum: type[Enum]) -> Field:
    return Field(attr, column, Form.ENUM, enum)


_BASE = {"event_id": "id", "subject_id": "subject_id"}


@dataclass(frozen=True, slots=True)
class EventType:
    """A ledger event type: ``kind`` is the stored ``type``, ``name`` the audit/access-file
    word (``consent.<name>``), ``at_attr`` the attribute stored in ``at``."""

    kind: str
    cls: type[Any]
    name: str
    precedence: Precedence
    fields: tuple[Field, ...] = ()
    at_attr: str = "at"

    def arguments(self) -> tuple[tuple[str, Field | None], ...]:
        """The class's constructor arguments in order, each as (column, field or None for
        the common columns)."""
        by_attr = {f.attr: f for f in self.fields}
        out: list[tuple[str, Field | None]] = []
        for attr in (f.name for f in dataclasses.fields(self.cls) if f.init):
            if attr in _BASE:
                out.append((_BASE[attr], None))
            elif attr == self.at_attr:
                out.append(("at", None))
            else:
                out.append((by_attr[attr].column, by_attr[attr]))
        return tuple(out)


EVENT_TYPES: tuple[EventType, ...] = (
    EventType(
        "consent_given",
        ConsentGiven,
        "given",
        Precedence.GRANT,
        (
            Field("purpose_id", "purpose_id"),
            Field("channel", "channel"),
            _enum("kind", "consent_kind", ConsentKind),
            _enum("method", "method", ConsentMethod),
            Field("policy_version", "policy_version"),
            Field("evidence_ref", "evidence_ref"),
            Field("by_guardian", "by_guardian", Form.FLAG),
            Field("recorded_by", "recorded_by"),
            Field("language", "language", default="en"),
            Field("expires_at", "expires_at", Form.TIME),
        ),
    ),
    EventType(
        "consent_withdrawn",
        ConsentWithdrawn,
        "withdrawn",
        Precedence.WITHDRAWAL,
        (
            Field("purpose_id", "purpose_id"),
            Field("channel", "channel"),
            Field("recorded_by", "recorded_by"),
        ),
    ),
    EventType(
        "consent_expired",
        ConsentExpired,
        "expired",
        Precedence.END,
        (Field("consent_id", "ref_id"),),
    ),
    EventType(
        "consent_renewed",
        ConsentRenewed,
        "renewed",
        Precedence.RENEWAL,
        (
            Field("consent_id", "ref_id"),
            Field("policy_version", "policy_version"),
            Field("recorded_by", "recorded_by"),
            Field("expires_at", "expires_at", Form.TIME),
        ),
    ),
    EventType(
        "relationship",
        RelationshipEventRecorded,
        "relationship_recorded",
        Precedence.FACT,
        (_enum("kind", "relationship_kind", RelationshipKind),),
    ),
    EventType("gpc_signal", GpcSignalReceived, "gpc_received", Precedence.SIGNAL),
    EventType(
        "channel_opted_out",
        ChannelOptedOut,
        "channel_opted_out",
        Precedence.WITHDRAWAL,
        (Field("channel", "channel"),),
    ),
    EventType(
        "channel_opted_in",
        ChannelOptedIn,
        "channel_opted_in",
        Precedence.GRANT,
        (Field("channel", "channel"),),
    ),
    EventType(
        "dnc_requested",
        DoNotCallRequested,
        "do_not_call_requested",
        Precedence.WITHDRAWAL,
        (
            Field("phone_number", "phone"),
            Field("added_at", "added_at", Form.TIME),
        ),
        at_attr="requested_at",
    ),
)
"""Every event type of the ledger, declared once."""

BY_KIND: Mapping[str, EventType] = {t.kind: t for t in EVENT_TYPES}
BY_CLASS: Mapping[type[Any], EventType] = {t.cls: t for t in EVENT_TYPES}
PRECEDENCE: Mapping[type[Any], int] = {t.cls: int(t.precedence) for t in EVENT_TYPES}

FIELD_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(f.column for t in EVENT_TYPES for f in t.fields)
)
"""The per-type columns of ``consent_events``, each once."""


def event_type(event: ConsentEvent | type[Any]) -> EventType:
    """The table entry of ``event`` (an event or an event class)."""
    cls = event if isinstance(event, type) else type(event)
    try:
        return BY_CLASS[cls]
    except KeyError:
        raise TypeError(f"{cls.__name__} is not a consent event type") from None


def kind_of(cls: type[Any]) -> str:
    """The stored ``type`` of the event class ``cls``."""
    return event_type(cls).kind


def name_of(event: ConsentEvent) -> str:
    """The word audit entries and the access file use for ``event`` (``given``...)."""
    return event_type(event).name


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def to_json(event: ConsentEvent) -> dict[str, Any]:
    """The event's own fields (beyond id, subject and instant) that are set, JSON-ready:
    times in ISO 8601, enums as their values, flags as booleans."""
    out: dict[str, Any] = {}
    for f in event_type(event).fields:
        value = getattr(event, f.attr)
        if value is not None:
            out[f.attr] = _json(value)
    return out


def to_columns(
    event: ConsentEvent, time: Callable[[datetime], Any] = lambda d: d
) -> dict[str, Any]:
    """The ``consent_events`` columns of ``event`` (unset ones absent); ``time`` converts
    times for the store."""
    et = event_type(event)
    out: dict[str, Any] = {
        "id": event.event_id,
        "subject_id": event.subject_id,
        "type": et.kind,
        "at": time(getattr(event, et.at_attr)),
    }
    for f in et.fields:
        value = getattr(event, f.attr)
        if value is None:
            continue
        if f.form is Form.TIME:
            value = time(value)
        elif f.form is Form.ENUM:
            value = value.value
        out[f.column] = value
    return out


def row_reader(
    columns: Sequence[str], time: Callable[[Any], datetime | None] | None = None
) -> Callable[[Sequence[Any]], ConsentEvent]:
    """A function turning a row whose values are in ``columns`` order (``type`` among them)
    into its event. ``time`` converts stored times (None: they are datetimes already).

    Each type's constructor arguments are planned once here, so reading a row is one list
    of conversions and one constructor call (the decision hot path reads whole histories).
    """
    index = {c: i for i, c in enumerate(columns)}
    type_at = index["type"]
    plans: dict[str, tuple[type[Any], tuple[tuple[int, Callable[[Any], Any] | None], ...]]] = {}
    for et in EVENT_TYPES:
        plan: list[tuple[int, Callable[[Any], Any] | None]] = []
        for column, f in et.arguments():
            conv: Callable[[Any], Any] | None = None
            if f is None:
                conv = time if column == "at" else None
            elif f.form is Form.TIME:
                conv = time
            elif f.form is Form.FLAG:
                conv = bool
            elif f.form is Form.ENUM:
                conv = f.enum
            elif f.default is not None:
                conv = _or(f.default)
            plan.append((index[column], conv))
        plans[et.kind] = (et.cls, tuple(plan))

    def read(row: Sequence[Any]) -> ConsentEvent:
        found = plans.get(row[type_at])
        if found is None:
            raise ValueError(f"unknown consent event type {row[type_at]!r}")
        cls, plan = found
        event: ConsentEvent = cls(*[row[i] if c is None else c(row[i]) for i, c in plan])
        return event

    return read


def _or(default: Any) -> Callable[[Any], Any]:
    return lambda value: default if value is None else value
