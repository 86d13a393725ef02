"""The root of every error Confide raises on purpose.

Hierarchy (each area adds its own errors in its own module)::

    ConfideError
    ├── ValidationFailed      input that breaks a rule of shape; names its field
    ├── NotFound              an id that names nothing
    ├── Conflict              the state does not allow it (duplicate, already done)
    ├── NotAllowed            a rule of the policy or the law forbids it
    ├── AuthenticationFailed  no or bad credentials
    └── PermissionDenied      credentials without the role the action needs

Errors carry fields, never personal information: ``str(error)`` may be shown to
a user and written to logs, so it names ids, fields and rules, not values.
"""

from __future__ import annotations

from dataclasses import dataclass


class ConfideError(Exception):
    """Root of Confide's errors. ``code`` is stable and machine-readable."""

    code: str = "confide_error"
    title: str = "Confide error"

    def __init__(self, message: str, **fields: object) -> None:
        super().__init__(message)
        self.message = message
        self.fields: dict[str, object] = fields

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field (``location`` is a path such as ``body.email`` or ``line 12``)."""

    location: str
    message: str
    hint: str | None = None


class ValidationFailed(ConfideError):
    """Input that is malformed or inconsistent; lists every problem found."""

    code = "validation_failed"
    title = "Invalid input"

    def __init__(self, message: str, problems: list[FieldProblem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[FieldProblem] = list(problems or [])

    @classmethod
    def single(cls, location: str, message: str, hint: str | None = None) -> ValidationFailed:
        return cls(f"{location}: {message}", [FieldProblem(location, message, hint)])


class NotFound(ConfideError):
    code = "not_found"
    title = "Not found"

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"{kind} {ident!s} does not exist", kind=kind, id=str(ident))
        self.kind = kind
        self.ident = ident


class Conflict(ConfideError):
    code = "conflict"
    title = "Conflict with the current state"


class NotAllowed(ConfideError):
    """A rule of the policy or of the law forbids the action; ``rule`` names it (e.g. ``CON-6``)."""

    code = "not_allowed"
    title = "Not allowed by the policy"

    def __init__(self, message: str, rule: str | None = None, **fields: object) -> None:
        super().__init__(message, rule=rule, **fields)
        self.rule = rule


class AuthenticationFailed(ConfideError):
    code = "authentication_failed"
    title = "Authentication required"


class PermissionDenied(ConfideError):
    code = "permission_denied"
    title = "Permission denied"
