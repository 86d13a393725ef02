"""The request lifecycle (ACC-1..11): one facade over the steps of the process.

Each public method is one transaction and writes its audit record in it. Messages (codes,
notices, refusals, reminders, escalations) are added to the outbox in that transaction under an
idempotency key: added twice, sent once; rolled back, never sent.

The steps (:class:`IntakeSteps`, :class:`PendingSteps`, :class:`ClockSteps`,
:class:`ResponseSteps`, :class:`DeliverySteps`) are built here from the collaborators given to the constructor, all of
them required: a request service without its access files or its corrections does not exist, so
no step checks whether one is "available". The front doors call the facade's methods, which are
the steps' own.
"""

from __future__ import annotations

from confide.services.context import ServiceContext
from confide.services.holds import HoldService
from confide.services.ports.jobs import TaskQueue
from confide.services.ports.outbox import OutboxNudge
from confide.services.requests.clocks import ClockSteps
from confide.services.requests.codes import VerificationCodes
from confide.services.requests.commands import (
    Corrections,
    FileAssembler,
    FileLoader,
    FileRenderer,
    RequestSettings,
)
from confide.services.requests.delivery import DeliverySteps
from confide.services.requests.intake import IntakeSteps
from confide.services.requests.pending import PendingSteps
from confide.services.requests.response import ResponseSteps
from confide.services.requests.shared import INDIVIDUAL, RequestMail

__all__ = ["INDIVIDUAL", "RequestService"]


class RequestService:
    """Intake, identity verification, clocks, fees, holds and the response of requests.

    ``outbox`` nudges the outbox worker once a step's messages are committed (None: mail is not
    configured; requests are then verified by an agent's recorded check). ``queue`` takes the
    intake job of an individual's own request (matched off the request path). ``assembler``,
    ``load_file`` and ``render`` are the access file (its assembly, its stored form, its
    rendering); ``corrections`` answers correction requests (ACC-9)."""

    def __init__(
        self,
        ctx: ServiceContext,
        outbox: OutboxNudge | None,
        settings: RequestSettings,
        *,
        holds: HoldService,
        queue: TaskQueue,
        assembler: FileAssembler,
        load_file: FileLoader,
        render: FileRenderer,
        corrections: Corrections,
    ) -> None:
        self._outbox = outbox
        self._settings = settings
        mail = RequestMail(ctx, outbox, settings)
        codes = VerificationCodes(ctx, mail, settings)
        self.intake = IntakeSteps(ctx, mail, codes, holds, queue)
        self.pending = PendingSteps(ctx, mail, codes, holds, settings)
        self.clocks = ClockSteps(ctx, mail)
        self.responses = ResponseSteps(
            ctx,
            mail,
            holds,
            assembler=assembler,
            load_file=load_file,
            render=render,
            corrections=corrections,
        )
        self.delivery = DeliverySteps(ctx, mail, codes, load_file=load_file, render=render)

        # The public surface, unchanged for the front doors: each name is its step's method.
        self.submit = self.intake.submit
        self.submit_public = self.intake.submit_public
        self.send_code = self.intake.send_code
        self.verify_code = self.intake.verify_code
        self.verify_by_agent = self.intake.verify_by_agent

        self.match = self.pending.match
        self.match_pending = self.pending.match_pending
        self.expire_unverified = self.pending.expire_unverified

        self.get = self.clocks.get
        self.listing = self.clocks.listing
        self.row_of = self.clocks.row_of
        self.extend = self.clocks.extend
        self.tick = self.clocks.tick
        self.estimate_fee = self.clocks.estimate_fee
        self.accept_fee = self.clocks.accept_fee

        self.prepare = self.responses.prepare
        self.prepared_file = self.responses.prepared_file
        self.review = self.responses.review
        self.release = self.responses.release
        self.response = self.responses.response
        self.respond = self.responses.respond
        self.refuse = self.responses.refuse
        self.close = self.responses.close
        self.holds_for = self.responses.holds_for
        self.is_on_hold = self.responses.is_on_hold

        self.send_download_code = self.delivery.send_download_code
        self.verify_download_code = self.delivery.verify_download_code
        self.individual_response = self.delivery.individual_response

    @property
    def outbox(self) -> OutboxNudge | None:
        """What the steps nudge after a commit; fixed at construction (build another service
        for another nudge: ``Container.requests_over``)."""
        return self._outbox

    @property
    def settings(self) -> RequestSettings:
        return self._settings
