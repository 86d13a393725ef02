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

from __future__ import annotations

import csv
import dataclasses
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

from confide.domain.access import Principal, Role
from confide.domain.consent.events import SubjectProfile
from confide.domain.consent.state import derive_state
from confide.domain.disclosure import (
    CONSENT,
    Agreement,
    Basis,
    DisclosureDecision,
    DisclosureSubject,
    ExceptionBasis,
    ImpactAssessment,
    Place,
    Recipient,
)
from confide.domain.disclosure.crossborder import cross_border_rows, rows_to_csv
from confide.domain.disclosure.engine import (
    PreparedDisclosure,
    decide_prepared,
    prepare_disclosure,
)
from confide.domain.disclosure.errors import UnknownRecipient
from confide.domain.disclosure.exceptions import REGISTRY, Evidence, rule_for
from confide.domain.disclosure.ledger import (
    DisclosureAccount,
    DisclosureRecord,
    PossibleRecipient,
    account_of_disclosures,
    possible_recipients,
    record_disclosure,
)
from confide.domain.disclosure.obligations import ObligationKind
from confide.domain.disclosure.recipients import validate_recipient
from confide.domain.errors import Conflict, FieldProblem, NotAllowed, NotFound, ValidationFailed
from confide.domain.ids import new_id
from confide.services.context import ServiceContext
from confide.services.ports import (
    AuditRecord,
    DisclosureFacts,
    DisclosureNotice,
    StoredDecision,
    StoredDisclosure,
    UnitOfWork,
)

OFFICERS = frozenset({Role.PRIVACY_OFFICER})
READERS = frozenset({Role.PRIVACY_OFFICER, Role.AGENT, Role.AUDITOR, Role.INTEGRATION})
DISCLOSERS = frozenset({Role.PRIVACY_OFFICER, Role.AGENT, Role.INTEGRATION})
BULK_DISCLOSERS = frozenset({Role.PRIVACY_OFFICER, Role.INTEGRATION})
ACCOUNT_READERS = frozenset({Role.PRIVACY_OFFICER, Role.AGENT, Role.AUDITOR})
REGISTER_READERS = frozenset({Role.PRIVACY_OFFICER, Role.AUDITOR})

BATCH = 2000  # rows of a bulk file checked and written together (memory stays bounded)
UNKNOWN_SUBJECT = "unknown_subject"


class DisclosureNotAllowed(NotAllowed):
    """The rules refused a disclosure: nothing was disclosed or recorded in the ledger. The
    refused decision itself is recorded (``decision_id``); ``reasons`` are reason codes."""

    def __init__(self, decision_id: str, decision: DisclosureDecision) -> None:
        reasons = tuple(str(r) for r in decision.reasons)
        super().__init__(
            f"disclosure refused ({', '.join(reasons)}); decision {decision_id} recorded,"
            " nothing disclosed",
            rule=decision.rules[0] if decision.rules else "DIS-1",
            decision_id=decision_id,
            reasons=reasons,
        )
        self.decision_id = decision_id
        self.decision = decision
        self.reasons = reasons


# --- inputs and results ---------------------------------------------------------------------


@dataclass(frozen=True)
class RecipientInput:
    """A recipient to register; ``categories``/``purposes`` empty: what its class allows."""

    name: str
    class_id: str
    country: str
    province: str | None = None
    contact: str | None = None
    categories: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    agreement_ref: str | None = None
    agreement_signed: date | None = None
    agreement_expires: date | None = None
    safeguards: str | None = None
    assessment_ref: str | None = None
    assessment_date: date | None = None


@dataclass(frozen=True)
class DisclosureRequest:
    """A disclosure to check (and record): ``exception`` None relies on consent; ``evidence``
    holds the exception's evidence fields by name (``reference`` names the first one; ``kind``
    may name another kind of evidence, which the rules then refuse)."""

    subject_id: str
    recipient_id: str
    purpose_id: str
    categories: tuple[str, ...]
    exception: str | None = None
    evidence: Mapping[str, object] | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class DecisionResult:
    id: str
    decision: DisclosureDecision


@dataclass(frozen=True)
class DisclosureOutcome:
    """An allowed, recorded disclosure: its decision, ledger row and any notice owed."""

    decision_id: str
    disclosure_id: str
    decision: DisclosureDecision
    record: DisclosureRecord
    notices: tuple[DisclosureNotice, ...]


