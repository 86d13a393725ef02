"""The schema: SQLAlchemy Core tables on one ``metadata``, for SQLite and PostgreSQL, one module
per area (``subjects``, ``consent``, ``requests``, ``outbox`` ...).

Repositories map rows to domain objects; nothing outside ``adapters.db`` sees a row. Importing
this package declares every table, so ``metadata`` is the whole schema (Alembic's target; a test
checks that the migrations produce exactly it). A new area adds its module here and a revision in
``migrations/versions``; migrations describe their changes with ``op`` and never import these
live declarations (a migration must keep meaning what it meant when it was written).
"""

from __future__ import annotations

from confide.adapters.db.tables.audit import (
    audit_checkpoints,
    audit_entries,
    audit_head,
    audit_nodes,
    payload_keys,
)
from confide.adapters.db.tables.base import (
    ID,
    metadata,
)
from confide.adapters.db.tables.breaches import (
    incident_assessments,
    incident_notices,
    incident_subjects,
    incidents,
)
from confide.adapters.db.tables.complaints import (
    complaint_actions,
    complaint_notes,
    complaints,
)
from confide.adapters.db.tables.consent import (
    consent_events,
    decisions,
    downstream_systems,
    national_dnc_copies,
    national_dnc_numbers,
    withdrawal_acks,
)
from confide.adapters.db.tables.consent_state import (
    consent_state,
    consent_state_builds,
)
from confide.adapters.db.tables.disclosures import (
    disclosures,
    notices,
    recipients,
)
from confide.adapters.db.tables.holds import (
    legal_holds,
)
from confide.adapters.db.tables.outbox import (
    correction_endpoints,
    disagreements,
    outbox_attempts,
    outbox_messages,
)
from confide.adapters.db.tables.policy import (
    policy_versions,
)
from confide.adapters.db.tables.ratelimits import (
    rate_limit_hits,
)
from confide.adapters.db.tables.requests import (
    access_requests,
    verification_codes,
)
from confide.adapters.db.tables.retention import (
    anonymized_records,
    disposal_chunks,
    disposal_runs,
    disposal_steps,
    retention_schedule,
    subject_events,
)
from confide.adapters.db.tables.sources import (
    data_sources,
)
from confide.adapters.db.tables.staff import (
    api_tokens,
    staff_users,
)
from confide.adapters.db.tables.subjects import (
    personal_info,
    subject_identifiers,
    subjects,
)

__all__ = [
    "ID",
    "access_requests",
    "anonymized_records",
    "api_tokens",
    "audit_checkpoints",
    "audit_entries",
    "audit_head",
    "audit_nodes",
    "complaint_actions",
    "complaint_notes",
    "complaints",
    "consent_events",
    "consent_state",
    "consent_state_builds",
    "correction_endpoints",
    "data_sources",
    "decisions",
    "disagreements",
    "disclosures",
    "disposal_chunks",
    "disposal_runs",
    "disposal_steps",
    "downstream_systems",
    "incident_assessments",
    "incident_notices",
    "incident_subjects",
    "incidents",
    "legal_holds",
    "metadata",
    "national_dnc_copies",
    "national_dnc_numbers",
    "notices",
    "outbox_attempts",
    "outbox_messages",
    "payload_keys",
    "personal_info",
    "policy_versions",
    "rate_limit_hits",
    "recipients",
    "retention_schedule",
    "staff_users",
    "subject_events",
    "subject_identifiers",
    "subjects",
    "verification_codes",
    "withdrawal_acks",
]
