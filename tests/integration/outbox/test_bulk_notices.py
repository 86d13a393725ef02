"""A bulk of notices sharing their texts is stored exactly as each message composed one by
one would be: same columns, and a payload that opens to the same JSON (so delivery, the
console and the access file read them alike). Emails and letters, English and French."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from confide.bootstrap import Container
from confide.domain.outbox import BulkNotices, OutboxKind, TargetType
from confide.services.breaches.notices import notice_key

AT = datetime(2026, 12, 5, 12, 0, 0, 123456, tzinfo=UTC)
TEXTS: dict[object, tuple[str, str, str]] = {
    ("en", False): ("A privacy incident", 'What happened: "quotes", accents: é.\n' * 20, "en"),
    ("fr", True): ("Un incident", "Ce qui s'est passé — la Commission d'accès.\n" * 20, "fr"),
}


def test_a_bulk_row_is_the_row_of_the_message_composed_alone(container: Container) -> None:
    people = [
        ("msg_a", "sub_a", ("en", False), "a@example.ca", notice_key("inc_1", "sub_a"), "m1@x"),
        ("msg_b", "sub_b", ("fr", True), None, notice_key("inc_1", "sub_b"), "m2@x"),
        ("msg_c", "sub_c", ("fr", True), "ç@example.ca", notice_key("inc_1", "sub_c"), "m3@x"),
    ]
    bulk = BulkNotices(OutboxKind.BREACH_NOTICE, TargetType.INDIVIDUAL, AT, TEXTS, people)
    with container.ctx.uow(readonly=True) as uow:
        fast = list(uow.outbox.seal_bulk(bulk))
        one_by_one = list(uow.outbox.seal_messages([bulk.message(n) for n in range(len(people))]))
    assert len(fast) == len(one_by_one) == 3
    sealed = 8  # the payload column
    for row, alone in zip(fast, one_by_one, strict=True):
        assert row[:sealed] + row[sealed + 1 :] == alone[:sealed] + alone[sealed + 1 :]
        aad = b"outbox_messages:" + row[0].encode()
        mine = container.keyring.decrypt(row[sealed], aad)
        theirs = container.keyring.decrypt(alone[sealed], aad)
        assert mine == theirs
        assert json.loads(mine)["message_id"] in ("m1@x", "m2@x", "m3@x")
    assert fast[1][-2] == "letter" and fast[1][12] is None  # no address: a letter to post
