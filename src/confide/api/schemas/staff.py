"""Bodies for staff users and API tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from confide.domain.staff import ApiToken, StaffUser


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=2, max_length=63)
    roles: list[str] = Field(min_length=1, max_length=4)


class UserOut(BaseModel):
    id: str
    username: str
    roles: list[str]
    created_at: datetime
    active: bool

    @classmethod
    def of(cls, u: StaffUser) -> UserOut:
        return cls(
            id=u.id,
            username=u.username,
            roles=sorted(u.roles),
            created_at=u.created_at,
            active=u.active,
        )


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=2, max_length=63)
    name: str = Field(default="api", max_length=100)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class TokenOut(BaseModel):
    id: str
    user_id: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    token: str | None = Field(
        default=None, description="The secret: returned once, at creation; only its hash is kept."
    )

    @classmethod
    def of(cls, t: ApiToken, secret: str | None = None) -> TokenOut:
        return cls(
            id=t.id,
            user_id=t.user_id,
            name=t.name,
            created_at=t.created_at,
            expires_at=t.expires_at,
            token=secret,
        )


class MeOut(BaseModel):
    user_id: str
    username: str
    roles: list[str]
