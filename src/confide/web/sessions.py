"""Staff console sessions: the staff member's API token, sealed in an HttpOnly cookie.

The cookie holds ``{token, expiry, csrf}`` encrypted and authenticated with the key ring
(AES-GCM), so it can neither be read nor forged in the browser. Every request re-authenticates
the token, so revoking it ends the session at once. Forms carry the session's CSRF value;
the cookie is also ``SameSite=Strict``.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from confide.domain.errors import ConfideError
from confide.services.ports.common import Cipher

COOKIE = "confide_console"
LOGIN_COOKIE = "confide_console_login"
"""The sign-in form's CSRF value (no session exists yet to hold it)."""
LANGUAGE_COOKIE = "confide_console_lang"
_AAD = b"confide-console-session-v1"
LIFETIME = timedelta(hours=8)


@dataclass(frozen=True)
class ConsoleSession:
    token: str
    expires_at: datetime
    csrf: str

    def csrf_ok(self, submitted: str | None) -> bool:
        return bool(submitted) and hmac.compare_digest(self.csrf, submitted or "")


def new_session(token: str, now: datetime) -> ConsoleSession:
    return ConsoleSession(token, now + LIFETIME, secrets.token_urlsafe(24))


def seal_value(cipher: Cipher, data: dict[str, Any], purpose: bytes) -> str:
    """``data`` as JSON, encrypted and authenticated for one ``purpose`` (the associated data),
    in a cookie-safe form."""
    payload = json.dumps(data).encode()
    return base64.urlsafe_b64encode(cipher.encrypt(payload, purpose)).decode().rstrip("=")


def unseal_value(cipher: Cipher, cookie: str | None, purpose: bytes) -> dict[str, Any] | None:
    """What :func:`seal_value` sealed for ``purpose``, or None if missing, forged or damaged."""
    if not cookie or len(cookie) > 4096:
        return None
    try:
        blob = base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4))
        data = json.loads(cipher.decrypt(blob, purpose))
    except (ConfideError, ValueError, TypeError, binascii.Error):
        # ConfideError: the cipher's refusal (forged or damaged blob, unknown key).
        return None
    return data if isinstance(data, dict) else None


def seal(cipher: Cipher, session: ConsoleSession) -> str:
    data = {"t": session.token, "exp": session.expires_at.timestamp(), "csrf": session.csrf}
    return seal_value(cipher, data, _AAD)


def unseal(cipher: Cipher, cookie: str | None, now: datetime) -> ConsoleSession | None:
    """The session in ``cookie``, or None when it is missing, forged, damaged or expired."""
    data = unseal_value(cipher, cookie, _AAD)
    if data is None:
        return None
    try:
        expires = datetime.fromtimestamp(float(data["exp"]), tz=now.tzinfo)
        session = ConsoleSession(str(data["t"]), expires, str(data["csrf"]))
    except (ValueError, KeyError, TypeError):
        return None
    return session if session.expires_at > now else None
