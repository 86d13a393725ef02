"""The access file: what Confide and every connected source hold on a subject (ACC-4), with
what is withheld and why (ACC-5), or the portable part of it (ACC-10).

An :class:`AccessFile` is immutable and complete: it keeps every value found, and the list of
:class:`Redaction` s saying what is withheld from the individual. What is released is computed
(:meth:`AccessFile.released_items`): a whole-item redaction removes the item, a span
redaction replaces the span with :data:`WITHHELD_MARK`. The reviewer adjusts the list with
:meth:`AccessFile.with_review` (remove more items with a reason, restore automatic ones); the
file itself never loses a value, so a restore is always possible before release.

``to_json`` is the stored form (complete, for the reviewer; the request keeps it sealed);
``released_json`` is what the individual receives. Standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from confide.domain.errors import FieldProblem, ValidationFailed

FileKind = Literal["access", "portability"]

FORMAT_VERSION = 1
WITHHELD_MARK = "[withheld]"

# Withholding grounds (policy ``access.withholding_grounds``), used as reason codes.
THIRD_PARTY = "third_party_information"
CONFIDENTIAL = "confidential_information"
PRIVILEGED = "privileged_information"
REVIEWER = "reviewer_decision"
"""A reviewer's exclusion whose reason is free text rather than one of the grounds."""

GROUNDS: tuple[str, ...] = (THIRD_PARTY, CONFIDENTIAL, PRIVILEGED)

CONFIDE = "confide"
"""The origin of information held in Confide's own store."""


@dataclass(frozen=True)
class SubjectSummary:
    id: str
    subject_type: str
    province: str
    language: str
    display_name: str | None = None
    identifiers: tuple[tuple[str, str], ...] = ()
    """(kind, value) pairs: email, phone, account..."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject_type": self.subject_type,
            "province": self.province,
            "language": self.language,
            "display_name": self.display_name,
            "identifiers": [{"kind": k, "value": v} for k, v in self.identifiers],
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> SubjectSummary:
        return cls(
            id=str(d["id"]),
            subject_type=str(d["subject_type"]),
            province=str(d["province"]),
            language=str(d["language"]),
            display_name=d.get("display_name"),
            identifiers=tuple((str(i["kind"]), str(i["value"])) for i in d.get("identifiers", ())),
        )


@dataclass(frozen=True)
class FileItem:
    """One value held on the subject, and where it lives."""

    id: str
    section: str
    """``identity`` (the subject's identifiers), ``confide`` (the store) or ``source``."""
    category: str
    value: str
    origin: str
    """``confide`` or ``<source name>/<table or file>``."""
    collected_from_individual: bool
    purposes: tuple[str, ...] = ()
    column: str | None = None
    """For a source value: the column it was read from."""
    collected_from: str | None = None
    """The collection source (policy id) for a store value: where it came from."""
    collected_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "section": self.section,
            "category": self.category,
            "value": self.value,
            "origin": self.origin,
            "column": self.column,
            "collected_from_individual": self.collected_from_individual,
            "collected_from": self.collected_from,
            "collected_at": self.collected_at,
            "purposes": list(self.purposes),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> FileItem:
        return cls(
            id=str(d["id"]),
            section=str(d["section"]),
            category=str(d["category"]),
            value=str(d["value"]),
            origin=str(d["origin"]),
            collected_from_individual=bool(d["collected_from_individual"]),
            purposes=tuple(str(p) for p in d.get("purposes", ())),
            column=d.get("column"),
            collected_from=d.get("collected_from"),
            collected_at=d.get("collected_at"),
        )


@dataclass(frozen=True)
class Redaction:
    """Something withheld: a whole item (``start is None``) or a span of its value."""

    id: str
    item_id: str
    reason: str
    """Reason code: one of :data:`GROUNDS` or :data:`REVIEWER`."""
    explanation: str
    by: Literal["auto", "reviewer"] = "auto"
    start: int | None = None
    end: int | None = None
    entity: str | None = None
    """For a span found by the scanner: what kind of information it is (email, phone...)."""

    @property
    def whole_item(self) -> bool:
        return self.start is None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "item_id": self.item_id,
            "reason": self.reason,
            "explanation": self.explanation,
            "by": self.by,
            "start": self.start,
            "end": self.end,
            "entity": self.entity,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Redaction:
        by: Literal["auto", "reviewer"] = "reviewer" if d.get("by") == "reviewer" else "auto"
        return cls(
            id=str(d["id"]),
            item_id=str(d["item_id"]),
            reason=str(d["reason"]),
            explanation=str(d["explanation"]),
            by=by,
            start=d.get("start"),
            end=d.get("end"),
            entity=d.get("entity"),
        )


@dataclass(frozen=True)
class PurposeUse:
    """How the subject's information is used for one purpose, and the current answer on it."""

    purpose_id: str
    description: str
    categories: tuple[str, ...]
    allowed: bool | None = None
    """The consent engine's answer now (None: it needs a channel or could not be decided)."""
    rule: str | None = None
    explanation: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "purpose_id": self.purpose_id,
            "description": self.description,
            "categories": list(self.categories),
            "allowed": self.allowed,
            "rule": self.rule,
            "explanation": self.explanation,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> PurposeUse:
        return cls(
            purpose_id=str(d["purpose_id"]),
            description=str(d.get("description", "")),
            categories=tuple(d.get("categories", ())),
            allowed=d.get("allowed"),
            rule=d.get("rule"),
            explanation=d.get("explanation"),
        )


@dataclass(frozen=True)
class ConsentEntry:
    """One consent ledger event as recorded."""

    id: str
    event: str
    at: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "event": self.event, "at": self.at, "details": dict(self.details)}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ConsentEntry:
        return cls(str(d["id"]), str(d["event"]), str(d["at"]), dict(d.get("details", {})))


