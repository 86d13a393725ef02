"""Staff users and their API tokens (stored only as SHA-256 hashes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from confide.adapters.db.tables import api_tokens, staff_users
from confide.domain.staff import ApiToken, StaffUser


class SqlAlchemyStaffRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_user(self, user: StaffUser) -> None:
        self._conn.execute(
            insert(staff_users),
            {
                "id": user.id,
                "username": user.username,
                "roles": sorted(user.roles),
                "created_at": user.created_at,
                "active": user.active,
            },
        )

    def user_by_name(self, username: str) -> StaffUser | None:
        row = (
            self._conn.execute(select(staff_users).where(staff_users.c.username == username))
            .mappings()
            .first()
        )
        return _user(row) if row else None

    def user(self, user_id: str) -> StaffUser | None:
        row = (
            self._conn.execute(select(staff_users).where(staff_users.c.id == user_id))
            .mappings()
            .first()
        )
        return _user(row) if row else None

    def users(self) -> list[StaffUser]:
        return [
            _user(r)
            for r in self._conn.execute(
                select(staff_users).order_by(staff_users.c.username)
            ).mappings()
        ]

    def add_token(self, token: ApiToken) -> None:
        self._conn.execute(
            insert(api_tokens),
            {
                "id": token.id,
                "user_id": token.user_id,
                "token_hash": token.token_hash,
                "name": token.name,
                "created_at": token.created_at,
                "expires_at": token.expires_at,
                "revoked_at": token.revoked_at,
            },
        )

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        row = (
            self._conn.execute(select(api_tokens).where(api_tokens.c.token_hash == token_hash))
            .mappings()
            .first()
        )
        return _token(row) if row else None

    def tokens_for(self, user_id: str) -> list[ApiToken]:
        rows = self._conn.execute(
            select(api_tokens)
            .where(api_tokens.c.user_id == user_id)
            .order_by(api_tokens.c.created_at)
        ).mappings()
        return [_token(r) for r in rows]

    def revoke_token(self, token_id: str, at: datetime) -> bool:
        result = self._conn.execute(
            update(api_tokens)
            .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return bool(result.rowcount)


def _user(row: Any) -> StaffUser:
    return StaffUser(
        id=row["id"],
        username=row["username"],
        roles=frozenset(row["roles"]),
        created_at=row["created_at"],
        active=bool(row["active"]),
    )


def _token(row: Any) -> ApiToken:
    return ApiToken(
        id=row["id"],
        user_id=row["user_id"],
        token_hash=row["token_hash"],
        name=row["name"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        revoked_at=row["revoked_at"],
    )
