"""Bulk disclosures: every row checked on its own, the allowed ones recorded all or nothing
(one transaction for the whole file, written in batches); refused rows never stop the bulk."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from itertools import islice

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.consent.state import derive_state
from confide.domain.decisions import StoredDecision
from confide.domain.disclosure import (
    DisclosureSubject,
    ExceptionBasis,
)
from confide.domain.disclosure.engine import (
    decide_prepared,
)
from confide.domain.disclosure.ledger import (
    record_disclosure,
)
from confide.domain.disclosure.records import DisclosureNotice, StoredDisclosure
from confide.domain.errors import ValidationFailed
from confide.domain.ids import new_id
from confide.services.disclosures.base import DisclosureBase
from confide.services.disclosures.common import (
    BATCH,
    UNKNOWN_SUBJECT,
    id_minter,
    notices_owed,
    subject_profile,
)
from confide.services.disclosures.models import (
    BulkLine,
    BulkResult,
    BulkRowOutcome,
)
from confide.services.disclosures.parsing import EvidenceReader


class BulkMixin(DisclosureBase):
    """Bulk disclosures: one recipient, purpose and basis for every subject of a file."""

    def bulk_disclose(
        self,
        principal: Principal,
        recipient_id: str,
        purpose_id: str,
        categories: Sequence[str],
        lines: Iterable[BulkLine],
        *,
        exception: str | None = None,
        evidence: Mapping[str, object] | None = None,
        at: datetime | None = None,
        on_row: Callable[[BulkRowOutcome], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> BulkResult:
        """Check each subject of ``lines`` against one recipient, purpose and basis; record the
        allowed ones (all or nothing, see the module); list the refused ones with reasons.

        ``evidence`` gives the exception's evidence for every row; a row's own evidence cells
        (its debt reference, say) override it. Bad batch input (unknown recipient, purpose,
        category or exception code, an evidence field that does not exist) raises before
        anything is recorded. ``on_row`` sees every row's outcome as it is decided."""
        principal.require(Action.DISCLOSURES_BULK)
        now = self.ctx.now()
        when = self._when(at, past_only=True)
        reader = EvidenceReader(exception) if exception is not None else None
        base = dict(evidence or {})
        batch_basis = self._basis(exception, base)
        result = BulkResult(new_id("blk", now))
        version = self.ctx.require_active().version_id
        # Consent histories matter only when the basis is consent: an exception's decision reads
        # the subject's profile and categories on file, not its consents.
        needs_history = exception is None
        rows = iter(lines)
        decision_ids, disclosure_ids = id_minter("dec", now), id_minter("dis", now)
        with self.ctx.uow() as uow:
            prepared = self._prepare(uow, recipient_id, categories, purpose_id, when)
            while chunk := list(islice(rows, BATCH)):
                # Only the requested categories matter to "on file" (DIS-1): read just those.
                facts = uow.disclosures.subject_facts(
                    [c.subject_id for c in chunk], prepared.categories
                )
                histories = uow.consent.histories(list(facts)) if needs_history and facts else {}
                decided: list[StoredDecision] = []
                recorded: list[StoredDisclosure] = []
                owed: list[DisclosureNotice] = []
                allowed_before = result.allowed
                for item in chunk:
                    f = facts.get(item.subject_id)
                    if f is None:
                        outcome = BulkRowOutcome(
                            item.line,
                            item.subject_id,
                            False,
                            None,
                            None,
                            (UNKNOWN_SUBJECT,),
                            ("DIS-1",),
                        )
                    else:
                        basis = batch_basis
                        if item.evidence:
                            if reader is None:
                                raise ValidationFailed.single(
                                    f"line {item.line}",
                                    "has evidence cells but no exception code is given",
                                )
                            basis = ExceptionBasis(
                                reader.code, reader.build({**base, **item.evidence})
                            )
                        state = derive_state(subject_profile(f), histories.get(f.subject_id, ()))
                        subject = DisclosureSubject(state, f.categories_on_file, f.subject_type)
                        d = decide_prepared(prepared, subject, basis)
                        decision_id = decision_ids()
                        decided.append(self._stored_decision(principal, decision_id, d, now))
                        disclosure_id = None
                        if d.allowed:
                            stored = StoredDisclosure(
                                disclosure_ids(),
                                record_disclosure(d, decision_id),
                                principal.user_id,
                                result.bulk_id,
                            )
                            recorded.append(stored)
                            owed.extend(notices_owed(stored, d, now))
                            disclosure_id = stored.id
                        outcome = BulkRowOutcome(
                            item.line,
                            item.subject_id,
                            d.allowed,
                            decision_id,
                            disclosure_id,
                            tuple(str(r) for r in d.reasons) if not d.allowed else (),
                            d.rules,
                        )
                    if outcome.allowed:
                        result.allowed += 1
                    else:
                        result.refused += 1
                        result.by_reason.update(outcome.reasons)
                        result.refused_rows.append(outcome)
                    if on_row is not None:
                        on_row(outcome)
                uow.disclosures.add_decisions(decided)
                uow.disclosures.add_disclosures(recorded)
                uow.disclosures.add_notices(owed)
                result.notices += len(owed)
                # One audit entry per batch: the ledger rows are the per-subject record (DIS-1).
                uow.audit.record(
                    AuditRecord(
                        "disclosure.bulk_batch",
                        principal.user_id,
                        "bulk",
                        result.bulk_id,
                        now,
                        version,
                        details={
                            "recipient": recipient_id,
                            "purpose": purpose_id,
                            "categories": list(prepared.categories),
                            "basis": batch_basis.label,
                            "first_line": chunk[0].line,
                            "last_line": chunk[-1].line,
                            "allowed": result.allowed - allowed_before,
                            "refused": len(chunk) - (result.allowed - allowed_before),
                            "notices": len(owed),
                        },
                    )
                )
                if on_progress is not None:
                    on_progress(result.total)
            uow.commit()
        return result