@dataclass(frozen=True)
class BulkLine:
    """One data row of a bulk file: its line number, subject and evidence cells (may be empty)."""

    line: int
    subject_id: str
    evidence: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BulkRowOutcome:
    line: int
    subject_id: str
    allowed: bool
    decision_id: str | None
    disclosure_id: str | None
    reasons: tuple[str, ...]
    rules: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclass
class BulkResult:
    """Counts of a bulk disclosure and the refused rows with their reasons."""

    bulk_id: str
    allowed: int = 0
    refused: int = 0
    notices: int = 0
    by_reason: Counter[str] = field(default_factory=Counter)
    refused_rows: list[BulkRowOutcome] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.allowed + self.refused

    def to_dict(self) -> dict[str, object]:
        return {
            "bulk_id": self.bulk_id,
            "total": self.total,
            "allowed": self.allowed,
            "refused": self.refused,
            "notices": self.notices,
            "by_reason": dict(sorted(self.by_reason.items())),
            "refused_rows": [r.to_dict() for r in self.refused_rows],
        }


@dataclass(frozen=True)
class AccountView:
    """The account of disclosures (ACC-4) and, from the policy, the classes of organizations the
    subject's information may be disclosed to."""

    account: DisclosureAccount
    possible: tuple[PossibleRecipient, ...]
    language: str

    def to_dict(self, language: str | None = None) -> dict[str, object]:
        lang = language or self.language
        out = self.account.to_dict(lang)
        out["possible_recipients"] = [
            {
                "recipient_class": p.recipient_class,
                "description": p.description.in_language(lang),
                "organizations": list(p.organizations),
                "categories": list(p.categories),
            }
            for p in self.possible
        ]
        return out


# --- evidence and bulk files ----------------------------------------------------------------

_EVIDENCE_TYPES: dict[str, type[Evidence]] = {
    r.evidence_kind: r.evidence_type for r in REGISTRY.values()
}
_TRUE = {"true", "yes", "1", "y", "oui"}
_FALSE = {"false", "no", "0", "n", "non"}


class EvidenceReader:
    """Builds the evidence of one exception code from fields given by name (JSON, CLI, CSV).

    A required field left out becomes blank, so the rules refuse it (``evidence_missing``)
    rather than the input being an error; a field no evidence has is an error.
    """

    def __init__(self, code: str) -> None:
        self.code = code
        self.rule = rule_for(code)  # UnknownExceptionCode off the closed list

    def names(self, kind: str | None = None) -> tuple[str, ...]:
        etype = self._type(kind)
        return tuple(f.name for f in dataclasses.fields(etype))

    def _type(self, kind: str | None) -> type[Evidence]:
        if kind is None:
            return self.rule.evidence_type
        etype = _EVIDENCE_TYPES.get(kind)
        if etype is None:
            raise ValidationFailed.single(
                "evidence.kind", "is not a kind of evidence", ", ".join(sorted(_EVIDENCE_TYPES))
            )
        return etype

    def build(self, given: Mapping[str, object] | None) -> Evidence | None:
        if not given:
            return None
        values = {k: v for k, v in given.items() if v is not None and v != ""}
        kind = values.pop("kind", None)
        etype = self._type(str(kind) if kind is not None else None)
        fields, names = _evidence_fields(etype)
        if "reference" in values:
            values.setdefault(fields[0].name, values.pop("reference"))
        if not names.issuperset(values):
            raise ValidationFailed(
                "evidence: fields the evidence does not have",
                [
                    FieldProblem(
                        f"evidence.{n}",
                        "is not a field of this evidence",
                        ", ".join(f.name for f in fields),
                    )
                    for n in sorted(set(values) - names)
                ],
            )
        if not values:
            return None
        kwargs: dict[str, Any] = {}
        for f in fields:
            if f.name in values:
                kwargs[f.name] = _convert(f, values[f.name])
            elif f.default is dataclasses.MISSING:
                kwargs[f.name] = None if f.type in ("bool", bool) else ""
        return etype(**kwargs)


_FIELDS: dict[type[Evidence], tuple[tuple[dataclasses.Field[Any], ...], frozenset[str]]] = {}


def _evidence_fields(
    etype: type[Evidence],
) -> tuple[tuple[dataclasses.Field[Any], ...], frozenset[str]]:
    found = _FIELDS.get(etype)
    if found is None:
        fields = dataclasses.fields(etype)
        found = _FIELDS[etype] = (fields, frozenset(f.name for f in fields))
    return found


