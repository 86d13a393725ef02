"""Historical disclosures known only by recipient class (ACC-4): disclosures made before the
ledger existed, where the organization is not known precisely, only its class ("a collection
agency"). They enter the ledger without a recipient id, so the account of disclosures lists
them under "may have been disclosed to", with the registered organizations of that class.

Pure: the time zone of dates and the current time are passed in. ``check_row`` turns one row
of cells into a :class:`HistoricalDisclosure` or a list of problems naming the line and
column, never the values. Whether the subject exists is the caller's to check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from confide.domain.errors import FieldProblem
from confide.domain.policy import CLOSED_EXCEPTION_CODES, Policy

COLUMNS = (
    "subject_id",
    "recipient_class",
    "disclosed_at",
    "categories",
    "purpose",
    "basis",
    "evidence_reference",
)
REQUIRED = COLUMNS[:6]
CONSENT = "consent"


@dataclass(frozen=True, slots=True)
class HistoricalDisclosure:
    line: int
    subject_id: str
    recipient_class: str
    at: datetime
    categories: tuple[str, ...]
    purpose_id: str
    basis: str
    """``consent`` or an exception code of DIS-2's closed list."""
    evidence_reference: str | None


def _when(text: str, zone: ZoneInfo) -> datetime | None:
    """A date (the start of that day in ``zone``) or an ISO 8601 time with its zone."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0), zone)
        at = datetime.fromisoformat(text)
    except ValueError:
        return None
    return at if at.tzinfo is not None else None


def check_row(
    line: int,
    cells: Mapping[str, str],
    *,
    policy: Policy,
    zone: ZoneInfo,
    now: datetime,
) -> tuple[HistoricalDisclosure | None, list[FieldProblem]]:
    where = f"line {line}"
    problems: list[FieldProblem] = []

    def bad(column: str, message: str, hint: str | None = None) -> None:
        problems.append(FieldProblem(f"{where}.{column}", message, hint))

    for column in REQUIRED:
        if not cells.get(column, "").strip():
            bad(column, "is required")
    if problems:
        return None, problems
    class_id = cells["recipient_class"].strip()
    if policy.recipient_class(class_id) is None:
        bad("recipient_class", "is not a recipient class of the policy")
    at = _when(cells["disclosed_at"].strip(), zone)
    if at is None:
        bad("disclosed_at", "must be a date (YYYY-MM-DD) or a time with its zone")
    elif at > now:
        bad("disclosed_at", "is in the future: historical disclosures happened")
    categories = tuple(
        dict.fromkeys(c.strip() for c in cells["categories"].split(";") if c.strip())
    )
    unknown = [c for c in categories if policy.category(c) is None]
    if not categories:
        bad("categories", "is required", "categories separated by ';'")
    elif unknown:
        bad("categories", f"names {len(unknown)} category(ies) not in the policy")
    purpose_id = cells["purpose"].strip()
    if policy.purpose(purpose_id) is None:
        bad("purpose", "is not a purpose of the policy")
    basis = cells["basis"].strip()
    if basis != CONSENT and basis not in CLOSED_EXCEPTION_CODES:
        bad("basis", "must be consent or an exception code of DIS-2")
    reference = cells.get("evidence_reference", "").strip() or None
    if reference is not None and len(reference) > 200:
        bad("evidence_reference", "is longer than 200 characters")
    if problems or at is None:
        return None, problems
    return (
        HistoricalDisclosure(
            line,
            cells["subject_id"].strip(),
            class_id,
            at,
            categories,
            purpose_id,
            basis,
            reference,
        ),
        [],
    )


__all__ = ["COLUMNS", "REQUIRED", "HistoricalDisclosure", "check_row"]
