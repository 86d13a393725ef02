"""One-time codes under concurrent guessing, on SQLite and PostgreSQL (ACC-11): each try is
counted by one atomic statement before the code is compared, so concurrent wrong guesses
cannot get past the limit of tries (each guess here is its own transaction, in its own thread).
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from requests_support import add_subject

from confide.adapters.db.tables import verification_codes
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.domain.requests.errors import VerificationFailed
from confide.domain.requests.model import RequestState
from confide.services.requests import RequestService, SubmitRequest
from confide.testing import FakeMailer

GUESSES = 40


def code_in(mailer: FakeMailer) -> str:
    found = re.search(r"\b(\d{6})\b", mailer.sent[-1].text)
    assert found
    return found.group(1)


def test_acc_11_forty_concurrent_wrong_codes_count_five_tries_then_the_right_code_fails(
    container: Container, service: RequestService, mailer: FakeMailer
) -> None:
    add_subject(container)
    request = service.submit(
        OFFICER, SubmitRequest("access", "email", "email", "alice@example.test")
    )
    service.send_code(OFFICER, request.id)
    code = code_in(mailer)
    wrong = "000000" if code != "000000" else "111111"
    start = threading.Barrier(GUESSES)

    def guess(_: int) -> str:
        start.wait()
        try:
            service.verify_code(request.id, wrong)
        except VerificationFailed:
            return "refused"
        return "verified"

    with ThreadPoolExecutor(GUESSES) as pool:
        outcomes = list(pool.map(guess, range(GUESSES)))

    assert outcomes == ["refused"] * GUESSES
    with container.engine.connect() as conn:
        attempts = conn.execute(sa.select(verification_codes.c.attempts)).scalar_one()
    assert attempts == 5  # CONFIDE_VERIFICATION_MAX_ATTEMPTS
    with container.ctx.uow(readonly=True) as uow:
        failed = [e for e, _ in uow.audit.entries() if e.action == "request.code_failed"]
    assert len(failed) == 5  # each counted try is audited, and only those
    with pytest.raises(VerificationFailed) as refused:
        service.verify_code(request.id, code)  # the right code, after the tries are used up
    assert refused.value.fields["attempts_left"] == 0
    assert service.get(OFFICER, request.id).request.state is RequestState.RECEIVED
