"""Background jobs for the privacy officer: the dead-letter list, retry, discard, heartbeat."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel

from confide.api.deps import ContainerDep
from confide.api.security import allow
from confide.domain.access import Action, Principal
from confide.services.ports.jobs import JobInfo

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


class JobOut(BaseModel):
    id: str
    name: str
    state: str
    attempts: int
    max_attempts: int
    last_error: str | None
    finished_at: datetime | None

    @classmethod
    def of(cls, j: JobInfo) -> JobOut:
        return cls(
            id=j.job_id,
            name=j.name,
            state=str(j.state),
            attempts=j.attempts,
            max_attempts=j.max_attempts,
            last_error=j.last_error,
            finished_at=j.finished_at,
        )


class HeartbeatOut(BaseModel):
    at: datetime | None
    worker: str | None


@router.get("/failed")
def failed_jobs(
    principal: Annotated[Principal, allow(Action.JOBS_READ)], c: ContainerDep
) -> list[JobOut]:
    return [JobOut.of(j) for j in c.jobs.failed(principal)]


@router.post("/{job_id}/retry")
def retry_job(
    job_id: str, principal: Annotated[Principal, allow(Action.JOBS_RETRY)], c: ContainerDep
) -> JobOut:
    return JobOut.of(c.jobs.retry(principal, job_id))


@router.post("/{job_id}/discard")
def discard_job(
    job_id: str, principal: Annotated[Principal, allow(Action.JOBS_DISCARD)], c: ContainerDep
) -> JobOut:
    return JobOut.of(c.jobs.discard(principal, job_id))


@router.get("/heartbeat")
def heartbeat(
    principal: Annotated[Principal, allow(Action.JOBS_READ)], c: ContainerDep
) -> HeartbeatOut:
    beat = c.jobs.heartbeat(principal)
    return HeartbeatOut(at=beat.at if beat else None, worker=beat.worker if beat else None)
