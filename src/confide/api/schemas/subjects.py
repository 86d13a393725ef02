"""Bodies for subjects, their personal information and relationship events."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from confide.api.schemas.consent import LedgerEventOut
from confide.domain.subjects import PersonalInfoRecord, Subject


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SubjectIn(_In):
    subject_type: str = Field(max_length=50, examples=["customer"])
    province: str = Field(max_length=2, examples=["QC"])
    language: str = Field(default="en", max_length=5, examples=["fr"])
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=40)
    account: str | None = Field(default=None, max_length=100)
    employee_number: str | None = Field(default=None, max_length=100)
    external_ref: str | None = Field(default=None, max_length=100)
    acts_for: str | None = Field(
        default=None,
        max_length=40,
        description="For an authorized user: the account holder's subject id.",
    )
    birth_date: date | None = None
    display_name: str | None = Field(default=None, max_length=200)


class IdentifierOut(BaseModel):
    kind: str
    value: str


class SubjectOut(BaseModel):
    id: str
    subject_type: str
    province: str
    language: str
    created_at: datetime
    identifiers: list[IdentifierOut]
    acts_for: str | None
    external_ref: str | None
    birth_date: date | None
    display_name: str | None

    @classmethod
    def of(cls, s: Subject) -> SubjectOut:
        return cls(
            id=s.id,
            subject_type=s.subject_type,
            province=s.province,
            language=s.language,
            created_at=s.created_at,
            identifiers=[IdentifierOut(kind=i.kind.value, value=i.value) for i in s.identifiers],
            acts_for=s.acts_for,
            external_ref=s.external_ref,
            birth_date=s.birth_date,
            display_name=s.display_name,
        )


class SubjectPage(BaseModel):
    items: list[SubjectOut]
    total: int
    offset: int
    limit: int


class InformationIn(_In):
    category: str = Field(max_length=100, examples=["mailing_address"])
    value: str = Field(min_length=1, max_length=10_000)
    source: str = Field(max_length=100, examples=["from_individual"])
    purposes: list[str] = Field(min_length=1, max_length=50, examples=[["invoices_and_notices"]])
    system: str = Field(default="confide", max_length=100)
    country: str = Field(default="CA", min_length=2, max_length=2)
    province: str | None = Field(default=None, max_length=2)
    collected_at: AwareDatetime | None = None


class CorrectionIn(_In):
    value: str = Field(min_length=1, max_length=10_000)
    reason: str = Field(min_length=1, max_length=2000)


class InformationOut(BaseModel):
    id: str
    category: str
    value: str
    source: str
    purposes: list[str]
    system: str
    country: str
    province: str | None
    collected_at: datetime
    policy_version: str | None
    supersedes: str | None
    superseded_at: datetime | None
    correction_reason: str | None
    encrypted_at_rest: bool

    @classmethod
    def of(cls, r: PersonalInfoRecord) -> InformationOut:
        return cls(
            id=r.id,
            category=r.category,
            value=r.value,
            source=r.source,
            purposes=list(r.purposes),
            system=r.system,
            country=r.country,
            province=r.province,
            collected_at=r.collected_at,
            policy_version=r.policy_version,
            supersedes=r.supersedes,
            superseded_at=r.superseded_at,
            correction_reason=r.correction_reason,
            encrypted_at_rest=r.extra.get("sealed") == "1",
        )


class SubjectFileOut(BaseModel):
    subject: SubjectOut
    information: list[InformationOut]
    consent_history: list[LedgerEventOut]


class ImportOut(BaseModel):
    imported: int
