"""Assembling a subject's access file (ACC-4), with what must be withheld (ACC-5), or the
portable part of it (ACC-10).

One read of the store (subject, personal information, consent ledger, disclosure ledger), one
look-up across every connected source (a source that is down is listed in
``incomplete_sources`` and the rest is assembled), then automatic redaction:

* other people's personal information in free-text values: the scanner's findings in a value
  of several words that are not one of the subject's own identifiers, withheld as a span;
* information marked confidential or privileged by a :class:`WithholdingRule` (a policy
  category, or a source's table/column of the data map), withheld as a whole item.

The assembly is recorded in the audit trail (counts and source names, never values).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Protocol

from confide.domain.access import Action, Principal
from confide.domain.access_file import (
    CONFIDE,
    CONFIDENTIAL,
    PRIVILEGED,
    THIRD_PARTY,
    AccessFile,
    ConsentEntry,
    DisposedEntry,
    FileItem,
    FileKind,
    IncompleteSource,
    PurposeUse,
    Redaction,
    SubjectSummary,
    WithholdingRule,
    explain,
)
from confide.domain.audit.records import AuditRecord
from confide.domain.consent.codec import name_of, to_json
from confide.domain.consent.engine import decide
from confide.domain.consent.events import ConsentEvent
from confide.domain.consent.state import derive_state
from confide.domain.disclosure.ledger import account_of_disclosures, possible_recipients
from confide.domain.errors import ConfideError, FieldProblem, NotFound, ValidationFailed
from confide.domain.outbox import Disagreement
from confide.domain.policy import Policy
from confide.domain.retention.runs import Disposed
from confide.domain.sources import SourceLookup
from confide.domain.subjects import PersonalInfoRecord, Subject
from confide.services.consent import profile_of
from confide.services.context import ActivePolicy, ServiceContext
from confide.services.sources import SourceService

THIRD_PARTY_ENTITIES = frozenset(
    {
        "EMAIL",
        "PHONE",
        "SIN",
        "PAYMENT_CARD",
        "BANK_ACCOUNT",
        "DRIVERS_LICENCE",
        "HEALTH_CARD",
        "PASSPORT",
        "PERSON",
        "STREET_ADDRESS",
    }
)
"""What the scanner finds that identifies another person when it is not the subject's own."""

CATEGORY_ENTITIES: dict[str, frozenset[str]] = {
    "name": frozenset({"PERSON"}),
    "mailing_address": frozenset({"STREET_ADDRESS", "POSTAL_CODE"}),
    "email": frozenset({"EMAIL"}),
    "telephone_number": frozenset({"PHONE"}),
}
"""What a value of these categories is: a finding of that kind in it is the value itself."""


class TextScanner(Protocol):
    """``confide.scanner.engine.Scanner`` (only what the redaction needs)."""

    def scan_text(self, text: str, source: str = ...) -> _ScanResult: ...


