"""Consents, relationship events, channel opt-outs, do-not-call, decisions and withdrawals.

A ``Sec-GPC: 1`` header on a consent interaction is recorded and applied (CON-10).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, status
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from pydantic import AwareDatetime
from starlette.concurrency import run_in_threadpool

from confide.api.deps import ContainerDep
from confide.api.schemas.consent import (
    AckIn,
    ConsentIn,
    DecisionIn,
    DecisionOut,
    DoNotCallIn,
    LedgerEventOut,
    NationalDncIn,
    RelationshipIn,
    StoredDecisionOut,
    SystemIn,
    WithdrawIn,
)
from confide.api.security import Allow, allow
from confide.bootstrap import Container
from confide.domain.access import Action, Principal
from confide.services.consent import GiveConsentRequest

router = APIRouter(prefix="/v1", tags=["consent"])
Gpc = Annotated[
    str | None, Header(alias="Sec-GPC", description="Global Privacy Control: 1 = do not sell/share")
]


def _gpc(value: str | None) -> bool:
    return (value or "").strip() == "1"


@router.post("/subjects/{subject_id}/consents", status_code=status.HTTP_201_CREATED)
def give_consent(
    subject_id: str,
    body: ConsentIn,
    principal: Annotated[Principal, allow(Action.CONSENT_GIVE)],
    c: ContainerDep,
    sec_gpc: Gpc = None,
) -> list[LedgerEventOut]:
    req = GiveConsentRequest(
        subject_id,
        tuple(body.purposes),
        body.kind,
        body.method,
        body.channel,
        body.evidence_ref,
        body.language,
        body.at,
        body.expires_at,
        body.by_guardian,
        _gpc(sec_gpc),
        body.policy_version,
    )
    return [LedgerEventOut.of(e) for e in c.consent.give(principal, req)]


@router.post("/subjects/{subject_id}/consents/withdrawals", status_code=status.HTTP_201_CREATED)
def withdraw_consent(
    subject_id: str,
    body: WithdrawIn,
    principal: Annotated[Principal, allow(Action.CONSENT_WITHDRAW)],
    c: ContainerDep,
    sec_gpc: Gpc = None,
) -> list[LedgerEventOut]:
    events = c.consent.withdraw(
        principal, subject_id, body.purpose, body.channel, body.at, _gpc(sec_gpc)
    )
    return [LedgerEventOut.of(e) for e in events]


@router.get("/subjects/{subject_id}/consents")
def consent_history(
    subject_id: str, principal: Annotated[Principal, allow(Action.CONSENT_READ)], c: ContainerDep
) -> list[LedgerEventOut]:
    """The subject's whole consent history, oldest first."""
    return [LedgerEventOut.of(e) for e in c.consent.history(principal, subject_id)]


@router.post("/subjects/{subject_id}/events", status_code=status.HTTP_201_CREATED)
def record_relationship(
    subject_id: str,
    body: RelationshipIn,
    principal: Annotated[Principal, allow(Action.CONSENT_RELATIONSHIP)],
    c: ContainerDep,
) -> LedgerEventOut:
    """A registration, purchase, inquiry, contract start or end, address given, or termination."""
    return LedgerEventOut.of(
        c.consent.record_relationship(principal, subject_id, body.kind, body.occurred_at)
    )


@router.post(
    "/subjects/{subject_id}/channels/{channel}/{choice}", status_code=status.HTTP_201_CREATED
)
def channel_preference(
    subject_id: str,
    channel: str,
    choice: Literal["opt-out", "opt-in"],
    principal: Annotated[Principal, allow(Action.CONSENT_CHANNEL)],
    c: ContainerDep,
) -> LedgerEventOut:
    return LedgerEventOut.of(
        c.consent.set_channel(principal, subject_id, channel, choice == "opt-out")
    )


@router.post("/subjects/{subject_id}/do-not-call", status_code=status.HTTP_201_CREATED)
def do_not_call(
    subject_id: str,
    body: DoNotCallIn,
    principal: Annotated[Principal, allow(Action.CONSENT_DO_NOT_CALL)],
    c: ContainerDep,
) -> LedgerEventOut:
    return LedgerEventOut.of(c.consent.do_not_call(principal, subject_id, body.phone))


@router.get("/consents/{event_id}/receipt", response_model=None)
def consent_receipt(
    event_id: str,
    principal: Annotated[Principal, allow(Action.CONSENT_READ)],
    c: ContainerDep,
    format: Annotated[Literal["iso27560", "kantara", "html"], Query()] = "iso27560",
    lang: Annotated[Literal["en", "fr"] | None, Query()] = None,
) -> JSONResponse | HTMLResponse:
    """The consent as an ISO/IEC TS 27560 record, a Kantara v1.1 receipt, or a readable page."""
    iso, kantara, language = c.consent.receipt(principal, event_id)
    if format == "iso27560":
        return JSONResponse(iso)
    if format == "kantara":
        return JSONResponse(kantara)
    from confide.web.receipts import render_receipt

    return HTMLResponse(render_receipt(iso, c.ctx.policy, lang or language))


