"""Errors of the requests area (they name fields and rules, never values)."""

from __future__ import annotations

from confide.domain.errors import ConfideError, Conflict, NotAllowed


class VerificationFailed(ConfideError):
    """A wrong, expired or exhausted one-time code. The same message whatever the cause, so a
    caller learns nothing about whether a request or a code exists (ACC-11)."""

    code = "verification_failed"
    title = "Identity not verified"

    def __init__(self, attempts_left: int | None = None) -> None:
        super().__init__(
            "the code is wrong or has expired; ask for a new code",
            attempts_left=attempts_left,
        )


class TooManyCodes(NotAllowed):
    """Codes are rate-limited per subject and per address (ACC-11)."""

    code = "too_many_codes"
    title = "Too many codes asked for"


class NotVerified(NotAllowed):
    """Nothing is released before the requester's identity is verified (ACC-11)."""

    def __init__(self) -> None:
        super().__init__("the requester's identity is not verified yet", rule="ACC-11")


class WrongState(Conflict):
    """The request's state does not allow the step."""

    def __init__(self, step: str, state: str) -> None:
        super().__init__(f"a request in state {state!r} cannot be {step}", state=state)
