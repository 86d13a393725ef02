"""Written notices owed after an emergency disclosure (DIS-2): listed by status (open, overdue,
sent) for the privacy officer, and closed once sent (when, how, by whom) with an audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.disclosure.notices import NoticeStatus, notice_status, sent_problems
from confide.domain.disclosure.records import DisclosureNotice
from confide.domain.errors import Conflict, NotFound, ValidationFailed
from confide.services.disclosures.base import DisclosureBase


@dataclass(frozen=True)
class NoticeSent:
    """The facts of a sent notice: when (None: now), how (a ``NoticeMethod``), by whom (None:
    the person recording it) and an optional reference (tracking number, message id)."""

    method: str
    sent_at: datetime | None = None
    sent_by: str | None = None
    reference: str | None = None


class NoticesMixin(DisclosureBase):
    def notices(
        self,
        principal: Principal,
        subject_id: str | None = None,
        status: str | None = None,
    ) -> list[DisclosureNotice]:
        """Notices by deadline: all, or those ``open`` (not sent, overdue ones included),
        ``overdue`` (not sent and past the deadline) or ``sent``."""
        principal.require(Action.DISCLOSURES_NOTICES)
        if status is not None and status not in {s.value for s in NoticeStatus}:
            raise ValidationFailed.single(
                "status", "is not a notice status", ", ".join(NoticeStatus)
            )
        now = self.ctx.now()
        with self.ctx.uow(readonly=True) as uow:
            return uow.disclosures.notices(
                subject_id,
                open_only=status in (NoticeStatus.OPEN, NoticeStatus.OVERDUE),
                due_before=now if status == NoticeStatus.OVERDUE else None,
                sent_only=status == NoticeStatus.SENT,
            )

    def notice_status(self, notice: DisclosureNotice) -> NoticeStatus:
        return notice_status(notice.due_at, notice.done_at, self.ctx.now())

    def close_notice(
        self, principal: Principal, notice_id: str, sent: NoticeSent
    ) -> DisclosureNotice:
        """Record that a notice was sent. A notice already closed is a conflict; the facts are
        checked (``sent_problems``) before anything is written."""
        principal.require(Action.DISCLOSURES_NOTICES_CLOSE)
        now = self.ctx.now()
        sent_at = sent.sent_at or now
        by = (sent.sent_by or principal.user_id).strip()
        reference = (sent.reference or "").strip() or None
        with self.ctx.uow() as uow:
            notice = uow.disclosures.notice(notice_id)
            if notice is None:
                raise NotFound("notice", notice_id)
            if notice.done_at is not None:
                raise Conflict("the notice was already recorded as sent (field: notice_id)")
            problems = sent_problems(
                sent_at=sent_at,
                method=sent.method,
                sent_by=by,
                disclosed_at=notice.disclosed_at or notice.due_at,
                now=now,
            )
            if problems:
                raise ValidationFailed("the notice cannot be closed with these facts", problems)
            if not uow.disclosures.close_notice(notice_id, sent_at, sent.method, by, reference):
                raise Conflict("the notice was already recorded as sent (field: notice_id)")
            # Who sent it may be a name: the audit keeps ids and codes (the actor is recorded).
            uow.audit.record(
                AuditRecord(
                    "disclosure.notice_sent",
                    principal.user_id,
                    "notice",
                    notice_id,
                    now,
                    self.ctx.require_active().version_id,
                    notice.subject_id,
                    {
                        "disclosure": notice.disclosure_id,
                        "method": sent.method,
                        "sent_at": sent_at.isoformat(),
                        "due_at": notice.due_at.isoformat(),
                        "late": sent_at > notice.due_at,
                        "reference_given": reference is not None,
                    },
                )
            )
            closed = uow.disclosures.notice(notice_id)
            uow.commit()
        assert closed is not None
        return closed