class _Finding(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def entity(self) -> object: ...


class _ScanResult(Protocol):
    @property
    def findings(self) -> Sequence[_Finding]: ...


def _default_scanner() -> TextScanner:
    from confide.scanner.engine import Scanner

    return Scanner()


_NOT_DIGITS = re.compile(r"\D")


def _norm(value: str) -> str:
    """A form under which the subject's own identifiers are recognized in text."""
    value = value.strip().lower()
    digits = _NOT_DIGITS.sub("", value)
    if "@" not in value and len(digits) >= 7:
        return digits[-10:]
    return value


WITHHOLDING_FILE = "access-withholding.json"
"""In the data directory: the confidential and privileged marks (ACC-5), when present."""


def read_withholding(path: Path) -> tuple[WithholdingRule, ...]:
    """The withholding rules of a JSON file (none when it does not exist): a list of objects
    with ``ground`` (``confidential_information`` or ``privileged_information``) and any of
    ``category``, ``source``, ``table``, ``column``, ``explanation``. Every problem is listed."""
    if not path.is_file():
        return ()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationFailed.single(
            path.name, "is not readable JSON", type(exc).__name__
        ) from None
    if not isinstance(data, list):
        raise ValidationFailed.single(path.name, "must be a list of rules")
    rules: list[WithholdingRule] = []
    problems: list[FieldProblem] = []
    fields = ("category", "source", "table", "column", "explanation")
    for n, entry in enumerate(data):
        where = f"{path.name}[{n}]"
        if not isinstance(entry, dict):
            problems.append(FieldProblem(where, "must be an object"))
            continue
        ground = entry.get("ground")
        if ground not in (CONFIDENTIAL, PRIVILEGED):
            problems.append(
                FieldProblem(
                    f"{where}.ground",
                    "is not a withholding ground",
                    f"{CONFIDENTIAL}, {PRIVILEGED}",
                )
            )
        extra = sorted(set(entry) - {"ground", *fields})
        if extra:
            problems.append(FieldProblem(where, "has unknown fields: " + ", ".join(extra)))
        if not entry.get("category") and not entry.get("source"):
            problems.append(FieldProblem(where, "must name a category or a source"))
        values = {k: entry.get(k) for k in fields}
        if any(v is not None and not isinstance(v, str) for v in values.values()):
            problems.append(FieldProblem(where, "fields must be text"))
            continue
        rules.append(WithholdingRule(str(ground), **values))
    if problems:
        raise ValidationFailed("the withholding rules cannot be used", problems)
    return tuple(rules)


class AccessFileService:
    """Builds :class:`AccessFile` s. ``scanner`` finds other people's information (created on
    first use when not given: building one compiles every pattern); ``withholding`` marks
    confidential and privileged information."""

    def __init__(
        self,
        ctx: ServiceContext,
        sources: SourceService,
        *,
        scanner: TextScanner | None = None,
        withholding: Iterable[WithholdingRule] = (),
    ) -> None:
        self.ctx = ctx
        self.sources = sources
        self._scanner = scanner
        self._scanner_lock = threading.Lock()
        self.withholding: tuple[WithholdingRule, ...] = tuple(withholding)
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="access-file")

    @property
    def scanner(self) -> TextScanner:
        with self._scanner_lock:
            if self._scanner is None:
                self._scanner = _default_scanner()
            return self._scanner

    def assemble(self, principal: Principal, subject_id: str, *, kind: FileKind) -> AccessFile:
        """The subject's file: everything held (``access``), or what the individual gave
        (``portability``, ACC-10: no inferred or derived information, no uses or decisions)."""
        principal.require(Action.ACCESS_FILE_ASSEMBLE)
        if kind not in ("access", "portability"):
            raise ValidationFailed.single("kind", "must be access or portability", str(kind))
        active = self.ctx.require_active()
        policy = active.policy
        now = self.ctx.now()
        with self.ctx.uow(readonly=True) as uow:
            subject = uow.subjects.get(subject_id)
            if subject is None:
                raise NotFound("subject", subject_id)
            # The connected sources are asked while the store is read (both mostly wait on I/O).
            asked = self._pool.submit(
                self.sources.find_subject_everywhere, principal, subject, audit=False
            )
            records = uow.personal_info.for_subject(subject_id, history=False)
            disposed = _disposed_entries(uow.retention.disposed_for(subject_id))
            history = uow.consent.history(subject_id)
            # Statements of disagreement stay with the file (ACC-9).
            statements = uow.outbox.disagreements(subject_id)
            disclosures: dict[str, object] = {}
            if kind == "access":
                ledger = uow.disclosures.for_subject(subject_id)
                register = uow.disclosures.recipients()
                # The categories on file are those of the current values (as the disclosure
                # service counts them).
                on_file = frozenset(r.category for r in records)
                account = account_of_disclosures(
                    (r.record for r in ledger), subject_id, policy=policy, register=register
                )
                disclosures = account.to_dict(subject.language)
                # Where the recipient is not known precisely, the organizations the
                # information may have been disclosed to (ACC-4).
                disclosures["possible_recipients"] = [
                    {
                        "recipient_class": p.recipient_class,
                        "description": p.description.in_language(subject.language),
                        "organizations": list(p.organizations),
                        "categories": list(p.categories),
                    }
                    for p in possible_recipients(policy, on_file, register)
                ]
        lookups = asked.result()

        items = [*_identity_items(subject), *_store_items(records, policy)]
        items.extend(_source_items(lookups, policy))
        items.extend(_disagreement_items(statements))
        incomplete = tuple(
            IncompleteSource(lk.source, _reason(lk.error)) for lk in lookups if not lk.ok
        )
        if kind == "portability":
            items = [i for i in items if i.collected_from_individual]
        redactions = self._redactions(subject, items)
        uses: tuple[PurposeUse, ...] = ()
        consents: tuple[ConsentEntry, ...] = ()
        if kind == "access":
            uses = _uses(policy, subject, records, history, now, active)
            consents = tuple(_consent_entry(e) for e in history)
        file = AccessFile(
            kind=kind,
            subject=SubjectSummary(
                id=subject.id,
                subject_type=subject.subject_type,
                province=subject.province,
                language=subject.language,
                display_name=subject.display_name,
                identifiers=tuple((i.kind.value, i.value) for i in subject.identifiers),
            ),
            language=subject.language,
            generated_at=now,
            items=tuple(items),
            uses=uses,
            consents=consents,
            disclosures=disclosures,
            redactions=redactions,
            incomplete_sources=incomplete,
            disposed=disposed,
            policy_version=active.version_id,
            labels=_labels(policy, items, uses, disposed),
            officer=_officer(policy),
        )
        with self.ctx.uow() as uow:
            uow.audit.record(
                AuditRecord(
                    action="access_file.assembled",
                    actor=principal.user_id,
                    object_type="subject",
                    object_id=subject.id,
                    at=now,
                    policy_version=active.version_id,
                    subject_id=subject.id,
                    details={
                        "kind": kind,
                        "items": len(items),
                        "redactions": len(redactions),
                        "sources": {
                            lk.source: (len(lk.rows) if lk.ok else "unavailable") for lk in lookups
                        },
                    },
                )
            )
            uow.commit()
        return file

    # --- ACC-5 ----------------------------------------------------------------------------------
    def _redactions(self, subject: Subject, items: Sequence[FileItem]) -> tuple[Redaction, ...]:
        # What is the subject's own: identifiers, and every one-datum value held on them
        # (their name, their address lines...). A finding equal to one of them is not
        # another person's information.
        own = {_norm(i.value) for i in subject.identifiers}
        if subject.external_ref:
            own.add(_norm(subject.external_ref))
        own.update(
            _norm(i.value) for i in items if not _free_text(i.value) or i.section != "source"
        )
        out: list[Redaction] = []
        for item in items:
            rule = next((r for r in self.withholding if r.matches(item)), None)
            if rule is not None:
                out.append(
                    Redaction(
                        id=f"auto:{item.id}",
                        item_id=item.id,
                        reason=rule.ground,
                        explanation=rule.explanation or explain(rule.ground, subject.language),
                        by="auto",
                    )
                )
                continue
            if item.section == "identity" or not _free_text(item.value):
                continue
            natural = CATEGORY_ENTITIES.get(item.category, frozenset())
            for n, f in enumerate(self.scanner.scan_text(item.value).findings):
                entity = str(getattr(f.entity, "value", f.entity))
                if entity not in THIRD_PARTY_ENTITIES or entity in natural:
                    continue  # not identifying, or what the item itself holds (its own value)
                found = item.value[f.start : f.end]
                if _norm(found) in own or found.strip() == item.value.strip():
                    continue
                out.append(
                    Redaction(
                        id=f"auto:{item.id}:{n}",
                        item_id=item.id,
                        reason=THIRD_PARTY,
                        explanation=explain(THIRD_PARTY, subject.language),
                        by="auto",
                        start=f.start,
                        end=f.end,
                        entity=entity,
                    )
                )
        return tuple(out)


