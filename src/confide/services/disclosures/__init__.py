"""Use cases of disclosures (DIS-1..5, ACC-4): the recipients register, decisions, the ledger,
bulk disclosures, the account of disclosures and the cross-border register.

The rules live in ``confide.domain.disclosure``; this module loads what they need (the
recipient, the subject's profile, consent history and categories on file), calls them, and
records in one unit of work: the decision (allowed or refused, in the shared ``decisions``
table with ``action = 'disclose'``), the ledger row of an allowed disclosure, the written
notice an emergency disclosure owes, and their audit entries.

Nothing is recorded as disclosed unless the rules allowed it. A bulk disclosure checks every
row on its own (the refused ones are listed with their reasons) and records the allowed ones
**all or nothing**: one transaction for the whole file, written in batches, so bad input or a
failure halfway leaves no partial ledger. Refused rows never stop the bulk.
"""

from confide.services.disclosures.common import (
    BATCH,
    UNKNOWN_SUBJECT,
    DisclosureNotAllowed,
    UnknownReference,
)
from confide.services.disclosures.history import HistoryImportResult
from confide.services.disclosures.models import (
    AccountView,
    BulkLine,
    BulkResult,
    BulkRowOutcome,
    DecisionResult,
    DisclosureOutcome,
    DisclosureRequest,
    RecipientInput,
)
from confide.services.disclosures.notices import NoticeSent
from confide.services.disclosures.parsing import EvidenceReader, read_bulk_csv, read_history_csv
from confide.services.disclosures.service import DisclosureService

__all__ = [
    "BATCH",
    "UNKNOWN_SUBJECT",
    "AccountView",
    "BulkLine",
    "BulkResult",
    "BulkRowOutcome",
    "DecisionResult",
    "DisclosureNotAllowed",
    "DisclosureOutcome",
    "DisclosureRequest",
    "DisclosureService",
    "EvidenceReader",
    "HistoryImportResult",
    "NoticeSent",
    "RecipientInput",
    "UnknownReference",
    "read_bulk_csv",
    "read_history_csv",
]
