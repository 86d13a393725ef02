"""Retention and disposal (RET-1..3).

* ``POST /v1/subjects/{id}/lifecycle-events`` — an event a retention period counts from;
* ``GET /v1/subjects/{id}/end-of-life`` — each record under its rule, and what was disposed of;
* ``GET /v1/retention/due`` — what a plan made for a day would dispose of (nothing is kept);
* ``POST /v1/retention/runs`` — plan today's run (privacy officer); ``GET`` runs, one run, its
  records; ``POST .../approve`` (privacy officer; the workers then execute it), ``.../cancel``,
  ``.../execute`` (executes here and now, for small runs; the workers do it otherwise);
* ``GET .../certificate`` (JSON), ``.../certificate.pdf?lang=``, ``.../certificate/proof`` (the
  inclusion proof of its audit entry), ``.../certificate/records`` (the ids it hashes);
* ``GET .../steps``, ``GET /v1/retention/tasks``, ``POST /v1/retention/tasks/{id}/close`` — the
  run's share in connected sources, and read-only sources' owners' tasks;
* ``GET/PUT /v1/retention/schedule`` — the officer's standing approval.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response, status

from confide.adapters.rendering.certificate import certificate_json, certificate_pdf
from confide.api.deps import ContainerDep
from confide.api.schemas.retention import (
    DisposedOut,
    EndOfLifeOut,
    ItemOut,
    LifecycleEventIn,
    LifecycleEventOut,
    PlanIn,
    RecordLifeOut,
    RunOut,
    ScheduleIn,
    ScheduleOut,
    StepOut,
)
from confide.api.security import allow
from confide.domain.access import Action, Principal

router = APIRouter(tags=["retention"])
RUNS = "/v1/retention/runs"


@router.post("/v1/subjects/{subject_id}/lifecycle-events", status_code=status.HTTP_201_CREATED)
def record_event(
    subject_id: str,
    body: LifecycleEventIn,
    principal: Annotated[Principal, allow(Action.RETENTION_EVENTS)],
    c: ContainerDep,
) -> LifecycleEventOut:
    event = c.retention.record_event(principal, subject_id, body.kind, body.occurred_at)
    return LifecycleEventOut.of(event)


@router.get("/v1/subjects/{subject_id}/end-of-life")
def end_of_life(
    subject_id: str, principal: Annotated[Principal, allow(Action.SUBJECTS_READ)], c: ContainerDep
) -> EndOfLifeOut:
    today = c.ctx.now().date()
    return EndOfLifeOut(
        records=[
            RecordLifeOut.of(life, today) for life in c.retention.end_of_life(principal, subject_id)
        ],
        disposed=[DisposedOut.of(d) for d in c.retention.disposed(principal, subject_id)],
    )


@router.get("/v1/retention/due")
def due(
    principal: Annotated[Principal, allow(Action.RETENTION_READ)],
    c: ContainerDep,
    before: Annotated[date | None, Query(description="Due on this day; default today.")] = None,
    category: Annotated[list[str] | None, Query(max_length=100)] = None,
) -> RunOut:
    return RunOut.of(c.retention.due(principal, before, category or ()), planned=False)


@router.post(RUNS, status_code=status.HTTP_201_CREATED)
def plan(
    principal: Annotated[Principal, allow(Action.RETENTION_PLAN)],
    c: ContainerDep,
    body: PlanIn | None = None,
) -> RunOut:
    return RunOut.of(c.retention.plan(principal, None, body.categories if body else ()))


@router.get(RUNS)
def runs(
    principal: Annotated[Principal, allow(Action.RETENTION_READ)],
    c: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[RunOut]:
    return [RunOut.of(r) for r in c.retention.runs(principal, limit=limit, offset=offset)]


@router.get(RUNS + "/{run_id}")
def get_run(
    run_id: str, principal: Annotated[Principal, allow(Action.RETENTION_READ)], c: ContainerDep
) -> RunOut:
    return RunOut.of(c.retention.run(principal, run_id))


@router.get(RUNS + "/{run_id}/items")
def items(
    run_id: str,
    principal: Annotated[Principal, allow(Action.RETENTION_READ)],
    c: ContainerDep,
    state: Literal["due", "held", "done"] | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ItemOut]:
    listed = c.retention.items(principal, run_id, state=state, limit=limit, offset=offset)
    return [ItemOut.of(i) for i in listed]


@router.post(RUNS + "/{run_id}/approve")
def approve(
    run_id: str, principal: Annotated[Principal, allow(Action.RETENTION_APPROVE)], c: ContainerDep
) -> RunOut:
    """Approve a plan; the workers execute it (a ``retention.execute`` job is queued now, and
    the periodic ``retention.tick`` picks up any approved run it missed)."""
    run = c.retention.approve(principal, run_id)
    c.queue.enqueue(
        "retention.execute", {"run_id": run.id}, idempotency_key=f"retention.execute:{run.id}"
    )
    return RunOut.of(run)


@router.post(RUNS + "/{run_id}/cancel")
def cancel(
    run_id: str, principal: Annotated[Principal, allow(Action.RETENTION_CANCEL)], c: ContainerDep
) -> RunOut:
    return RunOut.of(c.retention.cancel(principal, run_id))


@router.post(RUNS + "/{run_id}/execute")
def execute(
    run_id: str, principal: Annotated[Principal, allow(Action.RETENTION_EXECUTE)], c: ContainerDep
) -> RunOut:
    """Execute an approved run in this request (a small run; large ones go to the workers)."""
    return RunOut.of(c.retention.execute(principal, run_id))


@router.get(RUNS + "/{run_id}/certificate")
def certificate(
    run_id: str,
    principal: Annotated[Principal, allow(Action.RETENTION_CERTIFICATES)],
    c: ContainerDep,
) -> Response:
    issued = c.retention.certificate(principal, run_id)
    return Response(certificate_json(issued), media_type="application/json")


@router.get(RUNS + "/{run_id}/certificate.pdf")
def certificate_as_pdf(
    run_id: str,
    principal: Annotated[Principal, allow(Action.RETENTION_CERTIFICATES)],
    c: ContainerDep,
    lang: Literal["en", "fr"] = "en",
) -> Response:
    issued = c.retention.certificate(principal, run_id)
    cert = issued.certificate
    people = c.retention.who(principal, (cert.planned_by, cert.approved_by))
    pdf = certificate_pdf(issued, lang, c.retention.category_names(lang), people)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="certificate-{run_id}-{lang}.pdf"'},
    )


@router.get(RUNS + "/{run_id}/certificate/proof")
def certificate_proof(
    run_id: str,
    principal: Annotated[Principal, allow(Action.RETENTION_CERTIFICATES)],
    c: ContainerDep,
) -> dict[str, Any]:
    """The inclusion proof of the certificate's audit entry in the latest signed checkpoint."""
    issued = c.retention.certificate(principal, run_id)
    return c.audit.inclusion_proof(principal, issued.audit_seq, with_entry=True)


