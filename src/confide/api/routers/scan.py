"""Scan text for personal information and anonymize it (keyless operators only over HTTP)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from confide.api.deps import ContainerDep
from confide.api.schemas.scan import AnonymizeIn, AnonymizeOut, ScanIn, ScanOut
from confide.api.security import allow
from confide.domain.access import Action, Principal
from confide.scanner.anonymize import operator_named

router = APIRouter(prefix="/v1/scan", tags=["scanner"])


@router.post("")
def scan_text(
    body: ScanIn,
    principal: Annotated[Principal, allow(Action.SCANNER_SCAN_TEXT)],
    c: ContainerDep,
) -> ScanOut:
    """Find personal information in a text: entity, span, score and why (never the value)."""
    return ScanOut.of(c.discovery.scan_text(principal, body.text))


@router.post("/anonymize")
def anonymize_text(
    body: AnonymizeIn,
    principal: Annotated[Principal, allow(Action.SCANNER_ANONYMIZE)],
    c: ContainerDep,
) -> AnonymizeOut:
    """The text with each value found replaced by the operator asked for."""
    op = operator_named(body.operator, keep_last=body.keep_last, locale=body.locale)
    return AnonymizeOut.of(c.discovery.anonymize(principal, body.text, default=op))
