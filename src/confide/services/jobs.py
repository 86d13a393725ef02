"""The privacy officer's view of background work: the dead-letter list, retries, the heartbeat.

A job that keeps failing is never lost: it waits on the dead-letter list until an officer
retries or discards it, and both are recorded in the audit trail.
"""

from __future__ import annotations

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.errors import NotFound
from confide.services.context import ServiceContext
from confide.services.ports.jobs import JobInfo, TaskQueue, WorkerHeartbeat


class JobsService:
    def __init__(self, ctx: ServiceContext, queue: TaskQueue) -> None:
        self.ctx = ctx
        self.queue = queue

    def failed(self, principal: Principal) -> list[JobInfo]:
        principal.require(Action.JOBS_READ)
        return self.queue.dead_letters()

    def job(self, principal: Principal, job_id: str) -> JobInfo:
        principal.require(Action.JOBS_READ)
        found = self.queue.job(job_id)
        if found is None:
            raise NotFound("job", job_id)
        return found

    def retry(self, principal: Principal, job_id: str) -> JobInfo:
        principal.require(Action.JOBS_RETRY)
        job = self.queue.retry_dead(job_id)
        self._audit(principal, "jobs.retried", job)
        return job

    def discard(self, principal: Principal, job_id: str) -> JobInfo:
        principal.require(Action.JOBS_DISCARD)
        job = self.queue.discard_dead(job_id)
        self._audit(principal, "jobs.discarded", job)
        return job

    def heartbeat(self, principal: Principal) -> WorkerHeartbeat | None:
        principal.require(Action.JOBS_READ)
        return self.queue.last_heartbeat()

    def _audit(self, principal: Principal, action: str, job: JobInfo) -> None:
        with self.ctx.uow() as uow:
            uow.audit.record(
                AuditRecord(
                    action,
                    principal.user_id,
                    "job",
                    job.job_id,
                    self.ctx.now(),
                    details={"name": job.name, "attempts": job.attempts},
                )
            )
            uow.commit()
