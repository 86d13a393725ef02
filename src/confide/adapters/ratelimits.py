"""Rate limits every serving process shares (issue 18, finding 10): counted in the store
(the embedded default and PostgreSQL: one atomic upsert a call) or in Redis (``INCR`` with an
expiry), so a deployment of several processes or hosts allows what one process would.

Fixed windows: a caller gets ``limit`` calls per window of ``window_seconds``, counted from
the epoch. The caller (a client address, personal information) is kept only as an HMAC under
a key derived from the key ring, and counters of past windows are deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import time
from typing import Any

from sqlalchemy import Engine, delete
from sqlalchemy.dialects import postgresql, sqlite

from confide.adapters.db.tables import rate_limit_hits

_KEPT_SECONDS = 86_400
"""Counters older than this are deleted (now and then, by a call that happens to do it)."""


def caller_key(secret: bytes, name: str, caller: str) -> str:
    return hmac.new(secret, f"{name}\0{caller}".encode(), hashlib.sha256).hexdigest()


class StoreRateLimits:
    """Counters in the ``rate_limit_hits`` table of the store."""

    def __init__(self, engine: Engine, secret: bytes) -> None:
        self._engine = engine
        self._secret = secret

    def hit(self, name: str, caller: str, limit: int, window_seconds: int) -> bool:
        now = int(time.time())
        window = now - now % window_seconds
        key = caller_key(self._secret, name, caller)
        insert: Any = (
            postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        )
        stmt = insert(rate_limit_hits).values(name=name, caller=key, window_start=window, hits=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=["name", "caller", "window_start"],
            set_={"hits": rate_limit_hits.c.hits + 1},
        ).returning(rate_limit_hits.c.hits)
        with self._engine.begin() as conn:
            hits = int(conn.execute(stmt).scalar_one())
            if random.random() < 0.01:
                conn.execute(
                    delete(rate_limit_hits).where(
                        rate_limit_hits.c.window_start < now - _KEPT_SECONDS
                    )
                )
        return hits <= limit


class RedisRateLimits:
    """Counters in Redis, one key a limit, caller and window, expiring with the window."""

    def __init__(self, url: str, secret: bytes) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self._secret = secret

    def hit(self, name: str, caller: str, limit: int, window_seconds: int) -> bool:
        now = int(time.time())
        window = now - now % window_seconds
        key = f"confide:rl:{caller_key(self._secret, name, caller)}:{window}"
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, window_seconds + 60)
        hits, _ = pipe.execute()
        return int(hits) <= limit

    def close(self) -> None:
        self._redis.close()
