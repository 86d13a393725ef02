"""Corrections in connected sources and the outbox's guarantees between workers (ACC-9): a
writable source that is down gets the correction when it is back (never lost); a read-only one
is reported; two workers never send the same message; a worker that died after sending leaves
the message to another, which sends it again under the same message id."""

from __future__ import annotations

import threading
from pathlib import Path

import sqlalchemy as sa
from corrections_support import OP, SYSTEM, Receiver, disclose, recipient, subject

from confide.bootstrap import Container
from confide.domain.outbox import DeliveryState
from confide.services.outbox import CLAIM_LEASE
from confide.services.ports.outbox import DeliveryTarget
from confide.services.sources import RegisterSource
from confide.testing import FakeClock
from confide.testing.sources import make_sql_source, seeded_mapping, seeded_row


def source(c: Container, tmp_path: Path, name: str, *, writable: bool, seed: int) -> Path:
    path = tmp_path / f"{name}.db"
    make_sql_source(f"sqlite:///{path}", 10, seed=seed)
    c.sources.register(
        OP,
        RegisterSource(
            name=name,
            kind="sql",
            connection=f"sqlite:///{path}",
            owner_system=name.upper(),
            mappings=(seeded_mapping(),),
            province="QC",
            writable=writable,
        ),
    )
    return path


def names_in(path: Path, email: str) -> list[str]:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return [
                n
                for (n,) in conn.execute(
                    sa.text("SELECT full_name FROM customers WHERE email = :e"), {"e": email}
                )
            ]
    finally:
        engine.dispose()


def test_acc_9_a_writable_source_that_is_down_gets_the_correction_when_it_is_back(
    container: Container, tmp_path: Path, clock: FakeClock
) -> None:
    assert container.corrections is not None and container.outbox is not None
    crm = source(container, tmp_path, "crm", writable=True, seed=3)
    source(container, tmp_path, "archive", writable=False, seed=3)
    row = seeded_row(4, 3)
    sid = subject(container, on_file=("name",), email=str(row[1]))
    away = crm.with_suffix(".away")
    crm.rename(away)

    out = container.corrections.accept(OP, sid, "name", "Nadia Corrigée")
    by_source = {s.source: s for s in out.sources}
    assert by_source["crm"].state == "retrying"
    assert by_source["crm"].error == "source_unavailable"
    assert by_source["archive"].state == "read_only"
    assert len(out.applied) == 1  # Confide itself is corrected at once

    away.rename(crm)
    clock.advance(minutes=1)
    report = container.outbox.deliver_due(SYSTEM)
    assert report.delivered == [by_source["crm"].message_id]
    assert names_in(crm, str(row[1])) == ["Nadia Corrigée"]
    attempts = container.outbox.message(OP, by_source["crm"].message_id or "").attempts
    assert [(a.channel.value, a.delivered, a.error) for a in attempts] == [
        ("source", False, "source_unavailable"),
        ("source", True, None),
    ]


def test_acc_9_a_writable_source_that_is_up_is_corrected_before_accept_returns(
    container: Container, tmp_path: Path
) -> None:
    assert container.corrections is not None
    crm = source(container, tmp_path, "crm", writable=True, seed=5)
    row = seeded_row(2, 5)
    sid = subject(container, on_file=(), email=str(row[1]))  # held only in the source
    out = container.corrections.accept(OP, sid, "name", "Paul Nouveau")
    assert out.sources_updated == ["crm"] and out.applied == []
    assert names_in(crm, str(row[1])) == ["Paul Nouveau"]


def test_two_workers_never_send_the_same_message(container: Container, receiver: Receiver) -> None:
    assert container.corrections is not None and container.outbox is not None
    outbox = container.outbox
    rid = recipient(container, endpoint=receiver.url)
    mids: list[str] = []
    for _ in range(6):
        sid = subject(container, on_file=("name",))
        disclose(container, sid, rid, ("name",))
        mids += container.corrections.accept(OP, sid, "name", "Same Name").messages
    reports = []
    errors: list[BaseException] = []

    def work(worker: str) -> None:
        try:
            reports.append(outbox.deliver_due(SYSTEM, worker=worker))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    delivered = [m for r in reports for m in r.delivered]
    assert sorted(delivered) == sorted(mids)  # each once, by one of the workers
    assert len(receiver.requests) == len(mids)
    assert all(len(outbox.message(OP, m).attempts) == 1 for m in mids)


def test_a_worker_that_died_after_sending_leaves_the_message_to_another_same_message_id(
    container: Container, receiver: Receiver, clock: FakeClock
) -> None:
    assert container.corrections is not None and container.outbox is not None
    outbox = container.outbox
    sid = subject(container, on_file=("name",))
    rid = recipient(container, endpoint=receiver.url)
    disclose(container, sid, rid, ("name",))
    [mid] = container.corrections.accept(OP, sid, "name", "Once Only").messages

    # Worker "dead" claims the message, sends it, and dies before recording anything.
    now = clock.now()
    with container.ctx.uow() as uow:
        assert uow.outbox.claim(mid, "dead", now, now + CLAIM_LEASE)
        uow.commit()
        message = uow.outbox.get(mid)
    assert message is not None
    outbox.delivery.deliver(message, DeliveryTarget(rid, "agency", receiver.url))
    assert outbox.deliver_due(SYSTEM, worker="alive").attempted == 0  # still claimed

    clock.advance(seconds=CLAIM_LEASE.total_seconds() + 1)
    assert outbox.deliver_due(SYSTEM, worker="alive").delivered == [mid]
    assert len(receiver.requests) == 2
    assert len(receiver.taken()) == 1  # the receiver deduplicated on the message id
    # The dead worker's late record (if it woke up) is refused: the message stays delivered once.
    view = outbox.message(OP, mid)
    assert view.message.state is DeliveryState.DELIVERED and len(view.attempts) == 1
