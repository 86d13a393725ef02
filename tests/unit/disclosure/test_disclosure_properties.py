"""Properties of the disclosure engine over generated disclosures (Hypothesis)."""

from __future__ import annotations

from dataclasses import replace

from disclosure_support import (
    ALL_ON_FILE,
    EXCEPTION_CASES,
    express,
    packaged_policy,
    recipient,
    registered,
    subject,
    t,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from confide.domain.consent.events import ConsentEvent
from confide.domain.disclosure import (
    CONSENT,
    Basis,
    DisclosureSubject,
    ExceptionBasis,
    Place,
    Recipient,
    decide_disclosure,
)
from confide.domain.disclosure.exceptions import DebtReference, Evidence, rule_for
from confide.domain.disclosure.exceptions.base import blank
from confide.domain.policy import CLOSED_EXCEPTION_CODES

POLICY = packaged_policy()
AT = t("2026-03-02 10:00")
CLASSES = sorted(c.id for c in POLICY.recipient_classes)
CATEGORIES = sorted(c.id for c in POLICY.categories)
PURPOSES = sorted(p.id for p in POLICY.purposes if not (p.marketing and p.channels))
CODES = sorted(CLOSED_EXCEPTION_CODES)
PLACES = (Place("CA", "QC"), Place("CA", "ON"), Place("US", "NY"))

# Every kind of evidence, complete, blanked, or of a debt owed to someone else.
_GOOD: list[Evidence] = [case[3] for case in EXCEPTION_CASES.values()]
_BLANKED: list[Evidence] = [
    replace(e, **{f: " " for f in rule_for(code).required_fields})
    for code, e in ((c, EXCEPTION_CASES[c][3]) for c in CODES)
]
EVIDENCE = st.one_of(
    st.none(),
    st.sampled_from(_GOOD),
    st.sampled_from(_BLANKED),
    st.just(DebtReference("INV-1", owed_to_company=False)),
)
BASES: st.SearchStrategy[Basis] = st.one_of(
    st.just(CONSENT), st.builds(ExceptionBasis, st.sampled_from(CODES), EVIDENCE)
)


Case = tuple[Recipient, DisclosureSubject, list[str], str, Basis]


@st.composite
def disclosures(draw: st.DrawFn) -> Case:
    """Disclosures near the edge: mostly what the class allows, sometimes one step outside."""
    cls = draw(st.sampled_from(POLICY.recipient_classes))
    place = draw(st.sampled_from(PLACES))
    inside = draw(st.integers(0, 9)) > 1
    purpose = draw(st.sampled_from(cls.purposes if inside else PURPOSES))
    declared = POLICY.purpose(purpose)
    assert declared is not None
    fitting = [c for c in cls.categories if c in declared.categories] or list(cls.categories)
    cats = draw(st.lists(st.sampled_from(fitting), min_size=1, max_size=3, unique=True))
    if draw(st.booleans()):
        extra = draw(st.sampled_from(CATEGORIES))
        cats = cats if extra in cats else [*cats, extra]
    codes = [b for b in cls.bases if b in CLOSED_EXCEPTION_CODES]
    basis: Basis
    if codes and draw(st.integers(0, 9)) > 2:
        code = draw(st.sampled_from(codes))
        evidence = draw(st.one_of(st.just(EXCEPTION_CASES[code][3]), EVIDENCE))
        basis = ExceptionBasis(code, evidence)
    else:
        basis = draw(BASES)
    events: list[ConsentEvent] = []
    if draw(st.booleans()):
        events.append(registered("s-1", t("2026-01-05 10:00")))
    for pid in draw(st.lists(st.sampled_from([purpose, *PURPOSES]), max_size=3, unique=True)):
        events.append(express("s-1", pid, t("2026-02-01 10:00")))
    person = subject(
        "s-1",
        *events,
        province=draw(st.sampled_from(["QC", "ON"])),
        on_file=ALL_ON_FILE,
    )
    return recipient(cls.id, place), person, cats, purpose, basis


@settings(max_examples=400, deadline=None)
@given(disclosures())
def test_dis_3_nothing_is_allowed_for_a_category_outside_the_recipient_class(
    case: Case,
) -> None:
    to, person, cats, purpose, basis = case
    decision = decide_disclosure(POLICY, to, person, cats, purpose, basis, at=AT)
    cls = POLICY.recipient_class(to.class_id)
    assert cls is not None
    if not set(cats) <= set(cls.categories):
        assert not decision.allowed
    if decision.allowed:
        assert set(cats) <= set(cls.categories)
        assert purpose in cls.purposes
        assert basis.label in cls.bases or basis.label == "consent"


@settings(max_examples=400, deadline=None)
@given(disclosures())
def test_dis_2_an_exception_never_passes_without_its_own_complete_evidence(
    case: Case,
) -> None:
    to, person, cats, purpose, basis = case
    decision = decide_disclosure(POLICY, to, person, cats, purpose, basis, at=AT)
    if isinstance(basis, ExceptionBasis) and decision.allowed:
        rule = rule_for(basis.code)
        assert isinstance(basis.evidence, rule.evidence_type)
        assert not any(blank(getattr(basis.evidence, f)) for f in rule.required_fields)
        assert decision.evidence_reference
        if isinstance(basis.evidence, DebtReference):
            assert basis.evidence.owed_to_company


@settings(max_examples=200, deadline=None)
@given(disclosures())
def test_a_refusal_always_names_its_rules_and_explains_itself_in_both_languages(
    case: Case,
) -> None:
    to, person, cats, purpose, basis = case
    decision = decide_disclosure(POLICY, to, person, cats, purpose, basis, at=AT)
    assert decision.rules
    assert decision.text.en and decision.text.fr
    if not decision.allowed:
        assert decision.findings and decision.obligations == ()
        assert decision.text.en.startswith("Refused")
