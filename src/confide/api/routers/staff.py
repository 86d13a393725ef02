"""Staff users and API tokens (privacy officers only), and who am I."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, status

from confide.api.deps import ContainerDep
from confide.api.schemas.staff import MeOut, TokenIn, TokenOut, UserIn, UserOut
from confide.api.security import allow
from confide.domain.access import Action, Principal

router = APIRouter(prefix="/v1/staff", tags=["staff"])


@router.get("/me")
def me(principal: Annotated[Principal, allow(Action.STAFF_ME)]) -> MeOut:
    return MeOut(
        user_id=principal.user_id, username=principal.username, roles=sorted(principal.roles)
    )


@router.get("/users")
def list_users(
    principal: Annotated[Principal, allow(Action.USERS_LIST)], c: ContainerDep
) -> list[UserOut]:
    return [UserOut.of(u) for u in c.staff.users(principal)]


@router.post("/users", status_code=status.HTTP_201_CREATED)
def add_user(
    body: UserIn, principal: Annotated[Principal, allow(Action.USERS_ADD)], c: ContainerDep
) -> UserOut:
    return UserOut.of(c.staff.add_user(principal, body.username, body.roles))


@router.post("/tokens", status_code=status.HTTP_201_CREATED)
def create_token(
    body: TokenIn, principal: Annotated[Principal, allow(Action.TOKENS_CREATE)], c: ContainerDep
) -> TokenOut:
    issued = c.staff.create_token(principal, body.username, body.name, body.expires_in_days)
    return TokenOut.of(issued.record, issued.token)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(
    token_id: str, principal: Annotated[Principal, allow(Action.TOKENS_REVOKE)], c: ContainerDep
) -> None:
    c.staff.revoke_token(principal, token_id)
