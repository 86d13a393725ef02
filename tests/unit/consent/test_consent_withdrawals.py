"""CON-5: every downstream system acts on a withdrawal within 10 business days; CEM-2 violations."""

from __future__ import annotations

from datetime import datetime

from consent_support import t

from confide.adapters.calendar import CanadianHolidayCalendar
from confide.domain.calendar import zone_for
from confide.domain.consent.withdrawals import (
    AckStatus,
    DownstreamSystem,
    WithdrawalProgress,
    messages_after_unsubscribe,
    withdrawal_progress,
)
from confide.domain.policy import LegalRules

SYSTEMS = (
    DownstreamSystem("mailer", "Mailing platform"),
    DownstreamSystem("crm", "CRM"),
    DownstreamSystem("callcentre", "Call centre"),
)
CALENDAR = CanadianHolidayCalendar()
QC = zone_for("QC")


def _progress(acks: dict[str, datetime], as_of: str) -> WithdrawalProgress:
    return withdrawal_progress(
        t("2026-06-19 15:00"),
        SYSTEMS,
        acks,
        province="QC",
        tz=QC,
        calendar=CALENDAR,
        rules=LegalRules(),
        as_of=t(as_of),
    )


def test_con_5_each_system_has_ten_business_days_to_acknowledge_a_withdrawal() -> None:
    progress = _progress({"mailer": t("2026-06-22 09:00")}, "2026-06-30 12:00")
    # Saint-Jean-Baptiste and Canada Day excluded: due by the end of July 7.
    assert progress.deadline == t("2026-07-08 00:00")
    statuses = {s.system_id: s.status for s in progress.systems}
    assert statuses == {
        "mailer": AckStatus.ACKNOWLEDGED,
        "crm": AckStatus.PENDING,
        "callcentre": AckStatus.PENDING,
    }
    assert progress.overdue == ()
    assert not progress.complete


def test_con_5_systems_not_acknowledged_by_the_deadline_are_reported_overdue() -> None:
    acks = {"mailer": t("2026-06-22 09:00"), "crm": t("2026-07-08 08:00")}
    progress = _progress(acks, "2026-07-08 00:00")
    assert [s.system_id for s in progress.overdue] == ["crm", "callcentre"]
    later = _progress(acks, "2026-07-09 00:00")
    statuses = {s.system_id: s.status for s in later.systems}
    assert statuses["crm"] is AckStatus.ACKNOWLEDGED_LATE
    assert [s.system_id for s in later.overdue] == ["callcentre"]


def test_cem_2_messages_sent_after_the_unsubscribe_deadline_are_violations() -> None:
    sent = [t("2026-06-25 10:00"), t("2026-07-07 23:59"), t("2026-07-08 00:00"), t("2026-07-20")]
    violations = messages_after_unsubscribe(
        t("2026-06-19 15:00"),
        sent,
        province="QC",
        tz=QC,
        calendar=CALENDAR,
        rules=LegalRules(),
    )
    assert violations == (t("2026-07-08 00:00"), t("2026-07-20"))
