"""Staff accounts and API tokens. Tokens are shown once and stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from confide.domain.access import Action, Principal, Role
from confide.domain.audit.records import AuditRecord
from confide.domain.errors import AuthenticationFailed, Conflict, NotFound, ValidationFailed
from confide.domain.staff import ApiToken, StaffUser
from confide.services.context import ServiceContext

TOKEN_PREFIX = "cfd_"
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    """The secret, shown once: only its hash is stored."""
    record: ApiToken


class StaffService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def add_user(self, principal: Principal, username: str, roles: list[str]) -> StaffUser:
        principal.require(Action.USERS_ADD)
        username = username.strip().lower()
        if not _USERNAME.match(username):
            raise ValidationFailed.single(
                "username", "use 2-63 lower-case letters, digits, '.', '_' or '-'"
            )
        parsed: set[Role] = set()
        for i, r in enumerate(roles):
            try:
                parsed.add(Role(r))
            except ValueError:
                raise ValidationFailed.single(
                    f"roles[{i}]", "is not a role", ", ".join(x.value for x in Role)
                ) from None
        if not parsed:
            raise ValidationFailed.single("roles", "give at least one role")
        user = StaffUser(
            self.ctx.new_id("usr"), username, frozenset(r.value for r in parsed), self.ctx.now()
        )
        with self.ctx.uow() as uow:
            if uow.staff.user_by_name(username):
                raise Conflict("a user with this username exists", field="username")
            uow.staff.add_user(user)
            uow.audit.record(
                AuditRecord(
                    "staff.user_added",
                    principal.user_id,
                    "staff",
                    user.id,
                    self.ctx.now(),
                    details={"roles": sorted(user.roles)},
                )
            )
            uow.commit()
        return user

    def create_token(
        self,
        principal: Principal,
        username: str,
        name: str = "default",
        expires_in_days: int | None = None,
    ) -> IssuedToken:
        principal.require(Action.TOKENS_CREATE)
        if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
            raise ValidationFailed.single("expires_in_days", "must be between 1 and 3650")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            user = uow.staff.user_by_name(username.strip().lower())
            if user is None:
                raise NotFound("user", username)
            record = ApiToken(
                id=self.ctx.new_id("tok"),
                user_id=user.id,
                token_hash=hash_token(secret),
                name=name[:100],
                created_at=now,
                expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
            )
            uow.staff.add_token(record)
            uow.audit.record(
                AuditRecord(
                    "staff.token_created",
                    principal.user_id,
                    "token",
                    record.id,
                    now,
                    details={"user": user.id},
                )
            )
            uow.commit()
        return IssuedToken(secret, record)

    def revoke_token(self, principal: Principal, token_id: str) -> None:
        principal.require(Action.TOKENS_REVOKE)
        with self.ctx.uow() as uow:
            if not uow.staff.revoke_token(token_id, self.ctx.now()):
                raise NotFound("active token", token_id)
            uow.audit.record(
                AuditRecord(
                    "staff.token_revoked", principal.user_id, "token", token_id, self.ctx.now()
                )
            )
            uow.commit()

    def users(self, principal: Principal) -> list[StaffUser]:
        principal.require(Action.USERS_LIST)
        with self.ctx.uow(readonly=True) as uow:
            return uow.staff.users()

    def authenticate(self, token: str) -> Principal:
        """The principal a bearer token stands for; the same error for every failure."""
        failure = AuthenticationFailed("the token is missing, unknown, expired or revoked")
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            raise failure
        with self.ctx.uow(readonly=True) as uow:
            record = uow.staff.token_by_hash(hash_token(token))
            user = uow.staff.user(record.user_id) if record else None
        now = self.ctx.now()
        if (
            record is None
            or user is None
            or not user.active
            or record.revoked_at is not None
            or (record.expires_at is not None and record.expires_at <= now)
        ):
            raise failure
        return Principal(user.id, user.username, frozenset(Role(r) for r in user.roles), record.id)

    def ensure_user(self, principal: Principal, username: str, roles: list[str]) -> StaffUser:
        """The user, created if missing (used by the demo set-up)."""
        with self.ctx.uow(readonly=True) as uow:
            existing = uow.staff.user_by_name(username)
        return existing or self.add_user(principal, username, roles)
