"""Complaints (CMP-1..3): the records and rules (:mod:`.model`) and what the company writes to
the complainant (:mod:`.letters`), in English and French."""

from confide.domain.complaints.model import (
    ActionKind,
    ActionRequired,
    Complaint,
    ComplaintAction,
    ComplaintChannel,
    ComplaintClosed,
    ComplaintLevel,
    ComplaintNote,
    ComplaintStatus,
    ComplaintTopic,
    Outcome,
)

__all__ = [
    "ActionKind",
    "ActionRequired",
    "Complaint",
    "ComplaintAction",
    "ComplaintChannel",
    "ComplaintClosed",
    "ComplaintLevel",
    "ComplaintNote",
    "ComplaintStatus",
    "ComplaintTopic",
    "Outcome",
]
