"""The breach register (BRE-1..5): incidents, their risk assessments, the people affected, and
the reports, notices and notifications with their targets and dates.

Narrative fields (circumstances, cause, measures, what people can do, the reporter's contact,
the assessment's reasons, a public notice's reason) may name people: they are sealed together,
per row, with the key ring (the table, row id and field as associated data). Dates, categories,
systems, counts and decisions stay in clear: the register is filtered and counted on them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
)

from confide.adapters.db.tables.base import ID, metadata
from confide.adapters.db.types import UtcDateTime

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("reference", String(20), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("status", String(10), nullable=False, index=True),
    Column("reported_at", UtcDateTime, nullable=False),
    Column("reported_by", String(20), nullable=False),
    Column("recorded_by", String(170), nullable=False),
    Column("aware_on", Date, nullable=False),
    Column("occurred_from", Date, nullable=True),
    Column("occurred_to", Date, nullable=True),
    Column("occurred_approximate", Boolean, nullable=False),
    Column("categories", JSON, nullable=False),
    Column("systems", JSON, nullable=False),
    Column("affected_estimate", Integer, nullable=True),
    Column("affected_approximate", Boolean, nullable=False),
    Column("quebec", Boolean, nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("closed_by", String(170), nullable=True),
    Column("determined_on", Date, nullable=True),
    Column("keep_until", Date, nullable=True),
)

incident_assessments = Table(
    "incident_assessments",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("incident_id", String(ID), ForeignKey("incidents.id"), nullable=False, index=True),
    Column("sensitivity", String(10), nullable=False),
    Column("probability", String(10), nullable=False),
    Column("likelihood", String(10), nullable=True),
    Column("factors", JSON, nullable=False),
    Column("proposed_real_risk", Boolean, nullable=False),
    Column("proposed_serious_injury", Boolean, nullable=True),
    Column("proposed_reasons", JSON, nullable=False),
    Column("real_risk", Boolean, nullable=False),
    Column("serious_injury", Boolean, nullable=True),
    Column("determined_on", Date, nullable=False),
    Column("decided_by", String(170), nullable=False),
    Column("decided_at", UtcDateTime, nullable=False),
    Column("sealed", LargeBinary, nullable=False),
)
"""Every assessment made, newest last: a re-assessment never overwrites the earlier one."""

incident_subjects = Table(
    "incident_subjects",
    metadata,
    Column("incident_id", String(ID), ForeignKey("incidents.id"), primary_key=True),
    Column("subject_id", String(ID), primary_key=True),
    Column("province", String(2), nullable=False),
    Column("linked_at", UtcDateTime, nullable=False),
    Column("method", String(10), nullable=False),
    # When this person's notice was composed into the outbox, and how it goes (email, letter).
    Column("notified_at", UtcDateTime, nullable=True),
    Column("channel", String(10), nullable=True),
    Index("ix_incident_subjects_subject_id", "subject_id"),
    # Room on each page for the row's new version when its notice is sent: PostgreSQL then
    # updates it in place of the indexes (a HOT update), three times faster for 100,000.
    postgresql_with={"fillfactor": 45},
)

incident_notices = Table(
    "incident_notices",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("incident_id", String(ID), ForeignKey("incidents.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("party", String(200), nullable=False),
    Column("reason", String(20), nullable=True),
    Column("target_on", Date, nullable=True),
    Column("sent_on", Date, nullable=True),
    Column("sent_by", String(170), nullable=True),
    Column("reference", String(200), nullable=False),
    Column("count", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(170), nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    UniqueConstraint("incident_id", "kind", "party", name="uq_incident_notices_kind_party"),
)