def _disposed_entries(disposed: Sequence[Disposed]) -> tuple[DisposedEntry, ...]:
    """What was disposed of, per category, method and day (RET-2): never a value."""
    counts: dict[tuple[str, str, str], int] = {}
    for d in disposed:
        key = (d.category, d.method, d.disposed_at.date().isoformat())
        counts[key] = counts.get(key, 0) + 1
    return tuple(
        DisposedEntry(category, method, day, n)
        for (category, method, day), n in sorted(
            counts.items(), key=lambda kv: (kv[0][2], kv[0][0])
        )
    )


def _labels(
    policy: Policy,
    items: Sequence[FileItem],
    uses: Sequence[PurposeUse],
    disposed: Sequence[DisposedEntry] = (),
) -> dict[str, dict[str, str]]:
    """The policy's words for the categories and purposes in the file, in English and French."""
    out: dict[str, dict[str, str]] = {"en": {}, "fr": {}}
    for cid in dict.fromkeys([*(i.category for i in items), *(d.category for d in disposed)]):
        category = policy.category(cid)
        if category is not None:
            for lang in out:
                out[lang][cid] = category.description.in_language(lang)
    purposes = {p for i in items for p in i.purposes} | {u.purpose_id for u in uses}
    for pid in sorted(purposes):
        purpose = policy.purpose(pid)
        if purpose is not None:
            for lang in out:
                out[lang][pid] = purpose.description.in_language(lang)
    return out


def _free_text(value: str) -> bool:
    """A value of several words (a note, a comment): where other people's details may hide.
    A one-word value is the value of its own category (the subject's email, account...)."""
    return len(value.split()) > 1


def _reason(error: ConfideError | None) -> str:
    # The connector's errors name the source and what went wrong, never a connection string.
    return str(error) if error is not None else ""


