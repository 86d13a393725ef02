"""The recipients register, disclosure decisions and disclosures (one or a CSV file of many),
the account of disclosures (ACC-4) and the cross-border register (DIS-1..5).

A refused disclosure is a problem document (422, ``not_allowed``) naming the reasons and the
recorded decision; nothing is recorded as disclosed.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import PlainTextResponse

from confide.api.deps import ContainerDep
from confide.api.schemas.disclosures import (
    DisclosureDecisionOut,
    DisclosureIn,
    DisclosureOut,
    NoticeOut,
    NoticeSentIn,
    RecipientIn,
    RecipientOut,
)
from confide.api.security import allow
from confide.domain.access import Action, Principal
from confide.domain.errors import ValidationFailed
from confide.services.disclosures import (
    BulkRowOutcome,
    DisclosureRequest,
    NoticeSent,
    RecipientInput,
    UnknownReference,
    read_bulk_csv,
    read_history_csv,
)

router = APIRouter(prefix="/v1", tags=["disclosures"])


@router.post("/recipients", status_code=status.HTTP_201_CREATED)
def add_recipient(
    body: RecipientIn,
    principal: Annotated[Principal, allow(Action.RECIPIENTS_ADD)],
    c: ContainerDep,
) -> RecipientOut:
    """Register a recipient organization (its class, place, agreement, safeguards, assessment)."""
    data = RecipientInput(
        name=body.name,
        class_id=body.class_id,
        country=body.country,
        province=body.province,
        contact=body.contact,
        categories=tuple(body.categories),
        purposes=tuple(body.purposes),
        agreement_ref=body.agreement_ref,
        agreement_signed=body.agreement_signed,
        agreement_expires=body.agreement_expires,
        safeguards=body.safeguards,
        assessment_ref=body.assessment_ref,
        assessment_date=body.assessment_date,
        correction_endpoint=body.correction_endpoint,
    )
    return RecipientOut.of(c.disclosures.add_recipient(principal, data))


@router.get("/recipients")
def list_recipients(
    principal: Annotated[Principal, allow(Action.RECIPIENTS_READ)], c: ContainerDep
) -> list[RecipientOut]:
    return [RecipientOut.of(r) for r in c.disclosures.recipients(principal)]


def _request(body: DisclosureIn) -> DisclosureRequest:
    return DisclosureRequest(
        body.subject_id,
        body.recipient_id,
        body.purpose,
        tuple(body.categories),
        body.exception,
        body.evidence,
        body.at,
    )


@router.post("/disclosures/decisions")
def decide_disclosure(
    body: DisclosureIn,
    principal: Annotated[Principal, allow(Action.DISCLOSURES_DECIDE)],
    c: ContainerDep,
) -> DisclosureDecisionOut:
    """May this disclosure happen now? The decision is recorded; nothing is disclosed."""
    r = c.disclosures.decide(principal, _request(body))
    return DisclosureDecisionOut.of(r.id, r.decision)


@router.post("/disclosures", status_code=status.HTTP_201_CREATED)
def disclose(
    body: DisclosureIn,
    principal: Annotated[Principal, allow(Action.DISCLOSURES_DISCLOSE)],
    c: ContainerDep,
) -> DisclosureOut:
    """Check and record a disclosure (DIS-1); refused: 422 with the reasons, nothing recorded."""
    return DisclosureOut.of(c.disclosures.disclose(principal, _request(body)))


def _evidence(pairs: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for i, pair in enumerate(pairs):
        key, sep, value = pair.partition("=")
        if not sep:
            key, value = "reference", pair
        if not key.strip():
            raise ValidationFailed.single(f"evidence[{i}]", "use field=value")
        out[key.strip()] = value.strip()
    return out


@router.post(
    "/disclosures/bulk",
    openapi_extra={
        "requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}, "required": True}
    },
)
async def bulk_disclose(
    request: Request,
    principal: Annotated[Principal, allow(Action.DISCLOSURES_BULK)],
    c: ContainerDep,
    recipient_id: Annotated[str, Query(max_length=40)],
    purpose: Annotated[str, Query(max_length=100)],
    category: Annotated[list[str], Query(min_length=1, max_length=50)],
    exception: Annotated[str | None, Query(max_length=50)] = None,
    evidence: Annotated[list[str], Query(max_length=20, description="field=value")] = [],  # noqa: B006
) -> dict[str, Any]:
    """Check a CSV file of subjects (header ``subject_id`` and optional evidence columns such as
    ``debt_reference``) for one recipient, purpose and basis. Each row is checked; the allowed
    ones are recorded all or nothing; the answer lists the refused rows with their reasons and
    the allowed rows with their decision and ledger ids."""
    body = (await request.body()).decode("utf-8-sig", errors="replace")
    allowed: list[BulkRowOutcome] = []

    def keep(row: BulkRowOutcome) -> None:
        if row.allowed:
            allowed.append(row)

    def run() -> dict[str, Any]:
        try:
            result = c.disclosures.bulk_disclose(
                principal,
                recipient_id,
                purpose,
                category,
                read_bulk_csv(body.splitlines()),
                exception=exception,
                evidence=_evidence(evidence),
                on_row=keep,
            )
        except UnknownReference as exc:
            if not exc.field.startswith("categories"):
                raise
            # Name the query parameter this route takes (``category``, repeated).
            where = "category" + exc.field.removeprefix("categories")
            raise UnknownReference(where, exc.kind) from None
        out = result.to_dict()
        out["allowed_rows"] = [
            {
                "line": r.line,
                "subject_id": r.subject_id,
                "decision_id": r.decision_id,
                "disclosure_id": r.disclosure_id,
            }
            for r in allowed
        ]
        return out

    return await anyio.to_thread.run_sync(run)


@router.post(
    "/disclosures/history",
    status_code=status.HTTP_201_CREATED,
    openapi_extra={
        "requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}, "required": True}
    },
)
async def import_history(
    request: Request,
    principal: Annotated[Principal, allow(Action.DISCLOSURES_IMPORT_HISTORY)],
    c: ContainerDep,
) -> dict[str, object]:
    """Import historical disclosures known only by recipient class (CSV: subject_id,
    recipient_class, disclosed_at, categories (';'), purpose, basis, evidence_reference), all
    or nothing: any problem records nothing and is listed by line and column (422)."""
    body = (await request.body()).decode("utf-8-sig", errors="replace")

    def run() -> dict[str, object]:
        rows = read_history_csv(body.splitlines())
        return c.disclosures.import_history(principal, rows).to_dict()

    return await anyio.to_thread.run_sync(run)


@router.get("/subjects/{subject_id}/disclosures")
def account_of_disclosures(
    subject_id: str,
    principal: Annotated[Principal, allow(Action.DISCLOSURES_ACCOUNT)],
    c: ContainerDep,
    lang: Annotated[Literal["en", "fr"] | None, Query()] = None,
) -> dict[str, Any]:
    """To whom the subject's information was disclosed, and when (ACC-4); and the classes of
    organizations it may be disclosed to."""
    return c.disclosures.account(principal, subject_id).to_dict(lang)


@router.get("/disclosures/notices")
def disclosure_notices(
    principal: Annotated[Principal, allow(Action.DISCLOSURES_NOTICES)],
    c: ContainerDep,
    subject_id: Annotated[str | None, Query(max_length=40)] = None,
    state: Annotated[Literal["open", "overdue", "sent"] | None, Query(alias="status")] = None,
) -> list[NoticeOut]:
    """Written notices owed to individuals after emergency disclosures, by deadline: all, or
    those ``open`` (not sent yet), ``overdue`` (not sent, past the deadline) or ``sent``."""
    now = c.ctx.now()
    return [NoticeOut.of(n, now) for n in c.disclosures.notices(principal, subject_id, state)]


@router.post("/disclosures/notices/{notice_id}/sent")
def close_notice(
    notice_id: Annotated[str, Path(max_length=40)],
    body: NoticeSentIn,
    principal: Annotated[Principal, allow(Action.DISCLOSURES_NOTICES_CLOSE)],
    c: ContainerDep,
) -> NoticeOut:
    """Close a notice: it was sent (when, how, by whom). Already closed: 409."""
    sent = NoticeSent(str(body.method), body.sent_at, body.sent_by, body.reference)
    return NoticeOut.of(c.disclosures.close_notice(principal, notice_id, sent), c.ctx.now())


@router.get("/disclosures/cross-border", response_model=None)
def cross_border(
    principal: Annotated[Principal, allow(Action.DISCLOSURES_CROSS_BORDER)],
    c: ContainerDep,
    format: Annotated[Literal["csv", "json"], Query()] = "json",
    lang: Annotated[Literal["en", "fr"], Query()] = "en",
) -> PlainTextResponse | list[dict[str, object]]:
    """What is processed or stored outside Québec and outside Canada, by whom, under which
    safeguards (recipients and the policy's processing locations)."""
    out = c.disclosures.cross_border(principal, format, lang)
    if isinstance(out, str):
        return PlainTextResponse(
            out,
            media_type="text/csv",
            headers={"Content-Disposition": 'attachment; filename="cross-border.csv"'},
        )
    return out
