"""The disclosure tables: the recipients register, the disclosure ledger, written notices.

The ledger is append-only: a row is
written only for a disclosure the rules allowed (DIS-1), in the same transaction as its
decision and audit entry; rows are never updated. Recorded decisions themselves (allowed and
refused) live in the shared ``decisions`` table with ``action = 'disclose'``.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, String, Table, Text

from confide.adapters.db.tables.base import ID, metadata
from confide.adapters.db.types import UtcDateTime

recipients = Table(
    "recipients",
    metadata,
    # Organizations the company discloses to (issue 5): class from the policy, what they may
    # receive (empty lists: what the class allows), where they process, papers on file (DIS-4).
    Column("id", String(ID), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("class_id", String(100), nullable=False),
    Column("contact", String(320), nullable=True),
    Column("categories", JSON, nullable=False),
    Column("purposes", JSON, nullable=False),
    Column("country", String(2), nullable=False),
    Column("province", String(2), nullable=True),
    Column("agreement_ref", String(200), nullable=True),
    Column("agreement_signed", Date, nullable=True),
    Column("agreement_expires", Date, nullable=True),
    Column("safeguards", Text, nullable=True),
    Column("assessment_ref", String(200), nullable=True),
    Column("assessment_date", Date, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

disclosures = Table(
    "disclosures",
    metadata,
    # The disclosure ledger (DIS-1): one row per disclosure that happened. ``recipient_id`` is
    # null when only the recipient class is known (ACC-4 "may have been disclosed to").
    Column("id", String(ID), primary_key=True),
    Column("subject_id", String(ID), ForeignKey("subjects.id"), nullable=False, index=True),
    Column("recipient_id", String(ID), ForeignKey("recipients.id"), nullable=True),
    Column("recipient_class", String(100), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("categories", JSON, nullable=False),
    Column("purpose_id", String(100), nullable=False),
    Column("basis", String(20), nullable=False),
    Column("exception_code", String(50), nullable=True),
    Column("consent_kind", String(10), nullable=True),
    Column("relied_on", String(200), nullable=True),
    Column("evidence_ref", String(200), nullable=True),
    Column("decision_id", String(ID), nullable=False),
    Column("policy_version", String(128), nullable=True),
    Column("recorded_by", String(170), nullable=False),
    Column("bulk_id", String(ID), nullable=True),
)

notices = Table(
    "notices",
    metadata,
    # Written notices owed to individuals after a disclosure without consent in an emergency
    # (DIS-2): a task on the privacy officer's list with its deadline. Closed once sent:
    # ``done_at`` (when), ``sent_via`` (how), ``sent_by`` (who), an optional reference
    # (tracking number, message id); migration 0008 added the last three.
    Column("id", String(ID), primary_key=True),
    Column("subject_id", String(ID), ForeignKey("subjects.id"), nullable=False, index=True),
    Column("disclosure_id", String(ID), ForeignKey("disclosures.id"), nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("done_at", UtcDateTime, nullable=True),
    Column("sent_via", String(20), nullable=True),
    Column("sent_by", String(170), nullable=True),
    Column("sent_reference", String(200), nullable=True),
    Index("ix_notices_open_due", "done_at", "due_at"),
)
