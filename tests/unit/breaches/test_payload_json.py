"""The outbox seals each payload as canonical JSON; the bulk path's encoder (long strings
encoded once) writes exactly what ``json.dumps`` writes."""

from __future__ import annotations

import json

import pytest

from confide.adapters.db.repositories.outbox import payload_json

LONG = 'Ce qui s\'est passé : « une erreur » \\ "quoted"\n' * 20


@pytest.mark.parametrize(
    "payload",
    [
        {"subject": "Avis", "text": LONG, "to": "a@example.ca", "language": "fr"},
        {"text": LONG, "n": 3, "nested": {"b": [1, 2], "a": None}, "flag": True},
        {},
        {"é": "short", "z": LONG + "x"},
    ],
)
def test_the_bulk_encoder_writes_what_json_dumps_writes(payload: dict[str, object]) -> None:
    expected = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    assert payload_json(payload) == expected
    assert payload_json(payload) == expected  # and again, from the cache


def test_the_bulk_path_writes_every_column_of_the_outbox_table() -> None:
    from confide.adapters.db.repositories.outbox import _COLUMNS
    from confide.adapters.db.tables import outbox_messages

    assert sorted(_COLUMNS) == sorted(c.name for c in outbox_messages.columns)
