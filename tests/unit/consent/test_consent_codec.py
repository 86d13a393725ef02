"""The one table of consent event types: every type declared once, each round-trips."""

from __future__ import annotations

import typing
from datetime import timedelta

import pytest
from consent_support import t

from confide.domain.consent import codec
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

AT = t("2026-02-01 10:00")

ONE_OF_EACH: list[ConsentEvent] = [
    ConsentGiven(
        "e1", "s", "marketing", AT, ConsentKind.EXPRESS, ConsentMethod.CHECKBOX, "agent",
        "2026.1", "fr", "doc-1", "email", AT + timedelta(days=30), True,
    ),
    ConsentWithdrawn("e2", "s", "marketing", AT, "agent", "email"),
    ConsentExpired("e3", "s", "e1", AT),
    ConsentRenewed("e4", "s", "e1", AT, "agent", "2026.1", AT + timedelta(days=60)),
    RelationshipEventRecorded("e5", "s", RelationshipKind.PURCHASE, AT),
    GpcSignalReceived("e6", "s", AT),
    ChannelOptedOut("e7", "s", "sms", AT),
    ChannelOptedIn("e8", "s", "sms", AT),
    DoNotCallRequested("e9", "s", "+15145550100", AT, AT + timedelta(days=3)),
]  # fmt: skip


def test_every_event_class_of_the_ledger_is_declared_once() -> None:
    classes = set(typing.get_args(ConsentEvent))
    assert {e.cls for e in codec.EVENT_TYPES} == classes
    assert len(codec.EVENT_TYPES) == len(classes) == len(codec.BY_KIND)
    assert {type(e) for e in ONE_OF_EACH} == classes


@pytest.mark.parametrize("event", ONE_OF_EACH, ids=lambda e: type(e).__name__)
def test_an_event_reads_back_from_its_columns_as_it_was_written(event: ConsentEvent) -> None:
    columns = ("id", "subject_id", "type", "at", *codec.FIELD_COLUMNS)
    stored = codec.to_columns(event)
    read = codec.row_reader(columns)
    assert read(tuple(stored.get(c) for c in columns)) == event


def test_times_go_through_the_stores_converter_both_ways() -> None:
    event = ONE_OF_EACH[0]
    columns = ("id", "subject_id", "type", "at", *codec.FIELD_COLUMNS)
    stored = codec.to_columns(event, time=lambda d: d.isoformat())
    assert stored["at"] == AT.isoformat()
    read = codec.row_reader(columns, time=lambda v: None if v is None else t(v[:16]))
    assert read(tuple(stored.get(c) for c in columns)) == event


def test_a_null_language_reads_back_as_english_and_a_null_flag_as_false() -> None:
    event = ONE_OF_EACH[0]
    columns = ("id", "subject_id", "type", "at", *codec.FIELD_COLUMNS)
    stored = codec.to_columns(event) | {"language": None, "by_guardian": None}
    read = codec.row_reader(columns)(tuple(stored.get(c) for c in columns))
    assert isinstance(read, ConsentGiven)
    assert read.language == "en" and read.by_guardian is False


def test_an_unknown_stored_type_is_refused_with_its_name() -> None:
    read = codec.row_reader(("id", "subject_id", "type", "at", *codec.FIELD_COLUMNS))
    with pytest.raises(ValueError, match="'mystery'"):
        read(("e", "s", "mystery", AT) + (None,) * len(codec.FIELD_COLUMNS))


def test_the_json_form_names_the_attributes_and_leaves_unset_ones_out() -> None:
    assert codec.to_json(ONE_OF_EACH[1]) == {
        "purpose_id": "marketing",
        "channel": "email",
        "recorded_by": "agent",
    }
    given = codec.to_json(ONE_OF_EACH[0])
    assert given["kind"] == "express" and given["by_guardian"] is True
    assert given["expires_at"] == (AT + timedelta(days=30)).isoformat()
    assert codec.to_json(DoNotCallRequested("d", "s", "+1", AT)) == {"phone_number": "+1"}


def test_names_and_precedences_put_withdrawals_after_grants() -> None:
    assert codec.name_of(ONE_OF_EACH[0]) == "given"
    assert codec.kind_of(ConsentWithdrawn) == "consent_withdrawn"
    p = codec.PRECEDENCE
    assert p[ConsentGiven] < p[ConsentRenewed] < p[ConsentWithdrawn]
    assert p[ChannelOptedIn] < p[ChannelOptedOut]
    assert p[GpcSignalReceived] < p[ConsentGiven]


def test_a_class_outside_the_table_is_refused() -> None:
    with pytest.raises(TypeError, match="str"):
        codec.event_type(str)