@dataclass(frozen=True)
class IncompleteSource:
    """A connected source that could not be asked: the file is incomplete without it."""

    source: str
    reason: str

    def __str__(self) -> str:
        return self.source

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "reason": self.reason}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> IncompleteSource:
        return cls(str(d["source"]), str(d["reason"]))


@dataclass(frozen=True)
class DisposedEntry:
    """Information that was held and disposed of at the end of its retention (RET-2): which
    category, when and how, never its value."""

    category: str
    method: str
    disposed_on: str
    """The day (ISO date)."""
    count: int = 1

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "method": self.method,
            "disposed_on": self.disposed_on,
            "count": self.count,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> DisposedEntry:
        return cls(str(d["category"]), str(d["method"]), str(d["disposed_on"]), int(d["count"]))


@dataclass(frozen=True)
class AccessFile:
    """A subject's access (or portability) file; see the module documentation."""

    kind: FileKind
    subject: SubjectSummary
    language: str
    generated_at: datetime
    items: tuple[FileItem, ...]
    uses: tuple[PurposeUse, ...] = ()
    consents: tuple[ConsentEntry, ...] = ()
    disclosures: dict[str, Any] = field(default_factory=dict)
    """The account of disclosures: ``recipients`` (named, with each disclosure's date,
    categories, purpose and basis) and ``may_have_been_disclosed_to`` (classes of organizations,
    for disclosures where the recipient is not known precisely)."""
    redactions: tuple[Redaction, ...] = ()
    incomplete_sources: tuple[IncompleteSource, ...] = ()
    restored: tuple[str, ...] = ()
    """Ids of automatic redactions a reviewer lifted (kept for the record)."""
    disposed: tuple[DisposedEntry, ...] = ()
    """What was disposed of at the end of its retention, when and how (no value)."""
    policy_version: str | None = None
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    """The policy's words for the category and purpose ids of the file, per language."""
    officer: dict[str, str] = field(default_factory=dict)
    """The privacy officer the file names (CMP-3): ``name``, ``title_en``, ``title_fr``,
    ``email``, ``phone``."""

    def officer_line(self, language: str) -> str:
        """The privacy officer in one line, their title in ``language`` (CMP-3)."""
        o = self.officer
        title = o.get("title_fr" if language.startswith("fr") else "title_en", "")
        return ", ".join(
            x for x in (o.get("name", ""), title, o.get("email", ""), o.get("phone", "")) if x
        )

    def label(self, ident: str, language: str) -> str:
        """The plain-language name of a category or purpose id (the id when none is known)."""
        lang = "fr" if language.startswith("fr") else "en"
        return self.labels.get(lang, {}).get(ident, ident)

    # --- what is released ---------------------------------------------------------------------
    def item(self, item_id: str) -> FileItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def released_items(self) -> tuple[FileItem, ...]:
        """The items the individual receives: withheld items out, withheld spans masked."""
        whole = {r.item_id for r in self.redactions if r.whole_item}
        spans: dict[str, list[Redaction]] = {}
        for r in self.redactions:
            if not r.whole_item:
                spans.setdefault(r.item_id, []).append(r)
        out: list[FileItem] = []
        for item in self.items:
            if item.id in whole:
                continue
            if item.id in spans:
                item = replace(item, value=mask(item.value, spans[item.id]))
            out.append(item)
        return tuple(out)

    @property
    def complete(self) -> bool:
        return not self.incomplete_sources

    # --- the reviewer ---------------------------------------------------------------------------
    def with_review(
        self,
        *,
        exclude: Mapping[str, str] | Iterable[str] = (),
        restore: Iterable[str] = (),
    ) -> AccessFile:
        """The file after a reviewer's adjustments.

        ``exclude`` maps item ids to the reason for withholding them (a ground code such as
        ``confidential_information``, or free text, kept as the explanation); a plain set of
        ids is withheld as a reviewer's decision without more words. ``restore`` lifts
        redactions, named by redaction id or by item id (every redaction of that item).
        Unknown ids are a :class:`ValidationFailed` naming each (nothing changes).
        """
        reasons: dict[str, str] = (
            dict(exclude) if isinstance(exclude, Mapping) else dict.fromkeys(exclude, "")
        )
        restore_ids = set(restore)
        known_items = {i.id for i in self.items}
        known_redactions = {r.id for r in self.redactions}
        problems = [
            FieldProblem(f"exclude.{i}", "is not an item of the file")
            for i in sorted(reasons)
            if i not in known_items
        ] + [
            FieldProblem(f"restore.{i}", "is neither an item nor a withholding of the file")
            for i in sorted(restore_ids)
            if i not in known_items | known_redactions
        ]
        problems += [
            FieldProblem(f"exclude.{i}", "needs a reason of at most 500 characters")
            for i, reason in sorted(reasons.items())
            if len(reason) > 500
        ]
        if problems:
            raise ValidationFailed("the review names what the file does not hold", problems)
        kept: list[Redaction] = []
        lifted: list[str] = []
        for r in self.redactions:
            if r.id in restore_ids or r.item_id in restore_ids:
                lifted.append(r.id)
            else:
                kept.append(r)
        already = {r.item_id for r in kept if r.whole_item and r.by == "reviewer"}
        for item_id, reason in reasons.items():
            if item_id in already:
                continue
            code = reason if reason in GROUNDS else REVIEWER
            explanation = explain(code) if reason in GROUNDS or not reason else reason
            kept.append(
                Redaction(
                    id=f"rev:{item_id}",
                    item_id=item_id,
                    reason=code,
                    explanation=explanation,
                    by="reviewer",
                )
            )
        return replace(
            self,
            redactions=tuple(kept),
            restored=tuple(dict.fromkeys((*self.restored, *lifted))),
        )

    # --- stored and released forms --------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The complete stored form (every value, with the redactions to apply)."""
        return {
            "format": FORMAT_VERSION,
            "kind": self.kind,
            "subject": self.subject.to_json(),
            "language": self.language,
            "generated_at": self.generated_at.isoformat(),
            "policy_version": self.policy_version,
            "items": [i.to_json() for i in self.items],
            "uses": [u.to_json() for u in self.uses],
            "consents": [c.to_json() for c in self.consents],
            "disclosures": self.disclosures,
            "redactions": [r.to_json() for r in self.redactions],
            "restored": list(self.restored),
            "incomplete_sources": [s.to_json() for s in self.incomplete_sources],
            "disposed": [d.to_json() for d in self.disposed],
            "labels": {lang: dict(words) for lang, words in self.labels.items()},
            "privacy_officer": dict(self.officer),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AccessFile:
        kind: FileKind = "portability" if data.get("kind") == "portability" else "access"
        return cls(
            kind=kind,
            subject=SubjectSummary.from_json(data["subject"]),
            language=str(data["language"]),
            generated_at=datetime.fromisoformat(str(data["generated_at"])),
            policy_version=data.get("policy_version"),
            items=tuple(FileItem.from_json(i) for i in data.get("items", ())),
            uses=tuple(PurposeUse.from_json(u) for u in data.get("uses", ())),
            consents=tuple(ConsentEntry.from_json(c) for c in data.get("consents", ())),
            disclosures=dict(data.get("disclosures") or {}),
            redactions=tuple(Redaction.from_json(r) for r in data.get("redactions", ())),
            restored=tuple(str(r) for r in data.get("restored", ())),
            incomplete_sources=tuple(
                IncompleteSource.from_json(s) for s in data.get("incomplete_sources", ())
            ),
            disposed=tuple(DisposedEntry.from_json(d) for d in data.get("disposed", ())),
            labels={
                str(lang): {str(k): str(v) for k, v in words.items()}
                for lang, words in (data.get("labels") or {}).items()
            },
            officer={str(k): str(v) for k, v in (data.get("privacy_officer") or {}).items()},
        )

    def released_json(self) -> dict[str, Any]:
        """What the individual receives: released values only; each withholding with its reason
        (never the withheld value, nor the position of a span in it)."""
        out = self.to_json()
        out["items"] = [i.to_json() for i in self.released_items()]
        out["withheld"] = [
            {
                "item_id": r.item_id,
                "category": (it.category if (it := self.item(r.item_id)) else None),
                "whole_item": r.whole_item,
                "reason": r.reason,
                "explanation": r.explanation,
            }
            for r in self.redactions
        ]
        del out["redactions"], out["restored"]
        out["complete"] = self.complete
        return out


def mask(value: str, spans: Iterable[Redaction]) -> str:
    """``value`` with each span replaced by :data:`WITHHELD_MARK` (overlaps merged)."""
    cuts = sorted((r.start or 0, r.end or 0) for r in spans)
    merged: list[tuple[int, int]] = []
    for start, end in cuts:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    out, pos = [], 0
    for start, end in merged:
        out.append(value[pos:start])
        out.append(WITHHELD_MARK)
        pos = end
    out.append(value[pos:])
    return "".join(out)


EXPLANATIONS: dict[str, dict[str, str]] = {
    "en": {
        THIRD_PARTY: "This contains personal information about another person, which we may not "
        "disclose to you.",
        CONFIDENTIAL: "This is confidential commercial information, which the law allows us to "
        "withhold.",
        PRIVILEGED: "This is protected by solicitor-client or litigation privilege.",
        REVIEWER: "Withheld by our Privacy Officer after review.",
    },
    "fr": {
        THIRD_PARTY: "Ceci contient des renseignements personnels sur une autre personne, que nous "
        "ne pouvons pas vous communiquer.",
        CONFIDENTIAL: "Il s'agit de renseignements commerciaux confidentiels, que la loi nous "
        "permet de ne pas communiquer.",
        PRIVILEGED: "Ceci est protégé par le secret professionnel de l'avocat ou le privilège "
        "relatif au litige.",
        REVIEWER: "Retenu par notre responsable de la protection des renseignements personnels "
        "après examen.",
    },
}


def explain(code: str, language: str = "en") -> str:
    lang = "fr" if language.startswith("fr") else "en"
    return EXPLANATIONS[lang].get(code, EXPLANATIONS[lang][REVIEWER])


@dataclass(frozen=True)
class WithholdingRule:
    """Marks information as confidential or privileged (ACC-5): every item of ``category``, or
    of a source's ``table``/``column`` (the data map's coordinates), is withheld on ``ground``.
    Unset fields match anything; a rule with nothing set matches nothing."""

    ground: str
    category: str | None = None
    source: str | None = None
    table: str | None = None
    column: str | None = None
    explanation: str | None = None

    def matches(self, item: FileItem) -> bool:
        if self.category is None and self.source is None:
            return False
        if self.category is not None and item.category != self.category:
            return False
        if self.source is not None:
            source, _, table = item.origin.partition("/")
            if item.section != "source" or source != self.source:
                return False
            if self.table is not None and table != self.table:
                return False
            if self.column is not None and item.column != self.column:
                return False
        return True
