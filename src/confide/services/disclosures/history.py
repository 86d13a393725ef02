"""Import of historical disclosures known only by recipient class (ACC-4), all or nothing.

Every line is checked (columns, policy ids, dates, the subject on file); the rows are written
in batches inside one transaction as they are checked, and at the end either committed (no
problem anywhere) or rolled back with every problem listed by line and column (up to
``MAX_PROBLEMS``). The rows enter the ledger without a recipient id: the account of
disclosures lists them under "may have been disclosed to". They were not decided by Confide,
so no decision is recorded; the import's id stands in their ``decision_id`` and ``bulk_id``
and ``relied_on`` is ``historical_import``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.calendar import zone_for
from confide.domain.disclosure.history import HistoricalDisclosure, check_row
from confide.domain.disclosure.ledger import DisclosureRecord
from confide.domain.disclosure.records import StoredDisclosure
from confide.domain.errors import FieldProblem, ValidationFailed
from confide.domain.ids import new_id
from confide.services.disclosures.base import DisclosureBase
from confide.services.disclosures.common import BATCH, id_minter

MAX_PROBLEMS = 200
HISTORICAL = "historical_import"


@dataclass
class HistoryImportResult:
    import_id: str
    recorded: int = 0
    by_class: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, object]:
        return {
            "import_id": self.import_id,
            "recorded": self.recorded,
            "by_class": dict(sorted(self.by_class.items())),
        }


class HistoryMixin(DisclosureBase):
    def import_history(
        self, principal: Principal, rows: Iterable[tuple[int, dict[str, str]]]
    ) -> HistoryImportResult:
        """Record historical class-only disclosures from ``rows`` (``read_history_csv``); any
        problem on any line records nothing and raises ``ValidationFailed`` listing them."""
        principal.require(Action.DISCLOSURES_IMPORT_HISTORY)
        now = self.ctx.now()
        active = self.ctx.require_active()
        policy = active.policy
        zone = zone_for(policy.organization.home_province)
        result = HistoryImportResult(new_id("hist", now))
        problems: list[FieldProblem] = []
        more = 0
        ids = id_minter("dis", now)
        it = iter(rows)
        with self.ctx.uow() as uow:
            while chunk := list(islice(it, BATCH)):
                good: list[HistoricalDisclosure] = []
                for line, cells in chunk:
                    row, found = check_row(line, cells, policy=policy, zone=zone, now=now)
                    if row is not None:
                        good.append(row)
                    for p in found:
                        if len(problems) < MAX_PROBLEMS:
                            problems.append(p)
                        else:
                            more += 1
                known = uow.disclosures.existing_subjects([r.subject_id for r in good])
                stored: list[StoredDisclosure] = []
                for r in good:
                    if r.subject_id not in known:
                        if len(problems) < MAX_PROBLEMS:
                            problems.append(
                                FieldProblem(f"line {r.line}.subject_id", "names no subject")
                            )
                        else:
                            more += 1
                        continue
                    if problems:
                        continue  # nothing will be committed: stop writing, keep checking
                    stored.append(_stored(r, ids(), result.import_id, principal.user_id))
                    result.by_class[r.recipient_class] += 1
                if not problems:
                    uow.disclosures.add_disclosures(stored)
                    result.recorded += len(stored)
            if more:
                problems.append(FieldProblem("file", f"and {more} more problem(s)"))
            if problems:
                raise ValidationFailed(
                    f"historical disclosures: {len(problems)} problem(s); nothing was recorded",
                    problems,
                )
            if result.recorded == 0:
                raise ValidationFailed.single("file", "has no rows")
            uow.audit.record(
                AuditRecord(
                    "disclosure.history_imported",
                    principal.user_id,
                    "bulk",
                    result.import_id,
                    now,
                    active.version_id,
                    details=result.to_dict(),
                )
            )
            uow.commit()
        return result


def _stored(
    r: HistoricalDisclosure, disclosure_id: str, import_id: str, user_id: str
) -> StoredDisclosure:
    record = DisclosureRecord(
        decision_id=import_id,
        subject_id=r.subject_id,
        recipient_class=r.recipient_class,
        at=r.at,
        categories=r.categories,
        purpose_id=r.purpose_id,
        legal_basis=r.basis,
        relied_on=HISTORICAL,
        evidence_reference=r.evidence_reference,
    )
    return StoredDisclosure(disclosure_id, record, user_id, import_id)