def _identity_items(subject: Subject) -> list[FileItem]:
    return [
        FileItem(
            id=f"identity:{i.kind.value}:{n}",
            section="identity",
            category=i.kind.value,
            value=i.value,
            origin=CONFIDE,
            collected_from_individual=True,
        )
        for n, i in enumerate(subject.identifiers)
    ]


DISAGREEMENT = "statement_of_disagreement"


def _disagreement_items(statements: Sequence[Disagreement]) -> list[FileItem]:
    """The individual's statements of disagreement after refused corrections (ACC-9): their
    own words, so part of what they gave (portability included)."""
    return [
        FileItem(
            id=f"disagreement:{d.id}",
            section="disagreement",
            category=d.category,
            value=d.statement,
            origin=DISAGREEMENT,
            collected_from_individual=True,
            collected_at=d.recorded_at.isoformat(),
        )
        for d in statements
    ]


def _category_given(policy: Policy, category: str) -> bool:
    found = policy.category(category)
    return found.collected_from_individual if found is not None else True


def _source_given(policy: Policy, source_id: str) -> bool:
    """Whether a collection source is the individual (not automatic, not a third party)."""
    for s in policy.collection_sources:
        if s.id == source_id:
            return not (s.automatic or s.third_party)
    return True


def _store_items(records: Sequence[PersonalInfoRecord], policy: Policy) -> list[FileItem]:
    return [
        FileItem(
            id=f"confide:{r.id}",
            section="confide",
            category=r.category,
            value=r.value,
            origin=CONFIDE,
            collected_from_individual=(
                _category_given(policy, r.category) and _source_given(policy, r.source)
            ),
            purposes=r.purposes,
            collected_from=r.source,
            collected_at=r.collected_at.isoformat(),
        )
        for r in records
    ]


def _source_items(lookups: Sequence[SourceLookup], policy: Policy) -> list[FileItem]:
    out: list[FileItem] = []
    for lookup in lookups:
        seen: dict[str, int] = {}
        for row in lookup.rows:
            origin = f"{lookup.source}/{row.table}"
            n = seen[origin] = seen.get(origin, -1) + 1
            for v in row.values:
                if v.value is None:
                    continue
                out.append(
                    FileItem(
                        id=f"src:{origin}:{n}:{v.column}",
                        section="source",
                        category=v.category,
                        value=v.value,
                        origin=origin,
                        column=v.column,
                        collected_from_individual=_category_given(policy, v.category),
                    )
                )
    return out


def _consent_entry(e: ConsentEvent) -> ConsentEntry:
    fields = to_json(e)
    details: dict[str, object] = {
        name: fields[name]
        for name in ("purpose_id", "channel", "kind", "method", "policy_version", "expires_at")
        if name in fields
    }
    if fields.get("by_guardian"):
        details["by_guardian"] = True
    return ConsentEntry(id=e.event_id, event=name_of(e), at=e.at.isoformat(), details=details)


def _uses(
    policy: Policy,
    subject: Subject,
    records: Sequence[PersonalInfoRecord],
    history: Sequence[ConsentEvent],
    now: datetime,
    active: ActivePolicy,
) -> tuple[PurposeUse, ...]:
    """Each purpose the subject's information is held or consented for, with the categories
    held for it and the consent engine's answer now (not recorded: a read)."""
    by_purpose: dict[str, list[str]] = {}
    for r in records:
        for p in r.purposes:
            cats = by_purpose.setdefault(p, [])
            if r.category not in cats:
                cats.append(r.category)
    for e in history:
        pid = getattr(e, "purpose_id", None)
        if pid:
            by_purpose.setdefault(pid, [])
    state = derive_state(profile_of(subject), list(history))
    out: list[PurposeUse] = []
    for pid, cats in by_purpose.items():
        purpose = policy.purpose(pid)
        description = purpose.description.in_language(subject.language) if purpose else pid
        allowed: bool | None = None
        rule = explanation = None
        if purpose is not None:
            try:
                d = decide(
                    policy,
                    state,
                    pid,
                    tuple(cats),
                    None,
                    at=now,
                    history=active.history,
                )
            except ConfideError:
                pass  # the purpose is decided per channel: the consents list shows them
            else:
                allowed, rule = d.allowed, d.rule
                explanation = d.text.in_language(subject.language)
        out.append(PurposeUse(pid, description, tuple(cats), allowed, rule, explanation))
    return tuple(out)


def _officer(policy: Policy) -> dict[str, str]:
    """The privacy officer every file names (CMP-3), with their title in both languages."""
    o = policy.organization.privacy_officer
    return {
        "name": o.name,
        "title_en": o.title.en,
        "title_fr": o.title.fr,
        "email": o.email,
        "phone": o.phone or "",
    }
