"""How Huey's messages are written to the queue: JSON data, sealed, never pickles.

Huey's default serializer is :mod:`pickle`: whoever can write to the queue's Redis (or its
SQLite file) could make every worker run code of their choosing. This one writes only data
(strings, numbers, lists, mappings, times, bytes and Huey's ``Message``), refuses anything
else when a task is enqueued, and seals the JSON with the key ring (AES-GCM): a message not
sealed with Confide's keys is refused before anything in it is read. Without a key ring (a
test's throwaway queue) the JSON is written unsealed; it is still only data.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from huey.registry import Message  # type: ignore[import-untyped]
from huey.serializer import Serializer  # type: ignore[import-untyped]

from confide.services.ports.common import Cipher

_AAD = b"confide-queue-message-v1"


class QueueMessageRefused(ValueError):
    """A queue message that is not Confide's: unsealed, altered or of an unknown shape."""


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Message):
        return {"m": [_encode(v) for v in value]}
    if isinstance(value, tuple):
        return {"t": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, bytes):
        return {"b": base64.b64encode(value).decode()}
    raise TypeError(f"a queue message carries data only, not {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) != 1:
        raise QueueMessageRefused("a queue message of an unknown shape")
    [(tag, body)] = value.items()
    if tag == "m":
        return Message(*(_decode(v) for v in body))
    if tag == "t":
        return tuple(_decode(v) for v in body)
    if tag == "d":
        return {_decode(k): _decode(v) for k, v in body}
    if tag == "dt":
        return datetime.fromisoformat(body)
    if tag == "b":
        return base64.b64decode(body)
    raise QueueMessageRefused("a queue message of an unknown shape")


class SealedJsonSerializer(Serializer):  # type: ignore[misc]
    """Huey's serializer, with sealed JSON in place of pickle."""

    def __init__(self, cipher: Cipher | None) -> None:
        super().__init__()
        self._cipher = cipher

    def _serialize(self, data: Any) -> bytes:
        text = json.dumps(_encode(data), separators=(",", ":")).encode()
        return self._cipher.encrypt(text, _AAD) if self._cipher is not None else text

    def _deserialize(self, data: bytes) -> Any:
        if self._cipher is not None:
            try:
                data = self._cipher.decrypt(bytes(data), _AAD)
            except Exception as exc:  # not sealed with our keys: refused, never read
                raise QueueMessageRefused("a queue message not sealed with Confide's keys") from exc
        try:
            return _decode(json.loads(data))
        except (ValueError, TypeError) as exc:
            raise QueueMessageRefused("a queue message that is not Confide's JSON") from exc
