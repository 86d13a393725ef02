"""Scan text for personal information and anonymize it (keyless operators only over HTTP)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request

from confide.api.deps import ContainerDep
from confide.api.schemas.scan import AnonymizeIn, AnonymizeOut, ScanIn, ScanOut
from confide.api.security import allow
from confide.domain.access import Action, Principal
from confide.scanner.anonymize import operator_named
from confide.services.discovery import DiscoveryService

router = APIRouter(prefix="/v1/scan", tags=["scanner"])


def _service(request: Request, c: object) -> DiscoveryService:
    """The container's discovery service, or one kept on the app (the scanner compiles once)."""
    service = getattr(c, "discovery", None)
    if isinstance(service, DiscoveryService):
        return service
    cached = getattr(request.app.state, "discovery", None)
    if not isinstance(cached, DiscoveryService):
        cached = DiscoveryService(getattr(c, "sources", None))
        request.app.state.discovery = cached
    return cached


@router.post("")
def scan_text(
    body: ScanIn,
    principal: Annotated[Principal, allow(Action.SCANNER_SCAN_TEXT)],
    c: ContainerDep,
    request: Request,
) -> ScanOut:
    """Find personal information in a text: entity, span, score and why (never the value)."""
    return ScanOut.of(_service(request, c).scan_text(principal, body.text))


@router.post("/anonymize")
def anonymize_text(
    body: AnonymizeIn,
    principal: Annotated[Principal, allow(Action.SCANNER_ANONYMIZE)],
    c: ContainerDep,
    request: Request,
) -> AnonymizeOut:
    """The text with each value found replaced by the operator asked for."""
    op = operator_named(body.operator, keep_last=body.keep_last, locale=body.locale)
    return AnonymizeOut.of(_service(request, c).anonymize(principal, body.text, default=op))
