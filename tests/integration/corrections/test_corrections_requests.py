"""A correction request answered through the request lifecycle reaches the corrections service
(ACC-9): accepted, the value is applied and queued to the ledger's recipients under the request's
id; refused, the statement of disagreement is kept with the file and queued to them."""

from __future__ import annotations

from corrections_support import OP, SYSTEM, Receiver, disclose, recipient, subject

from confide.bootstrap import Container
from confide.services.requests.commands import SubmitRequest


def correction_request(c: Container, sid: str, category: str, value: str) -> str:
    assert c.requests is not None
    email = c.subjects.get(OP, sid).identifiers[0].value
    request = c.requests.submit(
        OP,
        SubmitRequest(
            kind="correction",
            channel="phone",
            identifier_kind="email",
            identifier=email,
            note="Caller asked to correct their name; call recorded by the agent.",
            correction_category=category,
            correction_value=value,
        ),
    )
    c.requests.verify_by_agent(OP, request.id, "answered the security questions on file")
    return request.id


def test_acc_9_an_accepted_correction_request_is_applied_and_sent_under_its_request_id(
    container: Container, receiver: Receiver
) -> None:
    assert container.requests is not None and container.outbox is not None
    sid = subject(container, on_file=("name",))
    rid = recipient(container, endpoint=receiver.url)
    disclose(container, sid, rid, ("name",))
    req = correction_request(container, sid, "name", "Chloé Lavoie")

    container.requests.respond(OP, req, accept=True)

    current = [
        r.value for r in container.subjects.file(OP, sid).information if r.category == "name"
    ]
    assert current == ["Chloé Lavoie"]
    [message] = container.outbox.messages(OP, subject_id=sid)
    assert (message.request_id, message.target_id) == (req, rid)
    assert container.outbox.deliver_due(SYSTEM).delivered == [message.id]
    assert receiver.requests[0]["body"]["request_id"] == req


def test_acc_9_a_refused_correction_request_keeps_the_statement_with_the_file(
    container: Container, receiver: Receiver
) -> None:
    assert container.requests is not None and container.corrections is not None
    sid = subject(container, on_file=("name",))
    rid = recipient(container, endpoint=receiver.url)
    disclose(container, sid, rid, ("name",))
    req = correction_request(container, sid, "name", "Wrong Name")

    container.requests.respond(
        OP,
        req,
        accept=False,
        statement="My name is Wrong Name, as on my passport.",
        reasons=("the name on file matches the signed contract",),
    )

    [kept] = container.corrections.disagreements(OP, sid)
    assert (kept.statement, kept.request_id) == ("My name is Wrong Name, as on my passport.", req)
    current = [
        r.value for r in container.subjects.file(OP, sid).information if r.category == "name"
    ]
    assert current != ["Wrong Name"]
    assert container.outbox is not None
    # The outbox now also holds the refusal in writing to the individual (one outbox for all).
    found = container.outbox.messages(OP, subject_id=sid)
    [message] = [m for m in found if m.target_type.value == "recipient"]
    assert (message.kind.value, message.request_id) == ("disagreement", req)
    [letter] = [m for m in found if m.target_type.value == "individual"]
    assert (letter.kind.value, letter.request_id, letter.target_id) == ("refusal", req, sid)
    assert len(found) == 2
