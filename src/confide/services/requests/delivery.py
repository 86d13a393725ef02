"""Giving the released response to the individual (ACC-4, ACC-10, ACC-11).

When a file is released, the individual is told by mail where to get it (the portal, if its
address is configured). To download it they ask for a fresh one-time code, sent to the email on
file, and type it: a released response is never handed over on a reference alone. Asking for a
code answers the same whatever the reference; each step writes its audit entry.
"""

from __future__ import annotations

from confide.domain.errors import Conflict, NotFound, ValidationFailed
from confide.domain.requests.errors import TooManyCodes, VerificationFailed
from confide.domain.requests.model import AccessRequest, Outcome, RequestState
from confide.services.context import ServiceContext
from confide.services.requests.codes import VerificationCodes
from confide.services.requests.commands import FileLoader, FileRenderer
from confide.services.requests.shared import (
    INDIVIDUAL,
    RequestMail,
    audit_record,
)

RELEASED = (Outcome.RELEASED, Outcome.PARTIALLY_REFUSED)
FORMATS = ("json", "csv", "html", "pdf")


class DeliverySteps:
    """The released response, handed to the individual once a fresh code is checked."""

    def __init__(
        self,
        ctx: ServiceContext,
        mail: RequestMail,
        codes: VerificationCodes,
        *,
        load_file: FileLoader,
        render: FileRenderer,
    ) -> None:
        self.ctx = ctx
        self.mail = mail
        self.codes = codes
        self.load_file = load_file
        self.render = render

    def send_download_code(self, reference: str) -> None:
        """The individual asks for a code to download a released response. Nothing tells the
        caller whether the reference exists or was released: the answer is always the same."""
        with self.ctx.uow() as uow:
            request = uow.requests.get(reference)
            if (
                request is None
                or request.state is not RequestState.RESPONDED
                or request.outcome not in RELEASED
                or request.subject_id is None
                or not self.mail.configured
            ):
                return
            subject = uow.subjects.get(request.subject_id)
            if subject is None:
                return
            try:
                self.codes.issue(uow, INDIVIDUAL, request, subject)
            except (TooManyCodes, Conflict):
                return
            uow.commit()

    def verify_download_code(self, reference: str, code: str) -> AccessRequest:
        """Check the code for a download; wrong, expired or unknown fail alike, and count."""
        with self.ctx.uow() as uow:
            request = uow.requests.get(reference)
            if (
                request is None
                or request.state is not RequestState.RESPONDED
                or request.outcome not in RELEASED
            ):
                raise VerificationFailed()
            failure = self.codes.check(uow, INDIVIDUAL, request, code)
            if failure is None:
                uow.audit.record(
                    audit_record(self.ctx, INDIVIDUAL, "request.download_verified", request, {})
                )
            uow.commit()
        if failure is not None:
            raise failure
        return request

    def individual_response(self, reference: str, fmt: str) -> tuple[bytes, bool]:
        """The released response for the individual, once the front door checked a code
        (``verify_download_code``) in this browser session. Each download is audited."""
        if fmt not in FORMATS:
            raise ValidationFailed.single("format", "one of json, csv, html, pdf")
        with self.ctx.uow() as uow:
            request = uow.requests.get(reference)
            data = uow.requests.file(reference) if request else None
            if request is None or request.outcome not in RELEASED or data is None:
                raise NotFound("response", reference)
            uow.audit.record(
                audit_record(self.ctx, INDIVIDUAL, "request.downloaded", request, {"format": fmt})
            )
            uow.commit()
        return self.render(self.load_file(data), fmt, request.language), request.released_incomplete
