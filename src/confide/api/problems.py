"""Errors as RFC 9457 problem documents; the API never echoes internal exception text or input values."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from confide.domain.errors import (
    AuthenticationFailed,
    ConfideError,
    Conflict,
    NotAllowed,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from confide.domain.holds import OnHold
from confide.domain.requests.errors import TooManyCodes

log = logging.getLogger("confide.api")
PROBLEM = "application/problem+json"
STATUS: dict[type[ConfideError], int] = {
    TooManyCodes: 429,  # checked before NotAllowed: the most specific class in the MRO wins
    OnHold: 409,  # a legal hold keeps what the action would destroy (ACC-8)
    ValidationFailed: 422,
    NotFound: 404,
    Conflict: 409,
    NotAllowed: 422,
    AuthenticationFailed: 401,
    PermissionDenied: 403,
}


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    code: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://confide.dev/problems/{code or status}",
        "title": title,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if code:
        body["code"] = code
    if errors:
        body["errors"] = errors
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def status_for(exc: ConfideError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def install(app: FastAPI) -> None:
    @app.exception_handler(ConfideError)
    async def confide_error(request: Request, exc: ConfideError) -> JSONResponse:
        status = status_for(exc)
        errors = None
        if isinstance(exc, ValidationFailed):
            errors = [
                {
                    "location": p.location,
                    "message": p.message,
                    **({"hint": p.hint} if p.hint else {}),
                }
                for p in exc.problems
            ]
        headers = {"WWW-Authenticate": 'Bearer realm="confide"'} if status == 401 else None
        rule = exc.rule if isinstance(exc, NotAllowed) else None
        hold_ids = list(exc.hold_ids) if isinstance(exc, OnHold) else None
        return problem(
            status, exc.title, exc.message, exc.code, errors, headers, rule=rule, hold_ids=hold_ids
        )

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err.get("loc", ()))
            # err["msg"] is pydantic's generic wording; err["input"] (the value) is never returned.
            errors.append(
                {"location": loc, "message": err.get("msg", "is invalid"), "type": err.get("type")}
            )
        return problem(
            422,
            "Invalid request",
            "the request does not match the expected shape",
            "request_invalid",
            errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {
            404: "Not found",
            405: "Method not allowed",
            413: "Request too large",
            401: "Authentication required",
        }
        return problem(
            exc.status_code,
            titles.get(exc.status_code, "HTTP error"),
            exc.detail if isinstance(exc.detail, str) else None,
            f"http_{exc.status_code}",
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Logged with its type only: the message of an unexpected error may carry values.
        log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return problem(
            500, "Internal error", "an unexpected error occurred; it was logged", "internal_error"
        )
