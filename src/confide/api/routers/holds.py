"""Legal holds (ACC-8, RET-2): the privacy officer opens and closes them; staff who answer for
the information (officer, agent, auditor) read them.

* ``POST /v1/holds`` — open a hold (litigation, regulator order, breach investigation,
  complaint) with its reason and scope;
* ``GET /v1/holds`` — the register, optionally one subject's (``subject_id``) or open ones only;
* ``GET /v1/holds/{id}``; ``POST /v1/holds/{id}/close`` — close it, with the reason.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from confide.api.deps import ContainerDep
from confide.api.schemas.holds import CloseHoldIn, LegalHoldOut, OpenHoldIn
from confide.api.security import allow
from confide.domain.access import Action, Principal
from confide.services.holds import OpenHold

router = APIRouter(prefix="/v1/holds", tags=["holds"])


@router.post("", status_code=status.HTTP_201_CREATED)
def open_hold(
    body: OpenHoldIn, principal: Annotated[Principal, allow(Action.HOLDS_OPEN)], c: ContainerDep
) -> LegalHoldOut:
    return LegalHoldOut.of(c.holds.open(principal, OpenHold(**body.model_dump())))


@router.get("")
def list_holds(
    principal: Annotated[Principal, allow(Action.HOLDS_READ)],
    c: ContainerDep,
    subject_id: Annotated[str | None, Query(max_length=40)] = None,
    active: bool = False,
) -> list[LegalHoldOut]:
    """Oldest first; with ``subject_id``, the holds covering that subject's information (its
    own, and holds on a whole category or system); ``active=true`` for open ones only."""
    holds = c.holds.listing(principal, subject_id=subject_id, active_only=active)
    return [LegalHoldOut.of(h) for h in holds]


@router.get("/{hold_id}")
def get_hold(
    hold_id: str, principal: Annotated[Principal, allow(Action.HOLDS_READ)], c: ContainerDep
) -> LegalHoldOut:
    return LegalHoldOut.of(c.holds.get(principal, hold_id))


@router.post("/{hold_id}/close")
def close_hold(
    hold_id: str,
    body: CloseHoldIn,
    principal: Annotated[Principal, allow(Action.HOLDS_CLOSE)],
    c: ContainerDep,
) -> LegalHoldOut:
    return LegalHoldOut.of(c.holds.close(principal, hold_id, body.reason))
