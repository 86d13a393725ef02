"""The disclosure decision engine: may this subject's information go to this recipient now?

``decide_disclosure(policy, recipient, subject, categories, purpose_id, basis, at=...)``
answers with a :class:`DisclosureDecision`: allowed or refused, every finding
with its rule, a one-line explanation in the subject's language, the consent
event or exception relied on, the evidence reference, and obligations (an
emergency disclosure creates a written notice to the individual with a deadline).

Checks (all are made, so a refusal lists every reason, in this order):

- DIS-3: the recipient may receive the purpose, and each category is allowed
  for the recipient (its class) and for the purpose; DIS-1: each category is on
  file for the subject (the person gave it, or it was collected about them);
- DIS-4: an agreement on file must not have expired; outside Québec (for a
  Québec subject) or outside Canada, an impact assessment and a written
  agreement must be on file; outside Canada, the recipient's safeguards recorded;
- the basis: the recipient class must accept it (DIS-2). Consent is found by
  the consent engine (``confide.domain.consent.decide``) for the purpose; an
  implied consent is not enough where the class accepts only express consent,
  or (DIS-5) for a telecom customer's information beyond name, address and
  listed number. An exception must be declared by the policy and come with its
  own kind of evidence, every required field filled (``exceptions/``).

Bad input raises: an unknown purpose or category (consent errors), an
exception code off the closed list (``UnknownExceptionCode``), a recipient that
does not fit the policy (``InvalidRecipient``), no categories (``NoCategories``).

Pure: no clock, no I/O. For a batch (one recipient, many subjects) use
:func:`prepare_disclosure` once and :func:`decide_prepared` per subject; ``bulk.py``
does exactly that, so a bulk row and a single decision always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from confide.domain.calendar import require_aware, zone_for
from confide.domain.consent import Decision as ConsentDecision
from confide.domain.consent import Reason as ConsentReason
from confide.domain.consent import decide as consent_decide
from confide.domain.consent.errors import UnknownCategory, UnknownPurpose
from confide.domain.consent.events import ConsentKind
from confide.domain.consent.state import SubjectState
from confide.domain.consent.versions import PolicyHistory
from confide.domain.disclosure.basis import (
    ANY_CONSENT_BASES,
    EXPRESS_CONSENT_BASES,
    Basis,
    ExceptionBasis,
)
from confide.domain.disclosure.errors import EvidenceKindMismatch, NoCategories
from confide.domain.disclosure.exceptions import ExceptionRule, rule_for
from confide.domain.disclosure.obligations import Obligation
from confide.domain.disclosure.reasons import REASONS, DisclosureReason, Finding, finding
from confide.domain.disclosure.recipients import Recipient, validate_recipient
from confide.domain.policy import ConsentException, Policy, Purpose, RecipientClass, Text

R = DisclosureReason

#: Subject types whose information is telecom customer information (DIS-5). The policy has no
#: flag for this; a subject type acting for one of these counts too.
TELECOM_CUSTOMER_TYPES: frozenset[str] = frozenset({"customer", "authorized_user"})


@dataclass(frozen=True, slots=True)
class DisclosureSubject:
    """The subject as the disclosure rules need it: consent state (with its profile: id,
    province, language), the categories on file, and its subject type."""

    state: SubjectState
    categories_on_file: frozenset[str]
    subject_type: str = "customer"

    @property
    def subject_id(self) -> str:
        return self.state.profile.subject_id


class DisclosureDecision(NamedTuple):
    """The answer to a disclosure question, with its explanation (architecture habit 6)."""

    allowed: bool
    findings: tuple[Finding, ...]
    """Refused: every reason found. Allowed: the basis relied on."""
    rules: tuple[str, ...]
    text: Text
    language: str
    basis: str
    """``consent`` or the exception code."""
    consent_kind: str | None
    """``express`` or ``implied`` when the basis is consent and it was found."""
    relied_on: str | None
    """``consent:<event id>``, ``event:<event id>`` (an implied consent's trigger) or
    ``exception:<code>``."""
    evidence_reference: str | None
    obligations: tuple[Obligation, ...]
    subject_id: str
    recipient_id: str
    recipient_name: str
    recipient_class: str
    purpose_id: str
    categories: tuple[str, ...]
    policy_version: str
    at: datetime
    consent_decision: ConsentDecision | None = None

    @property
    def reasons(self) -> tuple[DisclosureReason, ...]:
        return tuple(f.reason for f in self.findings)

    @property
    def explanation(self) -> str:
        return self.text.in_language(self.language)

    def details(self, reason: DisclosureReason) -> tuple[str, ...]:
        """Every detail (ids, field names) the findings of ``reason`` name."""
        return tuple(d for f in self.findings if f.reason is reason for d in f.details)

    def to_dict(self) -> dict[str, object]:
        return {
            "allowed": self.allowed,
            "reasons": [str(r) for r in self.reasons],
            "findings": [f.to_dict() for f in self.findings],
            "rules": list(self.rules),
            "explanation": self.explanation,
            "explanation_en": self.text.en,
            "explanation_fr": self.text.fr,
            "basis": self.basis,
            "consent_kind": self.consent_kind,
            "relied_on": self.relied_on,
            "evidence_reference": self.evidence_reference,
            "obligations": [o.to_dict() for o in self.obligations],
            "subject_id": self.subject_id,
            "recipient_id": self.recipient_id,
            "recipient_class": self.recipient_class,
            "purpose_id": self.purpose_id,
            "categories": list(self.categories),
            "policy_version": self.policy_version,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class PreparedDisclosure:
    """Everything about a disclosure that does not depend on the subject, checked once."""

    policy: Policy
    recipient: Recipient
    recipient_class: RecipientClass
    purpose: Purpose
    categories: tuple[str, ...]
    categories_set: frozenset[str]
    consent_categories: tuple[str, ...]
    """The requested categories the purpose allows: what the consent engine is asked about."""
    at: datetime
    day: date
    """The disclosure's calendar date in the company's home time zone."""
    findings: tuple[Finding, ...]
    """Refusals whatever the subject (DIS-3, DIS-4 outside Canada, agreement expired)."""
    quebec_findings: tuple[Finding, ...]
    """Refusals for a Québec subject only (DIS-4: leaving Québec for another province)."""
    crosses_border: bool
    """The recipient is outside Québec (DIS-4 applies to a Québec subject)."""
    leaves_canada: bool
    """The recipient is outside Canada (DIS-4 applies to every subject)."""
    non_basic: tuple[str, ...]
    """Requested categories beyond telecom basic information (DIS-5)."""
    history: PolicyHistory | None
    plans: dict[str, _ExceptionPlan] = field(default_factory=dict, compare=False, repr=False)
    """Exception codes resolved for this disclosure (filled on first use; batch-local)."""


def prepare_disclosure(
    policy: Policy,
    recipient: Recipient,
    categories: Iterable[str],
    purpose_id: str,
    *,
    at: datetime,
    history: PolicyHistory | None = None,
) -> PreparedDisclosure:
    """Check what does not depend on the subject; raises for bad input (see the module)."""
    require_aware(at)
    cls = validate_recipient(policy, recipient)
    purpose = policy.purpose(purpose_id)
    if purpose is None:
        raise UnknownPurpose(purpose_id)
    cats = tuple(dict.fromkeys(categories))
    if not cats:
        raise NoCategories()
    for cid in cats:
        if policy.category(cid) is None:
            raise UnknownCategory(cid)

    findings: list[Finding] = []
    if purpose_id not in recipient.allowed_purposes(cls):
        findings.append(finding(R.PURPOSE_NOT_ALLOWED_FOR_RECIPIENT, (purpose_id,)))
    allowed = recipient.allowed_categories(cls)
    outside_class = tuple(c for c in cats if c not in allowed)
    if outside_class:
        findings.append(finding(R.CATEGORY_NOT_ALLOWED_FOR_RECIPIENT, outside_class))
    outside_purpose = tuple(c for c in cats if c not in purpose.categories)
    if outside_purpose:
        findings.append(finding(R.CATEGORY_NOT_ALLOWED_FOR_PURPOSE, outside_purpose))

    day = at.astimezone(zone_for(policy.organization.home_province)).date()
    border = _border_findings(recipient, day)
    place = recipient.place
    quebec: tuple[Finding, ...] = ()
    if place.outside_canada:
        findings.extend(border)
    else:
        findings.extend(f for f in border if f.reason is R.AGREEMENT_EXPIRED)
        if place.outside_quebec:
            quebec = tuple(f for f in border if f.reason is not R.AGREEMENT_EXPIRED)

    non_basic = tuple(c for c in cats if not _basic(policy, c))
    return PreparedDisclosure(
        policy=policy,
        recipient=recipient,
        recipient_class=cls,
        purpose=purpose,
        categories=cats,
        categories_set=frozenset(cats),
        consent_categories=tuple(c for c in cats if c in purpose.categories),
        at=at,
        day=day,
        findings=tuple(findings),
        quebec_findings=quebec,
        crosses_border=place.outside_quebec,
        leaves_canada=place.outside_canada,
        non_basic=non_basic,
        history=history,
    )


def _basic(policy: Policy, category_id: str) -> bool:
    category = policy.category(category_id)
    return category is not None and category.telecom_basic


def _border_findings(recipient: Recipient, day: date) -> tuple[Finding, ...]:
    """DIS-4 findings if the information leaves (agreement expiry is checked wherever it goes)."""
    out: list[Finding] = []
    assessment = recipient.impact_assessment
    if assessment is None or not assessment.on_file(day):
        out.append(finding(R.IMPACT_ASSESSMENT_MISSING, ("impact_assessment",)))
    agreement = recipient.agreement
    if agreement is None or not agreement.on_file(day):
        out.append(finding(R.AGREEMENT_MISSING, ("agreement",)))
    elif not agreement.in_force(day):
        out.append(finding(R.AGREEMENT_EXPIRED, ("agreement.expires_on",)))
    if not recipient.safeguards_recorded:
        out.append(finding(R.SAFEGUARDS_MISSING, ("safeguards",)))
    return tuple(out) if recipient.place.outside_canada else _inside_canada(out)


def _inside_canada(found: list[Finding]) -> tuple[Finding, ...]:
    return tuple(f for f in found if f.reason is not R.SAFEGUARDS_MISSING)


def decide_disclosure(
    policy: Policy,
    recipient: Recipient,
    subject: DisclosureSubject,
    categories: Iterable[str],
    purpose_id: str,
    basis: Basis,
    *,
    at: datetime,
    history: PolicyHistory | None = None,
) -> DisclosureDecision:
    """Decide whether ``subject``'s ``categories`` may be disclosed to ``recipient`` for
    ``purpose_id`` on ``basis`` at ``at``. ``history`` lists policy versions (CON-4)."""
    prepared = prepare_disclosure(policy, recipient, categories, purpose_id, at=at, history=history)
    return decide_prepared(prepared, subject, basis)


def _telecom_customer(policy: Policy, subject_type: str) -> bool:
    if subject_type in TELECOM_CUSTOMER_TYPES:
        return True
    declared = policy.subject_type(subject_type)
    return declared is not None and declared.acts_for in TELECOM_CUSTOMER_TYPES


class _Basis(NamedTuple):
    findings: list[Finding]
    allowed_finding: Finding | None
    rules: tuple[str, ...]
    consent_kind: str | None
    relied_on: str | None
    evidence_reference: str | None
    obligations: tuple[Obligation, ...]
    consent_decision: ConsentDecision | None
    text: Text | None


def decide_prepared(
    prepared: PreparedDisclosure, subject: DisclosureSubject, basis: Basis
) -> DisclosureDecision:
    """The decision for one subject of a prepared disclosure (see :func:`prepare_disclosure`)."""
    findings = list(prepared.findings)
    on_file = subject.categories_on_file
    if not on_file.issuperset(prepared.categories_set):
        missing = tuple(c for c in prepared.categories if c not in on_file)
        findings.append(finding(R.CATEGORY_NOT_ON_FILE, missing))
    quebec = subject.state.is_quebec
    if quebec:
        findings.extend(prepared.quebec_findings)
    telecom = bool(prepared.non_basic) and _telecom_customer(prepared.policy, subject.subject_type)

    outcome = (
        _exception(prepared, basis)
        if isinstance(basis, ExceptionBasis)
        else _consent(prepared, subject, telecom)
    )
    findings.extend(outcome.findings)

    profile = subject.state.profile
    recipient = prepared.recipient
    if findings:
        first = findings[0]
        allowed = False
        shown = tuple(findings)
        rules = tuple(dict.fromkeys(f.rule for f in findings))
        text = REASONS[first.reason].text
        obligations: tuple[Obligation, ...] = ()
    else:
        assert outcome.allowed_finding is not None
        allowed = True
        shown = (outcome.allowed_finding,)
        applied = ["DIS-1", "DIS-3", *outcome.rules]
        if prepared.leaves_canada or (quebec and prepared.crosses_border):
            applied.append("DIS-4")
        if telecom:
            applied.append("DIS-5")
        rules = tuple(dict.fromkeys(applied))
        text = outcome.text or REASONS[outcome.allowed_finding.reason].text
        obligations = outcome.obligations
    return DisclosureDecision(
        allowed=allowed,
        findings=shown,
        rules=rules,
        text=text,
        language=profile.language,
        basis=basis.label,
        consent_kind=outcome.consent_kind,
        relied_on=outcome.relied_on,
        evidence_reference=outcome.evidence_reference,
        obligations=obligations,
        subject_id=profile.subject_id,
        recipient_id=recipient.id,
        recipient_name=recipient.name,
        recipient_class=recipient.class_id,
        purpose_id=prepared.purpose.id,
        categories=prepared.categories,
        policy_version=prepared.policy.version,
        at=prepared.at,
        consent_decision=outcome.consent_decision,
    )


_CONSENT_KINDS: dict[ConsentReason, str] = {
    ConsentReason.EXPRESS_CONSENT: "express",
    ConsentReason.IMPLIED_CONSENT: "implied",
    # A service-essential purpose rests on the terms of service the individual accepted:
    # an implied consent for disclosure purposes (never an express one).
    ConsentReason.SERVICE_ESSENTIAL: "implied",
}


def _consent(prepared: PreparedDisclosure, subject: DisclosureSubject, telecom: bool) -> _Basis:
    bases = prepared.recipient_class.bases
    if EXPRESS_CONSENT_BASES.isdisjoint(bases):
        refused = finding(R.BASIS_NOT_ACCEPTED_BY_CLASS, ("consent",))
        return _Basis([refused], None, (), None, None, None, (), None, None)
    state = subject.state
    purpose_id = prepared.purpose.id
    decision = consent_decide(
        prepared.policy,
        state,
        purpose_id,
        prepared.consent_categories,
        at=prepared.at,
        history=prepared.history,
    )
    kind = _CONSENT_KINDS.get(decision.reasons[0]) if decision.allowed else None
    if kind is None:
        # Refused by the consent rules, or allowed on another footing (a legal obligation is
        # not a consent: it needs the required_by_law exception).
        details = tuple(str(r) for r in decision.reasons)
        refused = finding(R.NO_CONSENT, details)
        return _Basis([refused], None, (), None, None, None, (), decision, None)
    relied_on = decision.relied_on
    findings: list[Finding] = []
    express_for_class = ANY_CONSENT_BASES.isdisjoint(bases)
    if kind == "implied" and (express_for_class or telecom):
        grant = _express_grant(state, purpose_id, prepared.at)
        if grant is not None:
            kind, relied_on = "express", f"consent:{grant}"
        else:
            if express_for_class:
                findings.append(finding(R.EXPRESS_CONSENT_REQUIRED, (purpose_id,)))
            if telecom:
                findings.append(finding(R.TELECOM_EXPRESS_CONSENT_REQUIRED, prepared.non_basic))
    reason = R.EXPRESS_CONSENT if kind == "express" else R.IMPLIED_CONSENT
    allowed = Finding(reason, REASONS[reason].rule, (relied_on,) if relied_on else ())
    return _Basis(findings, allowed, (decision.rule,), kind, relied_on, None, (), decision, None)


def _express_grant(state: SubjectState, purpose_id: str, at: datetime) -> str | None:
    """An express consent to the purpose in force at ``at`` (withdrawals and expiry applied by
    the consent state), for purposes the consent engine answered on another footing."""
    for grant in state.consents(purpose_id, None, at).in_force:
        if grant.kind is ConsentKind.EXPRESS:
            return grant.event_id
    return None


class _ExceptionPlan(NamedTuple):
    """What relying on one exception code means for a prepared disclosure, resolved once."""

    rule: ExceptionRule
    declared: ConsentException | None
    findings: tuple[Finding, ...]
    relied_on: str
    allowed: Finding
    text: Text | None


def _plan(prepared: PreparedDisclosure, code: str) -> _ExceptionPlan:
    plan = prepared.plans.get(code)
    if plan is not None:
        return plan
    rule = rule_for(code)
    findings: list[Finding] = []
    declared = prepared.policy.exception(code)
    text: Text | None = None
    if declared is None:
        findings.append(finding(R.EXCEPTION_NOT_IN_POLICY, (code,)))
    elif declared.evidence != rule.evidence_kind:
        raise EvidenceKindMismatch(code, declared.evidence, rule.evidence_kind)
    else:
        description = declared.description
        text = Text(
            en="Allowed without consent: " + _lower_first(description.en),
            fr="Permis sans consentement : " + _lower_first(description.fr),
        )
    if code not in prepared.recipient_class.bases:
        findings.append(finding(R.BASIS_NOT_ACCEPTED_BY_CLASS, (code,)))
    allowed = Finding(R.LEGAL_EXCEPTION, "DIS-2", (code,))
    plan = _ExceptionPlan(rule, declared, tuple(findings), f"exception:{code}", allowed, text)
    prepared.plans[code] = plan
    return plan


def _exception(prepared: PreparedDisclosure, basis: ExceptionBasis) -> _Basis:
    plan = _plan(prepared, basis.code)
    evidence = basis.evidence
    problems = plan.rule.check(evidence)
    if problems or plan.findings or plan.declared is None or evidence is None:
        findings = [*plan.findings, *problems]
        return _Basis(findings, None, (), None, plan.relied_on, None, (), None, None)
    obligations = plan.rule.obligations(plan.declared, prepared.at)
    return _Basis(
        [],
        plan.allowed,
        ("DIS-2",),
        None,
        plan.relied_on,
        evidence.reference,
        obligations,
        None,
        plan.text,
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


__all__ = [
    "TELECOM_CUSTOMER_TYPES",
    "DisclosureDecision",
    "DisclosureSubject",
    "PreparedDisclosure",
    "decide_disclosure",
    "decide_prepared",
    "prepare_disclosure",
]
