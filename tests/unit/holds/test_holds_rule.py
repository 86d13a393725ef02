"""The rule of legal holds (ACC-8, RET-2): does a hold apply to (subject, category, system) at
an instant? Read as the rule: scope, closing, instants, and the errors that name holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from confide.api.problems import status_for
from confide.domain.errors import ConfideError
from confide.domain.holds import (
    OPENED_BY_HAND,
    REQUEST_KINDS,
    HoldClosed,
    HoldKind,
    HoldScope,
    HoldScopeMissing,
    LegalHold,
    OnHold,
    holds_applying,
)
from confide.domain.requests.model import Hold
from confide.domain.requests.model import HoldKind as ShownKind

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)


def hold(
    subject_id: str | None = None,
    category: str | None = None,
    system: str | None = None,
    *,
    kind: HoldKind = HoldKind.LITIGATION,
    hold_id: str = "hold_1",
    cause: str | None = None,
) -> LegalHold:
    return LegalHold(
        id=hold_id,
        kind=kind,
        scope=HoldScope(subject_id, category, system),
        opened_at=T0,
        opened_by="u-officer",
        reason="Court file 500-17-1",
        cause=cause,
    )


def test_acc_8_a_hold_names_at_least_a_subject_a_category_or_a_system() -> None:
    with pytest.raises(HoldScopeMissing) as missing:
        HoldScope()
    assert [p.location for p in missing.value.problems] == ["scope"]
    assert HoldScope(system="crm").system == "crm"


def test_acc_8_a_subject_hold_keeps_that_subject_only() -> None:
    h = hold("sub_a")
    assert h.applies_to("sub_a", None, None, T0)
    assert h.applies_to("sub_a", "billing_records", "crm", T0)
    assert not h.applies_to("sub_b", None, None, T0)


def test_acc_8_a_category_hold_keeps_that_category_of_every_subject() -> None:
    h = hold(category="billing_records")
    assert h.applies_to("sub_a", "billing_records", "billing", T0)
    assert h.applies_to("sub_b", "billing_records", None, T0)
    assert not h.applies_to("sub_a", "usage_data", None, T0)


def test_acc_8_erasing_everything_on_a_subject_meets_a_hold_on_any_of_its_categories() -> None:
    # None in the action means all of them: an erasure of the whole subject takes the category.
    assert hold(category="billing_records").applies_to("sub_a", None, None, T0)
    assert hold(system="crm").applies_to("sub_a", None, None, T0)


def test_acc_8_a_system_hold_does_not_keep_what_other_systems_hold() -> None:
    h = hold(system="crm")
    assert h.applies_to("sub_a", "name", "crm", T0)
    assert not h.applies_to("sub_a", "name", "confide", T0)


def test_acc_8_a_scope_with_several_dimensions_keeps_their_intersection() -> None:
    h = hold("sub_a", "billing_records", "billing")
    assert h.applies_to("sub_a", "billing_records", "billing", T0)
    assert not h.applies_to("sub_a", "usage_data", "billing", T0)
    assert not h.applies_to("sub_b", "billing_records", "billing", T0)
    assert not h.applies_to("sub_a", "billing_records", "crm", T0)


def test_acc_8_a_hold_applies_from_its_opening_until_its_closing() -> None:
    h = hold("sub_a")
    assert not h.applies_to("sub_a", None, None, T0 - timedelta(seconds=1))
    assert h.applies_to("sub_a", None, None, T0)
    closed = h.close(T0 + DAY, "u-officer", "Settled")
    assert closed.applies_to("sub_a", None, None, T0 + DAY - timedelta(seconds=1))
    assert not closed.applies_to("sub_a", None, None, T0 + DAY)  # the closing instant is free
    assert not closed.active and h.active
    assert (closed.closed_by, closed.closed_reason) == ("u-officer", "Settled")


def test_acc_8_a_closed_hold_cannot_be_closed_again_nor_before_it_opened() -> None:
    h = hold("sub_a")
    with pytest.raises(ConfideError) as early:
        h.close(T0 - DAY, "u-officer", "x")
    assert "closed_at" in str(early.value)
    closed = h.close(T0 + DAY, "u-officer", "Settled")
    with pytest.raises(HoldClosed):
        closed.close(T0 + 2 * DAY, "u-officer", "again")


def test_ret_2_holds_applying_keeps_only_those_in_force_that_cover_the_action() -> None:
    holds = [
        hold("sub_a", hold_id="hold_a"),
        hold("sub_b", hold_id="hold_b"),
        hold(category="usage_data", hold_id="hold_c"),
        hold("sub_a", hold_id="hold_d").close(T0 + DAY, "u", "done"),
    ]
    found = holds_applying(holds, "sub_a", "name", None, T0 + 2 * DAY)
    assert [h.id for h in found] == ["hold_a"]
    found = holds_applying(holds, "sub_a", None, None, T0 + timedelta(hours=1))
    assert [h.id for h in found] == ["hold_a", "hold_c", "hold_d"]


def test_acc_8_on_hold_names_the_holds_and_rule_and_is_a_409() -> None:
    error = OnHold(["hold_b", "hold_a"])
    assert error.hold_ids == ("hold_a", "hold_b")
    assert error.rule == "ACC-8" and "hold_a, hold_b" in str(error)
    assert status_for(error) == 409
    assert status_for(HoldClosed("hold_a")) == 409


def test_requests_holds_are_opened_by_their_request_the_others_by_hand() -> None:
    assert {HoldKind.ACCESS_REQUEST, HoldKind.CORRECTION_REQUEST} == REQUEST_KINDS
    assert {
        HoldKind.COMPLAINT,
        HoldKind.BREACH_INVESTIGATION,
        HoldKind.LITIGATION,
        HoldKind.REGULATOR_ORDER,
    } == OPENED_BY_HAND


def test_the_requests_area_shows_a_requests_hold_by_its_request() -> None:
    shown = Hold.of(hold("sub_a", kind=HoldKind.CORRECTION_REQUEST, cause="req_1"), "sub_a")
    assert (shown.kind, shown.reference, shown.active) == (ShownKind.REQUEST, "req_1", True)
    other = Hold.of(hold(category="usage_data", hold_id="hold_9", cause="500-17-1"), "sub_a")
    assert (other.kind, other.reference, other.subject_id) == (
        ShownKind.LITIGATION,
        "hold_9",
        "sub_a",
    )