class _AllowNow(Allow):
    """``Allow`` as a coroutine: the role check is pure, so it runs on the event loop rather
    than costing a thread-pool hop on the hottest route."""

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        return Allow.__call__(self, request)


async def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


@router.post("/decisions")
async def make_decision(
    body: DecisionIn,
    principal: Annotated[Principal, Depends(_AllowNow(Action.DECISIONS_DECIDE))],
    c: Annotated[Container, Depends(_container)],
) -> DecisionOut:
    """May this subject's information be used for this purpose (on this channel) now? Recorded.

    The store is read in a worker thread; the answer waits for the group commit that records
    the decision and its audit entry on the event loop, holding no thread meanwhile.
    """
    r, stored = await run_in_threadpool(
        c.consent.decide_unrecorded,
        principal,
        body.subject_id,
        body.purpose,
        body.categories,
        body.channel,
        body.at,
    )
    if c.decision_log is not None:
        await c.decision_log.submit_async([stored])
    else:
        await run_in_threadpool(c.consent.record_decisions_now, [stored])
    d = r.decision
    return DecisionOut(
        id=r.id,
        allowed=d.allowed,
        reasons=[str(x) for x in d.reasons],
        rule=d.rule,
        explanation=d.explanation,
        explanation_en=d.text.en,
        explanation_fr=d.text.fr,
        relied_on=d.relied_on,
        valid_until=d.valid_until,
        subject_id=d.subject_id,
        purpose=d.purpose_id,
        channel=d.channel,
        categories=list(d.categories),
        policy_version=stored.policy_version,
        at=d.at,
    )


@router.get("/decisions/{decision_id}")
def get_decision(
    decision_id: str, principal: Annotated[Principal, allow(Action.DECISIONS_READ)], c: ContainerDep
) -> StoredDecisionOut:
    return StoredDecisionOut.of(c.consent.decision(principal, decision_id))


@router.post("/consent/systems", status_code=status.HTTP_201_CREATED)
def register_system(
    body: SystemIn, principal: Annotated[Principal, allow(Action.CONSENT_SYSTEMS)], c: ContainerDep
) -> dict[str, str]:
    """Register a downstream system that must act on withdrawals (CON-5)."""
    return {"id": c.consent.register_system(principal, body.name, body.purposes)}


@router.post(
    "/consent/withdrawals/{withdrawal_id}/acknowledgements", status_code=status.HTTP_204_NO_CONTENT
)
def acknowledge(
    withdrawal_id: str,
    body: AckIn,
    principal: Annotated[Principal, allow(Action.CONSENT_ACKNOWLEDGE)],
    c: ContainerDep,
) -> None:
    c.consent.acknowledge(principal, withdrawal_id, body.system_id)


@router.get("/consent/withdrawals")
def withdrawals(
    principal: Annotated[Principal, allow(Action.CONSENT_READ)],
    c: ContainerDep,
    days: Annotated[int, Query(ge=1, le=3650)] = 60,
) -> list[dict[str, Any]]:
    """Recent withdrawals and, per downstream system, the deadline and whether it is overdue."""
    return [
        {
            "withdrawal_id": s.withdrawal.event_id,
            "subject_id": s.withdrawal.subject_id,
            "purpose": s.withdrawal.purpose_id,
            "channel": s.withdrawal.channel,
            "withdrawn_at": s.withdrawal.at.isoformat(),
            "deadline": s.progress.deadline.isoformat(),
            "systems": [
                {
                    "system_id": p.system_id,
                    "status": str(p.status),
                    "acknowledged_at": p.acknowledged_at.isoformat() if p.acknowledged_at else None,
                }
                for p in s.progress.systems
            ],
        }
        for s in c.consent.withdrawal_status(principal, days)
    ]


@router.post("/consent/national-dnc", status_code=status.HTTP_201_CREATED)
def import_national_dnc(
    body: NationalDncIn,
    principal: Annotated[Principal, allow(Action.CONSENT_NATIONAL_DNC)],
    c: ContainerDep,
) -> dict[str, str]:
    """Load a copy of the national do-not-call list (CEM-4: used while no more than 31 days old)."""
    return {"id": c.consent.import_national_dnc(principal, body.taken_at, body.numbers)}


@router.get(
    "/audiences",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}}, "description": "subject_id, relied_on, valid_until"}
    },
)
def audience(
    principal: Annotated[Principal, allow(Action.AUDIENCE_COMPUTE)],
    c: ContainerDep,
    purpose: Annotated[str, Query(max_length=100)],
    channel: Annotated[str, Query(max_length=50)],
    at: Annotated[AwareDatetime | None, Query()] = None,
) -> StreamingResponse:
    """Who may receive this campaign on this channel at ``at`` (default now), streamed as CSV, each with
    the consent or relationship event their eligibility rests on (CEM-3)."""
    members = c.audience.stream(principal, purpose, channel, at)

    def rows() -> Iterator[str]:
        yield "subject_id,relied_on,valid_until\n"
        for m in members:
            yield f"{m.subject_id},{m.relied_on or ''},{m.valid_until.isoformat() if m.valid_until else ''}\n"

    return StreamingResponse(rows(), media_type="text/csv")