def _convert(f: dataclasses.Field[Any], value: object) -> object:
    if f.type in ("bool", bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValidationFailed.single(f"evidence.{f.name}", "must be true or false")
    if f.type in ("str | None",) and value is None:
        return None
    return str(value).strip()


def read_bulk_csv(lines: Iterable[str]) -> Iterator[BulkLine]:
    """The rows of a bulk file: a CSV with a ``subject_id`` column and, optionally, evidence
    columns (``reference`` or the evidence's own field names, e.g. ``debt_reference``).

    Raises ``ValidationFailed`` for a file without a header or a ``subject_id`` column, and
    for a row without a subject id (naming the line, never the values)."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise ValidationFailed.single("file", "is empty: a header with subject_id is required")
    names = [h.strip().lower() for h in header]
    if "subject_id" not in names:
        raise ValidationFailed.single(
            "file", "has no subject_id column", "header: subject_id[,reference,...]"
        )
    at = names.index("subject_id")
    others = [(i, n) for i, n in enumerate(names) if i != at and n]
    for number, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        sid = row[at].strip() if at < len(row) else ""
        if not sid:
            raise ValidationFailed.single(f"line {number}", "has no subject_id")
        cells = {n: row[i].strip() for i, n in others if i < len(row) and row[i].strip()}
        yield BulkLine(number, sid, cells)


# --- the service ----------------------------------------------------------------------------


class DisclosureService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- the recipients register ----------------------------------------------------------------
    def add_recipient(self, principal: Principal, data: RecipientInput) -> Recipient:
        principal.require(OFFICERS, "recipients.add")
        if data.agreement_ref is not None and data.agreement_signed is None:
            raise ValidationFailed.single("agreement_signed", "is required with an agreement")
        if data.assessment_ref is not None and data.assessment_date is None:
            raise ValidationFailed.single(
                "assessment_date", "is required with an impact assessment"
            )
        now = self.ctx.now()
        recipient = Recipient(
            id=new_id("rcp", now),
            name=data.name.strip(),
            class_id=data.class_id,
            place=Place(
                data.country.strip().upper(), (data.province or "").strip().upper() or None
            ),
            contact=data.contact,
            categories=tuple(data.categories),
            purposes=tuple(data.purposes),
            agreement=Agreement(data.agreement_ref, data.agreement_signed, data.agreement_expires)
            if data.agreement_ref is not None and data.agreement_signed is not None
            else None,
            safeguards=data.safeguards,
            impact_assessment=ImpactAssessment(data.assessment_ref, data.assessment_date)
            if data.assessment_ref is not None and data.assessment_date is not None
            else None,
        )
        validate_recipient(self.ctx.policy, recipient)
        with self.ctx.uow() as uow:
            if uow.disclosures.recipient_by_name(recipient.name) is not None:
                raise Conflict("a recipient named like this is already registered (field: name)")
            uow.disclosures.add_recipient(recipient, now)
            uow.audit.record(
                AuditRecord(
                    "recipient.registered",
                    principal.user_id,
                    "recipient",
                    recipient.id,
                    now,
                    self.ctx.require_active().version_id,
                    details={
                        "class": recipient.class_id,
                        "place": recipient.place.label(),
                        "categories": list(recipient.categories),
                        "purposes": list(recipient.purposes),
                    },
                )
            )
            uow.commit()
        return recipient

    def recipients(self, principal: Principal) -> list[Recipient]:
        principal.require(READERS, "recipients.read")
        with self.ctx.uow(readonly=True) as uow:
            return uow.disclosures.recipients()

    def recipient(self, principal: Principal, recipient_id: str) -> Recipient:
        principal.require(READERS, "recipients.read")
        with self.ctx.uow(readonly=True) as uow:
            found = uow.disclosures.recipient(recipient_id)
        if found is None:
            raise UnknownRecipient(recipient_id)
        return found

    # --- single decisions and disclosures ---------------------------------------------------------
    def _prepare(
        self,
        uow: UnitOfWork,
        recipient_id: str,
        categories: Sequence[str],
        purpose_id: str,
        at: datetime,
    ) -> PreparedDisclosure:
        recipient = uow.disclosures.recipient(recipient_id)
        if recipient is None:
            raise UnknownRecipient(recipient_id)
        active = self.ctx.require_active()
        return prepare_disclosure(
            active.policy, recipient, categories, purpose_id, at=at, history=active.history
        )

    def _basis(self, code: str | None, evidence: Mapping[str, object] | None) -> Basis:
        if code is None:
            if evidence:
                raise ValidationFailed.single("evidence", "is given without an exception code")
            return CONSENT
        return ExceptionBasis(code, EvidenceReader(code).build(evidence))

    def _when(self, at: datetime | None, *, past_only: bool = False) -> datetime:
        now = self.ctx.now()
        when = at or now
        if when.tzinfo is None:
            raise ValidationFailed.single("at", "must include a time zone")
        if past_only and when > now:
            # The ledger records disclosures that happened; a decision may be asked ahead.
            raise ValidationFailed.single("at", "is in the future: record a disclosure once made")
        return when

    def _decide(
        self, uow: UnitOfWork, req: DisclosureRequest, *, recording: bool = False
    ) -> DisclosureDecision:
        when = self._when(req.at, past_only=recording)
        basis = self._basis(req.exception, req.evidence)
        prepared = self._prepare(uow, req.recipient_id, req.categories, req.purpose_id, when)
        facts = uow.disclosures.subject_facts([req.subject_id]).get(req.subject_id)
        if facts is None:
            raise NotFound("subject", req.subject_id)
        state = derive_state(_profile(facts), uow.consent.history(facts.subject_id))
        subject = DisclosureSubject(state, facts.categories_on_file, facts.subject_type)
        return decide_prepared(prepared, subject, basis)

    def decide(self, principal: Principal, req: DisclosureRequest) -> DecisionResult:
        """May this disclosure happen? The decision is recorded; no disclosure is."""
        principal.require(DISCLOSERS, "disclosures.decide")
        with self.ctx.uow() as uow:
            decision = self._decide(uow, req)
            result = DecisionResult(new_id("dec", self.ctx.now()), decision)
            self._record_decision(uow, principal, result)
            uow.commit()
        return result

    def disclose(self, principal: Principal, req: DisclosureRequest) -> DisclosureOutcome:
        """Decide and, if allowed, record the disclosure (and the written notice an emergency
        owes) with its audit entries, in one transaction. Refused: the decision is recorded and
        :class:`DisclosureNotAllowed` raised; nothing is recorded as disclosed."""
        principal.require(DISCLOSERS, "disclosures.disclose")
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            decision = self._decide(uow, req, recording=True)
            result = DecisionResult(new_id("dec", now), decision)
            self._record_decision(uow, principal, result)
            if not decision.allowed:
                uow.commit()
                raise DisclosureNotAllowed(result.id, decision)
            stored = StoredDisclosure(
                new_id("dis", now), record_disclosure(decision, result.id), principal.user_id
            )
            notices = _notices(stored, decision, now)
            uow.disclosures.add_disclosures([stored])
            uow.disclosures.add_notices(notices)
            uow.audit.record(self._recorded_entry(principal, stored, len(notices), now))
            uow.commit()
        return DisclosureOutcome(result.id, stored.id, decision, stored.record, notices)

    def _stored_decision(
        self, principal: Principal, decision_id: str, d: DisclosureDecision, now: datetime
    ) -> StoredDecision:
        return StoredDecision(
            id=decision_id,
            subject_id=d.subject_id,
            action="disclose",
            purpose_id=d.purpose_id,
            channel=None,
            recipient_id=d.recipient_id,
            categories=d.categories,
            asked_at=d.at,
            decided_at=now,
            allowed=d.allowed,
            reasons=tuple(str(r) for r in d.reasons),
            rule=d.rules[0] if d.rules else "DIS-1",
            relied_on=d.relied_on,
            valid_until=None,
            policy_version=self.ctx.require_active().version_id,
            requested_by=principal.user_id,
            language=d.language,
        )

    def _record_decision(
        self, uow: UnitOfWork, principal: Principal, result: DecisionResult
    ) -> None:
        now = self.ctx.now()
        d = result.decision
        stored = self._stored_decision(principal, result.id, d, now)
        uow.disclosures.add_decisions([stored])
        uow.audit.record(
            AuditRecord(
                "disclosure.decided",
                principal.user_id,
                "decision",
                result.id,
                now,
                stored.policy_version,
                d.subject_id,
                {
                    "recipient": d.recipient_id,
                    "purpose": d.purpose_id,
                    "categories": list(d.categories),
                    "basis": d.basis,
                    "allowed": d.allowed,
                    "reasons": list(stored.reasons),
                    "rules": list(d.rules),
                },
            )
        )

    def _recorded_entry(
        self, principal: Principal, stored: StoredDisclosure, notices: int, now: datetime
    ) -> AuditRecord:
        r = stored.record
        # The evidence reference is kept in the ledger only: an emergency's description is free
        # text that may name people, and audit details hold ids and codes.
        return AuditRecord(
            "disclosure.recorded",
            principal.user_id,
            "disclosure",
            stored.id,
            now,
            self.ctx.require_active().version_id,
            r.subject_id,
            {
                "recipient": r.recipient_id,
                "purpose": r.purpose_id,
                "categories": list(r.categories),
                "basis": r.legal_basis,
                "decision": r.decision_id,
                "notices": notices,
            },
        )

    # --- bulk -----------------------------------------------------------------------------------
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
        principal.require(BULK_DISCLOSERS, "disclosures.bulk")
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
        decision_ids, disclosure_ids = _minter("dec", now), _minter("dis", now)
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
                        state = derive_state(_profile(f), histories.get(f.subject_id, ()))
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
                            owed.extend(_notices(stored, d, now))
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

    # --- the account of disclosures (ACC-4) and the cross-border register -----------------------
    def account(self, principal: Principal, subject_id: str) -> AccountView:
        principal.require(ACCOUNT_READERS, "disclosures.account")
        policy = self.ctx.policy
        with self.ctx.uow(readonly=True) as uow:
            facts = uow.disclosures.subject_facts([subject_id]).get(subject_id)
            if facts is None:
                raise NotFound("subject", subject_id)
            rows = uow.disclosures.for_subject(subject_id)
            register = uow.disclosures.recipients()
        account = account_of_disclosures(
            (r.record for r in rows), subject_id, policy=policy, register=register
        )
        possible = possible_recipients(policy, facts.categories_on_file, register)
        return AccountView(account, possible, facts.language)

    def ledger(self, principal: Principal, subject_id: str) -> list[StoredDisclosure]:
        """The subject's ledger rows as recorded (time order)."""
        principal.require(ACCOUNT_READERS, "disclosures.account")
        with self.ctx.uow(readonly=True) as uow:
            return uow.disclosures.for_subject(subject_id)

    def notices(
        self, principal: Principal, subject_id: str | None = None
    ) -> list[DisclosureNotice]:
        principal.require(READERS, "disclosures.notices")
        with self.ctx.uow(readonly=True) as uow:
            return uow.disclosures.notices(subject_id)

    def cross_border(
        self, principal: Principal, fmt: str = "json", language: str = "en"
    ) -> str | list[dict[str, object]]:
        """The cross-border register: CSV text (``fmt="csv"``) or JSON-ready rows."""
        principal.require(REGISTER_READERS, "disclosures.cross_border")
        if fmt not in ("csv", "json"):
            raise ValidationFailed.single("format", "must be csv or json")
        with self.ctx.uow(readonly=True) as uow:
            register = uow.disclosures.recipients()
        rows = cross_border_rows(self.ctx.policy, register, language=language)
        if fmt == "csv":
            return rows_to_csv(rows)
        return [r.to_dict() for r in rows]


# The last two characters of an id encode the low 10 bits of its random part (see domain.ids).
_TAILS = tuple(new_id("x", datetime(2000, 1, 1, tzinfo=UTC), j)[-2:] for j in range(1024))


def _minter(prefix: str, now: datetime) -> Callable[[], str]:
    """Ids for the rows of one bulk, as ``new_id`` makes them: one random base per 2**20 rows
    and a counter in the low 20 bits (unique within the bulk, unguessable across bulks), so
    only the last four characters are encoded per row."""
    head, n = "", 1 << 20

    def mint() -> str:
        nonlocal head, n
        if n >= 1 << 20:
            head, n = new_id(prefix, now, secrets.randbits(60) << 20)[:-4], 0
        i = n
        n += 1
        return f"{head}{_TAILS[i >> 10]}{_TAILS[i & 1023]}"

    return mint


def _profile(f: DisclosureFacts) -> SubjectProfile:
    return SubjectProfile(f.subject_id, f.province, f.language, f.birth_date)


def _notices(
    stored: StoredDisclosure, decision: DisclosureDecision, now: datetime
) -> tuple[DisclosureNotice, ...]:
    return tuple(
        DisclosureNotice(new_id("ntc", now), stored.record.subject_id, stored.id, o.due)
        for o in decision.obligations
        if o.kind is ObligationKind.NOTIFY_INDIVIDUAL_IN_WRITING
    )
