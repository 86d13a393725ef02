"""Written notices owed to the individual after a disclosure without consent in an emergency
(DIS-2): a task with a deadline, open until someone records that it was sent (when, how, by
whom). Pure: the current time is passed in.

A notice is *open* until sent, *overdue* when still open after its deadline, *sent* once
closed (``late`` when sent after the deadline). Closing checks the facts given: the time sent
is aware, not in the future and not before the disclosure it is about; the method is one of
:class:`NoticeMethod`; a closed notice is not closed again.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from confide.domain.deadlines import Deadline
from confide.domain.errors import FieldProblem


class NoticeMethod(StrEnum):
    """How a written notice reached the individual."""

    MAIL = "mail"
    EMAIL = "email"
    PORTAL = "portal"  # a message in the individual's account
    IN_PERSON = "in_person"  # handed over


class NoticeStatus(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    SENT = "sent"


def notice_status(due_at: datetime, done_at: datetime | None, now: datetime) -> NoticeStatus:
    """Open, overdue (still unsent after ``due_at``) or sent, in time or not."""
    if done_at is not None:
        return NoticeStatus.SENT
    overdue = Deadline.by_instant(due_at).is_overdue(now)
    return NoticeStatus.OVERDUE if overdue else NoticeStatus.OPEN


def sent_problems(
    *,
    sent_at: datetime,
    method: str,
    sent_by: str,
    disclosed_at: datetime,
    now: datetime,
) -> list[FieldProblem]:
    """What is wrong with the facts of a sent notice (empty: nothing). Names fields only."""
    problems: list[FieldProblem] = []
    if sent_at.tzinfo is None:
        problems.append(FieldProblem("sent_at", "must include a time zone"))
    elif sent_at > now:
        problems.append(FieldProblem("sent_at", "is in the future: record a notice once sent"))
    elif sent_at < disclosed_at:
        problems.append(FieldProblem("sent_at", "is before the disclosure the notice is about"))
    if method not in {m.value for m in NoticeMethod}:
        problems.append(
            FieldProblem("method", "is not a way of sending a notice", ", ".join(NoticeMethod))
        )
    if not sent_by.strip():
        problems.append(FieldProblem("sent_by", "is required: who sent the notice"))
    return problems


__all__ = ["NoticeMethod", "NoticeStatus", "notice_status", "sent_problems"]
