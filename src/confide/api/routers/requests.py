"""Access, correction and portability requests (ACC-1..11): the staff routes under ``/v1``, and
the individual's public intake and verification (``/requests``, no staff token).

The public routes are rate-limited per client address and answer alike whether or not the
person is known: they are outside ``/v1`` (no bearer token) and outside the OpenAPI description
of the staff API; ``docs/requests.md`` documents them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status

from confide.api.deps import ContainerDep
from confide.api.problems import problem
from confide.api.schemas.requests import (
    AgentCheckIn,
    CodeIn,
    ExtendIn,
    FeeIn,
    FileOut,
    HoldOut,
    IntakeOut,
    LetterOut,
    PublicRequestIn,
    RefuseIn,
    ReleaseIn,
    RequestIn,
    RequestOut,
    RespondIn,
    ReviewIn,
)
from confide.api.security import allow
from confide.domain.access import Action, Principal
from confide.domain.requests.errors import VerificationFailed
from confide.services.requests import (
    SubmitRequest,
)
from confide.web.ratelimit import limited

router = APIRouter(prefix="/v1", tags=["requests"])
public_router = APIRouter(prefix="/requests", tags=["individuals"])

MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


@router.post("/requests", status_code=status.HTTP_201_CREATED)
def submit(
    body: RequestIn, principal: Annotated[Principal, allow(Action.REQUESTS_SUBMIT)], c: ContainerDep
) -> RequestOut:
    """Record a written request; an unknown subject is recorded as ``unmatched``."""
    svc = c.requests
    return RequestOut.of(svc.row_of(svc.submit(principal, SubmitRequest(**body.model_dump()))))


@router.get("/requests")
def list_requests(
    principal: Annotated[Principal, allow(Action.REQUESTS_LIST)],
    c: ContainerDep,
    due_within: Annotated[int | None, Query(ge=0, le=366)] = None,
    overdue: bool = False,
    subject_id: Annotated[str | None, Query(max_length=40)] = None,
    awaiting_identity: bool = False,
) -> list[RequestOut]:
    """The queue: requests not closed; with ``due_within``/``overdue``, open ones due soon or late.
    Individuals' own requests not verified yet are not in it: ``awaiting_identity=true`` lists
    them (nobody's work until verified; they expire)."""
    rows = c.requests.listing(
        principal,
        due_within=due_within,
        overdue=overdue,
        subject_id=subject_id,
        awaiting_identity=awaiting_identity,
    )
    return [RequestOut.of(r) for r in rows]


@router.get("/requests/{request_id}")
def show(
    request_id: str, principal: Annotated[Principal, allow(Action.REQUESTS_READ)], c: ContainerDep
) -> RequestOut:
    return RequestOut.of(c.requests.get(principal, request_id))


@router.post("/requests/{request_id}/code", status_code=status.HTTP_202_ACCEPTED)
def send_code(
    request_id: str,
    principal: Annotated[Principal, allow(Action.REQUESTS_SEND_CODE)],
    c: ContainerDep,
) -> dict[str, bool]:
    """Send a one-time code to the subject's email on file (rate-limited, ACC-11)."""
    c.requests.send_code(principal, request_id)
    return {"sent": True}


@router.post("/requests/{request_id}/verify")
def verify(
    request_id: str,
    body: CodeIn,
    principal: Annotated[Principal, allow(Action.REQUESTS_VERIFY)],
    c: ContainerDep,
) -> RequestOut:
    """Check the code the individual read out or typed."""
    svc = c.requests
    return RequestOut.of(svc.row_of(svc.verify_code(request_id, body.code, principal)))


@router.post("/requests/{request_id}/agent-check")
def agent_check(
    request_id: str,
    body: AgentCheckIn,
    principal: Annotated[Principal, allow(Action.REQUESTS_VERIFY)],
    c: ContainerDep,
) -> RequestOut:
    """Record an agent's identity check (phone requests): who checked and how (ACC-11)."""
    svc = c.requests
    request = svc.verify_by_agent(
        principal, request_id, body.how, authority_checked=body.authority_checked
    )
    return RequestOut.of(svc.row_of(request))


@router.post("/requests/{request_id}/extend")
def extend(
    request_id: str,
    body: ExtendIn,
    principal: Annotated[Principal, allow(Action.REQUESTS_EXTEND)],
    c: ContainerDep,
) -> LetterOut:
    """The one federal extension, with its notice sent now (ACC-2); Québec: refused."""
    svc = c.requests
    request, notice = svc.extend(
        principal,
        request_id,
        body.reason,
        days=body.days,
        new_due=body.new_due,
        notice_by_letter=body.notice_by_letter,
    )
    return LetterOut(request=RequestOut.of(svc.row_of(request)), letter=notice)


@router.post("/requests/{request_id}/fee")
def estimate_fee(
    request_id: str,
    body: FeeIn,
    principal: Annotated[Principal, allow(Action.REQUESTS_ESTIMATE_FEE)],
    c: ContainerDep,
) -> RequestOut:
    """Record a fee estimate; work waits until the individual accepts it (ACC-7)."""
    svc = c.requests
    return RequestOut.of(svc.row_of(svc.estimate_fee(principal, request_id, body.amount_cents)))


@router.post("/requests/{request_id}/fee/acceptance")
def accept_fee(
    request_id: str,
    principal: Annotated[Principal, allow(Action.REQUESTS_ACCEPT_FEE)],
    c: ContainerDep,
) -> RequestOut:
    svc = c.requests
    return RequestOut.of(svc.row_of(svc.accept_fee(principal, request_id)))


@router.post("/requests/{request_id}/prepare")
def prepare(
    request_id: str,
    principal: Annotated[Principal, allow(Action.REQUESTS_PREPARE)],
    c: ContainerDep,
) -> FileOut:
    """Assemble the subject's file and keep it, sealed, for review (state ``in_review``)."""
    return FileOut(request_id=request_id, file=c.requests.prepare(principal, request_id))


@router.get("/requests/{request_id}/file")
def prepared_file(
    request_id: str,
    principal: Annotated[Principal, allow(Action.REQUESTS_READ_FILE)],
    c: ContainerDep,
) -> FileOut:
    return FileOut(request_id=request_id, file=c.requests.prepared_file(principal, request_id))


@router.post("/requests/{request_id}/review")
def review(
    request_id: str,
    body: ReviewIn,
    principal: Annotated[Principal, allow(Action.REQUESTS_REVIEW)],
    c: ContainerDep,
) -> FileOut:
    """Withhold items (each with its reason, ACC-5) or restore them before release."""
    data = c.requests.review(principal, request_id, exclude=body.exclude, restore=body.restore)
    return FileOut(request_id=request_id, file=data)


@router.post("/requests/{request_id}/release")
def release(
    request_id: str,
    body: ReleaseIn,
    principal: Annotated[Principal, allow(Action.REQUESTS_RELEASE)],
    c: ContainerDep,
) -> RequestOut:
    svc = c.requests
    request = svc.release(
        principal,
        request_id,
        incomplete_ok=body.incomplete_ok,
        withheld_reasons=body.withheld_reasons,
    )
    return RequestOut.of(svc.row_of(request))


@router.get(
    "/requests/{request_id}/response",
    response_class=Response,
    responses={200: {"content": {m.split(";")[0]: {} for m in MEDIA.values()}}},
)
def response(
    request_id: str,
    principal: Annotated[Principal, allow(Action.REQUESTS_RESPONSE)],
    c: ContainerDep,
    format: Literal["json", "csv", "html", "pdf"] = "json",
) -> Response:
    """The released file in the subject's language; ``X-Confide-Incomplete: true`` when it was
    released although some sources could not be read."""
    body, incomplete = c.requests.response(principal, request_id, format)
    return Response(
        body,
        media_type=MEDIA[format],
        headers={"X-Confide-Incomplete": "true" if incomplete else "false"},
    )


@router.post("/requests/{request_id}/respond")
def respond(
    request_id: str,
    body: RespondIn,
    principal: Annotated[Principal, allow(Action.REQUESTS_RESPOND)],
    c: ContainerDep,
) -> RequestOut:
    """Answer a correction request: accept (applied and sent on, ACC-9) or refuse in writing."""
    svc = c.requests
    request = svc.respond(
        principal, request_id, accept=body.accept, statement=body.statement, reasons=body.reasons
    )
    return RequestOut.of(svc.row_of(request))


@router.post("/requests/{request_id}/refuse")
def refuse(
    request_id: str,
    body: RefuseIn,
    principal: Annotated[Principal, allow(Action.REQUESTS_REFUSE)],
    c: ContainerDep,
) -> LetterOut:
    """Refuse in writing, with reasons and recourse (ACC-6)."""
    svc = c.requests
    request, letter = svc.refuse(principal, request_id, body.reasons)
    return LetterOut(request=RequestOut.of(svc.row_of(request)), letter=letter)


@router.post("/requests/{request_id}/close")
def close(
    request_id: str, principal: Annotated[Principal, allow(Action.REQUESTS_CLOSE)], c: ContainerDep
) -> RequestOut:
    """Close an answered request; its legal hold on the subject ends (ACC-8)."""
    svc = c.requests
    return RequestOut.of(svc.row_of(svc.close(principal, request_id)))


@router.get("/subjects/{subject_id}/holds")
def holds(
    subject_id: str, principal: Annotated[Principal, allow(Action.HOLDS_READ)], c: ContainerDep
) -> list[HoldOut]:
    """Legal holds on the subject, open and closed (ACC-8)."""
    return [HoldOut.of(h) for h in c.requests.holds_for(principal, subject_id)]


# --- the individual's own request: public, rate-limited, revealing nothing ------------------------


def _too_many() -> Response:
    return problem(
        429,
        "Too many requests",
        "too many attempts from this address; try again later",
        "rate_limited",
        headers={"Retry-After": "600"},
    )


@public_router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=IntakeOut)
def public_submit(body: PublicRequestIn, request: Request, c: ContainerDep) -> Response | IntakeOut:
    """An individual's access, correction or portability request. The answer is the same, in
    the request's language (``language``, else English), and costs the same whether or not we
    hold information on them: the request is recorded as written and the intake job, off this
    path, matches it and, when we know them, mails a code to a contact on file."""
    if limited(request, "public.intake", 10):
        return _too_many()
    receipt = c.requests.submit_public(SubmitRequest(**body.model_dump()))
    return IntakeOut(reference=receipt.reference, message=receipt.message)


@public_router.post("/{reference}/verify", response_model=None)
def public_verify(
    reference: str, body: CodeIn, request: Request, c: ContainerDep
) -> Response | dict[str, object]:
    """The code the individual received. Wrong, expired or unknown: the same 400 answer."""
    if limited(request, "public.verify", 20):
        return _too_many()
    try:
        c.requests.verify_code(reference, body.code)
    except VerificationFailed:
        raise VerificationFailed() from None  # no attempts count: it would reveal a code exists
    return {"verified": True}
