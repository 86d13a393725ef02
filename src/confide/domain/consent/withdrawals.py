"""Tracking that every downstream system acted on a withdrawal or unsubscribe (CON-5, CEM-2).

A withdrawal takes effect for decisions at once (the engine); the systems the
information went to (mailing platform, CRM, call centre...) each acknowledge
it. Each must do so within ``withdrawal_ack_business_days`` (10) business
days, federal and the subject's provincial holidays excluded; what is not
acknowledged by then is overdue, and a message sent after the deadline is a
violation to report (CEM-2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from confide.domain.calendar import HolidayCalendar, require_aware
from confide.domain.deadlines import Deadline, DeadlineStatus
from confide.domain.policy import LegalRules


@dataclass(frozen=True, slots=True)
class DownstreamSystem:
    """A system registered to receive withdrawals."""

    system_id: str
    name: str


class AckStatus(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    ACKNOWLEDGED_LATE = "acknowledged_late"
    PENDING = "pending"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class SystemProgress:
    system_id: str
    deadline: datetime
    acknowledged_at: datetime | None
    status: AckStatus

    @property
    def overdue(self) -> bool:
        return self.status is AckStatus.OVERDUE


@dataclass(frozen=True, slots=True)
class WithdrawalProgress:
    """Where a withdrawal stands with each downstream system at ``as_of``."""

    withdrawn_at: datetime
    deadline: datetime
    as_of: datetime
    systems: tuple[SystemProgress, ...]

    @property
    def overdue(self) -> tuple[SystemProgress, ...]:
        return tuple(s for s in self.systems if s.overdue)

    @property
    def complete(self) -> bool:
        return all(s.acknowledged_at is not None for s in self.systems)


def acknowledgement_deadline(
    withdrawn_at: datetime,
    province: str,
    calendar: HolidayCalendar,
    tz: ZoneInfo,
    rules: LegalRules,
) -> datetime:
    """The instant the acknowledgement period ends (exclusive)."""
    return _acknowledgement(withdrawn_at, province, calendar, tz, rules).ends_at


def _acknowledgement(
    withdrawn_at: datetime,
    province: str,
    calendar: HolidayCalendar,
    tz: ZoneInfo,
    rules: LegalRules,
) -> Deadline:
    return Deadline.business_days(
        withdrawn_at, rules.withdrawal_ack_business_days, province, calendar, tz.key
    )


_ACK_STATUS = {
    DeadlineStatus.OPEN: AckStatus.PENDING,
    DeadlineStatus.OVERDUE: AckStatus.OVERDUE,
    DeadlineStatus.MET: AckStatus.ACKNOWLEDGED,
    DeadlineStatus.MET_LATE: AckStatus.ACKNOWLEDGED_LATE,
}


def withdrawal_progress(
    withdrawn_at: datetime,
    systems: Iterable[DownstreamSystem],
    acknowledgements: Mapping[str, datetime],
    *,
    province: str,
    tz: ZoneInfo,
    calendar: HolidayCalendar,
    rules: LegalRules,
    as_of: datetime,
) -> WithdrawalProgress:
    """Each registered system's deadline and status; ``acknowledgements`` maps system id to time."""
    require_aware(withdrawn_at, "withdrawn_at")
    require_aware(as_of, "as_of")
    deadline = _acknowledgement(withdrawn_at, province, calendar, tz, rules)
    progress = []
    for system in systems:
        acked = acknowledgements.get(system.system_id)
        if acked is not None and acked > as_of:
            acked = None  # not known yet at as_of
        status = _ACK_STATUS[deadline.status(as_of, acked)]
        progress.append(SystemProgress(system.system_id, deadline.ends_at, acked, status))
    return WithdrawalProgress(withdrawn_at, deadline.ends_at, as_of, tuple(progress))


def messages_after_unsubscribe(
    unsubscribed_at: datetime,
    sent_at: Iterable[datetime],
    *,
    province: str,
    tz: ZoneInfo,
    calendar: HolidayCalendar,
    rules: LegalRules,
) -> tuple[datetime, ...]:
    """Messages sent once the unsubscribe deadline passed: CEM-2 violations to report."""
    deadline = Deadline.business_days(
        unsubscribed_at, rules.unsubscribe_business_days, province, calendar, tz.key
    )
    return tuple(t for t in sent_at if deadline.has_ended(t))