@router.get(RUNS + "/{run_id}/certificate/records")
def certificate_records(
    run_id: str,
    principal: Annotated[Principal, allow(Action.RETENTION_CERTIFICATES)],
    c: ContainerDep,
) -> Response:
    """The exact list of record ids the certificate's ``records_sha256`` is the hash of."""
    ids = c.retention.record_ids(principal, run_id)
    return Response("".join(f"{i}\n" for i in ids), media_type="text/plain")


@router.get("/v1/retention/tasks")
def tasks(
    principal: Annotated[Principal, allow(Action.RETENTION_READ)], c: ContainerDep
) -> list[StepOut]:
    """Disposal tasks handed to read-only sources' owners and not closed yet."""
    return [StepOut.of(s) for s in c.retention.tasks(principal)]


@router.get(RUNS + "/{run_id}/steps")
def steps(
    run_id: str, principal: Annotated[Principal, allow(Action.RETENTION_READ)], c: ContainerDep
) -> list[StepOut]:
    """The run's share in each connected source: done by the run, or an owner's task."""
    return [StepOut.of(s) for s in c.retention.steps(principal, run_id)]


@router.post("/v1/retention/tasks/{step_id}/close")
def close_task(
    step_id: str,
    principal: Annotated[Principal, allow(Action.RETENTION_TASKS_CLOSE)],
    c: ContainerDep,
) -> RunOut:
    """The owner disposed of the task's rows; the run completes when nothing is left."""
    return RunOut.of(c.retention.close_task(principal, step_id))


@router.get("/v1/retention/schedule")
def get_schedule(
    principal: Annotated[Principal, allow(Action.RETENTION_READ)], c: ContainerDep
) -> ScheduleOut:
    return ScheduleOut.of(c.retention.schedule(principal))


@router.put("/v1/retention/schedule")
def put_schedule(
    body: ScheduleIn,
    principal: Annotated[Principal, allow(Action.RETENTION_SCHEDULE)],
    c: ContainerDep,
) -> ScheduleOut:
    return ScheduleOut.of(c.retention.set_schedule(principal, body.enabled, body.categories))
