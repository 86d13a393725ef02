"""An individual's own request before its identity is verified (ACC-8, ACC-11): matched off the
request path, expired when not verified in time.

* **Matching** (the ``requests.intake`` job, queued by the intake once the request is committed;
  the requests tick catches up any the queue lost): the identifier typed is looked up, the
  subject's calendar gives the due date, the code goes to the email on file, and the identifier
  typed is disposed of. A request that gets no real code gets a decoy (``codes.decoy``), so
  checking a code costs the same for every reference. Nothing is held: the request stays
  ``awaiting_identity``, in no staff queue, until a code or an agent's check verifies it.
* **Expiry** (the hourly ``requests.expire`` job): a request still awaiting identity after
  ``unverified_days`` is ``expired``; what it carried (the identifier, the subject it matched,
  its note, representative and requested correction, its codes) is disposed of, unless a hold
  covers that subject (destruction asks the holds). Each expiry is audited.

Each request is its own transaction; both steps are compare-and-set on the request, so a job
run twice, or two workers at once, act once.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from zoneinfo import ZoneInfo

from confide.domain.access import Action, Principal
from confide.domain.calendar import PROVINCE_TIME_ZONES
from confide.domain.errors import Conflict
from confide.domain.requests import clocks
from confide.domain.requests.errors import TooManyCodes
from confide.domain.requests.model import RequestState
from confide.domain.subjects import IdentifierKind
from confide.services.context import ServiceContext
from confide.services.holds import CONFIDE_SYSTEM, HoldService
from confide.services.requests.codes import VerificationCodes
from confide.services.requests.commands import RequestSettings
from confide.services.requests.shared import DEFAULT_TIME_ZONE, RequestMail, audit_record

CATCH_UP_AFTER = timedelta(minutes=1)
"""The tick matches requests whose intake job has not run this long after they were received."""


class PendingSteps:
    """Matching and expiry of individuals' requests awaiting identity."""

    def __init__(
        self,
        ctx: ServiceContext,
        mail: RequestMail,
        codes: VerificationCodes,
        holds: HoldService,
        settings: RequestSettings,
    ) -> None:
        self.ctx = ctx
        self.mail = mail
        self.codes = codes
        self.holds = holds
        self.settings = settings

    def match(self, principal: Principal, request_id: str) -> bool:
        """Match one request awaiting identity (the intake job); False when there was nothing
        to do (already matched, expired, verified, or unknown)."""
        principal.require(Action.REQUESTS_TICK)
        with self.ctx.uow() as uow:
            request = uow.requests.get(request_id)
            if request is None or not request.awaiting_identity:
                return False
            intake = uow.requests.pending_intake(request_id)
            if intake is None:
                return False
            subject = uow.subjects.find_by_identifier(
                IdentifierKind(request.identifier_kind), intake.identifier
            )
            tz_name = (
                PROVINCE_TIME_ZONES.get(subject.province, DEFAULT_TIME_ZONE)
                if subject
                else DEFAULT_TIME_ZONE
            )
            matched = request.but(
                subject_id=subject.id if subject else None,
                time_zone=tz_name,
                province=subject.province if subject else None,
                # What the request asked for; else, off the request path, the language on file
                # (the code goes to the address on file, not to whoever asked).
                language=intake.language or (subject.language if subject else "en"),
                due_on=clocks.due_date(
                    request.received_at,
                    ZoneInfo(tz_name),
                    self.ctx.policy.rules.access_response_days,
                ),
            )
            if not uow.requests.record_match(matched):
                return False  # matched meanwhile by another worker
            sent = False
            if subject is not None and self.mail.configured:
                # No email on file, or too many codes: no code, and nothing said (ACC-11); an
                # agent may verify by a recorded check.
                with contextlib.suppress(TooManyCodes, Conflict):
                    self.codes.issue(uow, principal, matched, subject)
                    sent = True
            if not sent:
                self.codes.decoy(uow, matched)
            uow.audit.record(
                audit_record(
                    self.ctx,
                    principal,
                    "request.matched",
                    matched,
                    {"matched": subject is not None, "code_sent": sent},
                )
            )
            uow.commit()
        return True

    def match_pending(self, principal: Principal, *, older_than: timedelta = CATCH_UP_AFTER) -> int:
        """Match every request whose intake job has not run ``older_than`` after it was
        received (the tick's catch-up for a lost job); returns how many were matched."""
        principal.require(Action.REQUESTS_TICK)
        with self.ctx.uow(readonly=True) as uow:
            waiting = uow.requests.awaiting_intake(self.ctx.now() - older_than)
        return sum(self.match(principal, request_id) for request_id in waiting)

    def expire_unverified(self, principal: Principal) -> int:
        """Expire the requests awaiting identity for more than ``unverified_days`` and dispose
        of what they carried (the hourly job); returns how many expired."""
        principal.require(Action.REQUESTS_TICK)
        days = self.settings.unverified_days
        cutoff = self.ctx.now() - timedelta(days=days)
        with self.ctx.uow(readonly=True) as uow:
            candidates = uow.requests.listing(
                states={RequestState.AWAITING_IDENTITY}, received_before=cutoff, limit=100_000
            )
        expired = 0
        for candidate in candidates:
            with self.ctx.uow() as uow:
                request = uow.requests.get(candidate.id)
                if (
                    request is None
                    or not request.awaiting_identity
                    or request.received_at >= cutoff
                ):
                    continue
                held = request.subject_id is not None and bool(
                    self.holds.check(uow, request.subject_id, system=CONFIDE_SYSTEM)
                )
                if not uow.requests.expire(request.id, dispose=not held):
                    continue
                if not held:
                    uow.requests.delete_codes(request.id)
                uow.audit.record(
                    audit_record(
                        self.ctx,
                        principal,
                        "request.expired",
                        request,
                        {"disposed": not held, "after_days": days, "rule": "ACC-11"},
                    )
                )
                uow.commit()
            expired += 1
        return expired
