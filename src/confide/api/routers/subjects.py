"""Subjects, their personal information, relationship events and CSV import."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from confide.api.deps import ContainerDep
from confide.api.schemas.consent import LedgerEventOut
from confide.api.schemas.subjects import (
    CorrectionIn,
    ImportOut,
    InformationIn,
    InformationOut,
    SubjectFileOut,
    SubjectIn,
    SubjectOut,
    SubjectPage,
)
from confide.api.security import allow
from confide.domain.access import Action, Principal
from confide.domain.subjects import IdentifierKind
from confide.services.subjects import (
    CorrectInformation,
    RecordInformation,
    RegisterSubject,
)

router = APIRouter(prefix="/v1/subjects", tags=["subjects"])


@router.post("", status_code=status.HTTP_201_CREATED)
def register_subject(
    body: SubjectIn,
    principal: Annotated[Principal, allow(Action.SUBJECTS_REGISTER)],
    c: ContainerDep,
) -> SubjectOut:
    return SubjectOut.of(c.subjects.register(principal, RegisterSubject(**body.model_dump())))


@router.get("")
def list_subjects(
    principal: Annotated[Principal, allow(Action.SUBJECTS_READ)],
    c: ContainerDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> SubjectPage:
    items, total = c.subjects.page(principal, offset, limit)
    return SubjectPage(
        items=[SubjectOut.of(s) for s in items], total=total, offset=offset, limit=limit
    )


@router.get("/lookup")
def lookup_subject(
    principal: Annotated[Principal, allow(Action.SUBJECTS_READ)],
    c: ContainerDep,
    kind: IdentifierKind,
    value: Annotated[str, Query(min_length=1, max_length=320)],
) -> SubjectOut:
    return SubjectOut.of(c.subjects.find(principal, kind, value))


@router.post(
    "/import",
    status_code=status.HTTP_201_CREATED,
    openapi_extra={
        "requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}, "required": True}
    },
)
async def import_subjects(
    request: Request,
    principal: Annotated[Principal, allow(Action.SUBJECTS_IMPORT)],
    c: ContainerDep,
) -> ImportOut:
    """Import subjects from a CSV body (the `confide subjects import` format); all or nothing."""
    import anyio

    body = await request.body()
    report = await anyio.to_thread.run_sync(c.importer.import_csv, principal, io.BytesIO(body))
    return ImportOut(imported=report.imported)


@router.get("/{subject_id}")
def get_subject(
    subject_id: str, principal: Annotated[Principal, allow(Action.SUBJECTS_READ)], c: ContainerDep
) -> SubjectOut:
    return SubjectOut.of(c.subjects.get(principal, subject_id))


@router.get("/{subject_id}/file")
def subject_file(
    subject_id: str,
    principal: Annotated[Principal, allow(Action.SUBJECTS_READ)],
    c: ContainerDep,
    history: bool = False,
) -> SubjectFileOut:
    f = c.subjects.file(principal, subject_id, history=history)
    return SubjectFileOut(
        subject=SubjectOut.of(f.subject),
        information=[InformationOut.of(r) for r in f.information],
        consent_history=[LedgerEventOut.of(e) for e in f.consent_history],
    )


@router.post("/{subject_id}/information", status_code=status.HTTP_201_CREATED)
def record_information(
    subject_id: str,
    body: InformationIn,
    principal: Annotated[Principal, allow(Action.PERSONAL_INFO_RECORD)],
    c: ContainerDep,
) -> InformationOut:
    cmd = RecordInformation(
        subject_id=subject_id,
        category=body.category,
        value=body.value,
        source=body.source,
        purposes=tuple(body.purposes),
        system=body.system,
        country=body.country,
        province=body.province,
        collected_at=body.collected_at,
    )
    return InformationOut.of(c.subjects.record_information(principal, cmd))


info_router = APIRouter(prefix="/v1/information", tags=["subjects"])


@info_router.post("/{record_id}/correction", status_code=status.HTTP_201_CREATED)
def correct_information(
    record_id: str,
    body: CorrectionIn,
    principal: Annotated[Principal, allow(Action.PERSONAL_INFO_CORRECT)],
    c: ContainerDep,
) -> InformationOut:
    return InformationOut.of(
        c.subjects.correct(principal, CorrectInformation(record_id, body.value, body.reason))
    )
