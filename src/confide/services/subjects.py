"""Use cases for subjects and the personal information held on them.

Each public method is one transaction and writes its audit record in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.consent.events import ConsentEvent
from confide.domain.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from confide.domain.policy import Sensitivity
from confide.domain.subjects import (
    Identifier,
    IdentifierKind,
    PersonalInfoRecord,
    Subject,
)
from confide.services.context import ServiceContext
from confide.services.ports.store import UnitOfWork
from confide.services.validation import check_language, check_province, normalize_identifier


@dataclass(frozen=True)
class RegisterSubject:
    subject_type: str
    province: str
    language: str = "en"
    email: str | None = None
    phone: str | None = None
    account: str | None = None
    employee_number: str | None = None
    external_ref: str | None = None
    acts_for: str | None = None
    birth_date: date | None = None
    display_name: str | None = None


@dataclass(frozen=True)
class RecordInformation:
    subject_id: str
    category: str
    value: str
    source: str
    purposes: tuple[str, ...]
    system: str = "confide"
    country: str = "CA"
    province: str | None = None
    collected_at: datetime | None = None


@dataclass(frozen=True)
class CorrectInformation:
    record_id: str
    value: str
    reason: str


@dataclass(frozen=True)
class SubjectFile:
    """A subject with the personal information Confide holds (current values, and history if asked)."""

    subject: Subject
    information: list[PersonalInfoRecord]
    consent_history: list[ConsentEvent] = field(default_factory=list)


class SubjectService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- registration -------------------------------------------------------------------------
    def validate_registration(
        self, cmd: RegisterSubject, prefix: str = ""
    ) -> tuple[Subject | None, list[FieldProblem]]:
        """Check one registration without touching the store (used by import too)."""
        policy = self.ctx.policy
        problems: list[FieldProblem] = []
        stype = policy.subject_type(cmd.subject_type)
        if stype is None:
            problems.append(
                FieldProblem(
                    f"{prefix}subject_type",
                    "is not a subject type of the policy",
                    "one of " + ", ".join(t.id for t in policy.subject_types),
                )
            )
        province, p = check_province(cmd.province, f"{prefix}province")
        if p:
            problems.append(p)
        language, p = check_language(cmd.language, f"{prefix}language")
        if p:
            problems.append(p)
        identifiers: list[Identifier] = []
        for kind, raw in (
            (IdentifierKind.EMAIL, cmd.email),
            (IdentifierKind.PHONE, cmd.phone),
            (IdentifierKind.ACCOUNT, cmd.account),
            (IdentifierKind.EMPLOYEE_NUMBER, cmd.employee_number),
        ):
            if raw is None or raw == "":
                continue
            value, p = normalize_identifier(kind, raw, f"{prefix}{kind.value}")
            if p:
                problems.append(p)
            elif value:
                identifiers.append(Identifier(kind, value))
        if not identifiers:
            problems.append(
                FieldProblem(
                    f"{prefix}email",
                    "a subject needs at least one identifier",
                    "give an email, phone, account or employee_number",
                )
            )
        if stype is not None and stype.acts_for and not cmd.acts_for:
            problems.append(
                FieldProblem(
                    f"{prefix}acts_for", f"a {stype.id} must name the account holder it acts for"
                )
            )
        if stype is not None and not stype.acts_for and cmd.acts_for:
            problems.append(
                FieldProblem(f"{prefix}acts_for", f"a {stype.id} does not act for another subject")
            )
        if cmd.birth_date and cmd.birth_date > self.ctx.now().date():
            problems.append(FieldProblem(f"{prefix}birth_date", "is in the future"))
        if cmd.display_name is not None and len(cmd.display_name) > 200:
            problems.append(FieldProblem(f"{prefix}display_name", "is longer than 200 characters"))
        if problems:
            return None, problems
        assert province and language
        subject = Subject(
            id=self.ctx.new_id("sub"),
            subject_type=cmd.subject_type,
            province=province,
            language=language,
            created_at=self.ctx.now(),
            identifiers=tuple(identifiers),
            acts_for=cmd.acts_for,
            external_ref=(cmd.external_ref or None),
            birth_date=cmd.birth_date,
            display_name=cmd.display_name,
        )
        return subject, []

    def register(self, principal: Principal, cmd: RegisterSubject) -> Subject:
        principal.require(Action.SUBJECTS_REGISTER)
        subject, problems = self.validate_registration(cmd)
        if problems or subject is None:
            raise ValidationFailed("the subject cannot be registered", problems)
        with self.ctx.uow() as uow:
            self._check_unique(uow, [subject])
            if subject.acts_for:
                holder = uow.subjects.get(subject.acts_for)
                if holder is None:
                    raise ValidationFailed.single("acts_for", "names no registered subject")
                expected = self.ctx.policy.subject_type(subject.subject_type)
                if expected and expected.acts_for and holder.subject_type != expected.acts_for:
                    raise ValidationFailed.single("acts_for", f"must name a {expected.acts_for}")
            uow.subjects.add(subject)
            uow.audit.record(
                self._audit(
                    principal,
                    "subject.registered",
                    subject.id,
                    subject.id,
                    {"subject_type": subject.subject_type, "province": subject.province},
                )
            )
            uow.commit()
        return subject

    def _check_unique(self, uow: UnitOfWork, subjects: list[Subject]) -> None:
        taken = uow.subjects.existing_identifiers(
            (i.kind, i.value) for s in subjects for i in s.identifiers
        )
        if taken:
            kinds = sorted({k.value for k, _ in taken})
            raise Conflict(f"another subject already has this {', '.join(kinds)}", fields=kinds)
        for s in subjects:
            if s.external_ref and uow.subjects.find_by_external_ref(s.external_ref):
                raise Conflict(
                    "another subject already has this external_ref", fields=["external_ref"]
                )

    # --- reading --------------------------------------------------------------------------------
    def get(self, principal: Principal, subject_id: str) -> Subject:
        principal.require(Action.SUBJECTS_READ)
        with self.ctx.uow(readonly=True) as uow:
            subject = uow.subjects.get(subject_id)
        if subject is None:
            raise NotFound("subject", subject_id)
        return subject

    def file(self, principal: Principal, subject_id: str, *, history: bool = False) -> SubjectFile:
        principal.require(Action.SUBJECTS_READ)
        with self.ctx.uow(readonly=True) as uow:
            subject = uow.subjects.get(subject_id)
            if subject is None:
                raise NotFound("subject", subject_id)
            return SubjectFile(
                subject,
                uow.personal_info.for_subject(subject_id, history=history),
                uow.consent.history(subject_id),
            )

    def find(self, principal: Principal, kind: IdentifierKind, raw: str) -> Subject:
        principal.require(Action.SUBJECTS_READ)
        value, problem = normalize_identifier(kind, raw, kind.value)
        if problem or value is None:
            raise ValidationFailed(
                problem.message if problem else "invalid", [problem] if problem else []
            )
        with self.ctx.uow(readonly=True) as uow:
            subject = uow.subjects.find_by_identifier(kind, value)
        if subject is None:
            raise NotFound("subject", f"with that {kind.value}")
        return subject

    def page(
        self, principal: Principal, offset: int = 0, limit: int = 50
    ) -> tuple[list[Subject], int]:
        principal.require(Action.SUBJECTS_READ)
        with self.ctx.uow(readonly=True) as uow:
            return uow.subjects.page(offset=offset, limit=limit), uow.subjects.count()

    # --- personal information ---------------------------------------------------------------------
    def record_information(
        self, principal: Principal, cmd: RecordInformation
    ) -> PersonalInfoRecord:
        principal.require(Action.PERSONAL_INFO_RECORD)
        policy = self.ctx.policy
        problems: list[FieldProblem] = []
        category = policy.category(cmd.category)
        if category is None:
            problems.append(FieldProblem("category", "is not a category of the policy"))
        if not any(s.id == cmd.source for s in policy.collection_sources):
            problems.append(
                FieldProblem(
                    "source",
                    "is not a collection source of the policy",
                    "one of " + ", ".join(s.id for s in policy.collection_sources),
                )
            )
        if not cmd.purposes:
            problems.append(
                FieldProblem("purposes", "name at least one purpose it was collected for")
            )
        for i, pid in enumerate(cmd.purposes):
            purpose = policy.purpose(pid)
            if purpose is None:
                problems.append(FieldProblem(f"purposes[{i}]", "is not a purpose of the policy"))
            elif category is not None and category.id not in purpose.categories:
                problems.append(
                    FieldProblem(
                        f"purposes[{i}]", f"purpose {pid} may not use category {category.id}"
                    )
                )
        if not cmd.value or len(cmd.value) > 10_000:
            problems.append(FieldProblem("value", "must have 1 to 10,000 characters"))
        if len(cmd.country) != 2 or not cmd.country.isalpha():
            problems.append(FieldProblem("country", "must be an ISO 3166 two-letter code"))
        province = None
        if cmd.province:
            province, p = check_province(cmd.province)
            if p:
                problems.append(p)
        now = self.ctx.now()
        if cmd.collected_at is not None and cmd.collected_at > now:
            problems.append(FieldProblem("collected_at", "is in the future"))
        if problems:
            raise ValidationFailed("the information cannot be recorded", problems)
        assert category is not None
        record = PersonalInfoRecord(
            id=self.ctx.new_id("pi"),
            subject_id=cmd.subject_id,
            category=category.id,
            value=cmd.value,
            source=cmd.source,
            purposes=tuple(cmd.purposes),
            system=cmd.system,
            country=cmd.country.upper(),
            province=province,
            collected_at=cmd.collected_at or now,
            policy_version=self.ctx.require_active().version_id,
            extra={"sealed": "1"} if category.sensitivity is Sensitivity.HIGH else {},
        )
        with self.ctx.uow() as uow:
            if uow.subjects.get(cmd.subject_id) is None:
                raise NotFound("subject", cmd.subject_id)
            uow.personal_info.add(record)
            uow.audit.record(
                self._audit(
                    principal,
                    "personal_info.collected",
                    record.id,
                    cmd.subject_id,
                    {
                        "category": record.category,
                        "source": record.source,
                        "purposes": list(record.purposes),
                    },
                )
            )
            uow.commit()
        return record

    def correct(self, principal: Principal, cmd: CorrectInformation) -> PersonalInfoRecord:
        """Apply a correction: the new value supersedes the old one, which stays in the history."""
        principal.require(Action.PERSONAL_INFO_CORRECT)
        if not cmd.value or len(cmd.value) > 10_000:
            raise ValidationFailed.single("value", "must have 1 to 10,000 characters")
        if not cmd.reason.strip():
            raise ValidationFailed.single("reason", "say why the value is corrected")
        with self.ctx.uow() as uow:
            old = uow.personal_info.get(cmd.record_id)
            if old is None:
                raise NotFound("personal information record", cmd.record_id)
            if not old.current:
                raise Conflict(
                    "this value was already corrected; correct the current one", record_id=old.id
                )
            now = self.ctx.now()
            new = PersonalInfoRecord(
                id=self.ctx.new_id("pi"),
                subject_id=old.subject_id,
                category=old.category,
                value=cmd.value,
                source=old.source,
                purposes=old.purposes,
                system=old.system,
                country=old.country,
                province=old.province,
                collected_at=now,
                policy_version=self.ctx.require_active().version_id,
                supersedes=old.id,
                correction_reason=cmd.reason.strip(),
                extra=dict(old.extra),
            )
            uow.personal_info.mark_superseded(old.id, now)
            uow.personal_info.add(new)
            uow.audit.record(
                self._audit(
                    principal,
                    "personal_info.corrected",
                    new.id,
                    old.subject_id,
                    {"category": old.category, "supersedes": old.id},
                )
            )
            uow.commit()
        return new

    def _audit(
        self,
        principal: Principal,
        action: str,
        object_id: str,
        subject_id: str,
        details: dict[str, object],
    ) -> AuditRecord:
        active = self.ctx.active
        return AuditRecord(
            action=action,
            actor=principal.user_id,
            object_type=action.split(".", 1)[0],
            object_id=object_id,
            at=self.ctx.now(),
            policy_version=active.version_id if active else None,
            subject_id=subject_id,
            details=details,
        )
