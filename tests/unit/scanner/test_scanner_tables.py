"""k-anonymity and l-diversity over quasi-identifiers, checked against pycanon."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from pycanon import anonymity

from confide.scanner.anonymize.tables import (
    anonymize_table,
    date_hierarchy,
    measure,
    number_hierarchy,
    postal_code_hierarchy,
)
from confide.scanner.corpus.values import postal_code
from confide.scanner.errors import AnonymityTargetUnreachable, UnknownColumn

QUASI = ["postal_code", "birth_date", "age"]


def table(seed: int, n: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        rows.append(
            {
                "postal_code": postal_code(rng, rng.choice(["QC", "ON"])),
                "birth_date": f"{rng.randint(1950, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "age": str(rng.randint(18, 90)),
                "diagnosis": rng.choice(["flu", "asthma", "diabetes", "none"]),
            }
        )
    return rows


HIERARCHIES = {
    "postal_code": postal_code_hierarchy,
    "birth_date": date_hierarchy,
    "age": number_hierarchy,
}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_measured_k_and_l_equal_pycanons(seed: int) -> None:
    rows = table(seed, 120)
    coarse = [
        {**r, "postal_code": r["postal_code"][:1], "birth_date": r["birth_date"][:3]} for r in rows
    ]
    for data in (rows, coarse):
        report = measure(data, ["postal_code", "birth_date"], "diagnosis")
        df = pd.DataFrame(data)
        assert report.k == anonymity.k_anonymity(df, ["postal_code", "birth_date"])
        assert report.l_diversity == anonymity.l_diversity(
            df, ["postal_code", "birth_date"], ["diagnosis"]
        )


@pytest.mark.parametrize("k", [2, 5, 10])
def test_generalization_reaches_the_target_k_as_pycanon_measures_it(k: int) -> None:
    rows = table(7, 300)
    out, report = anonymize_table(rows, QUASI, k, HIERARCHIES, sensitive="diagnosis")
    assert anonymity.k_anonymity(pd.DataFrame(out), QUASI) >= k
    assert report.k >= k
    assert any(level > 0 for level in report.levels.values())
    assert [r["diagnosis"] for r in out] == [r["diagnosis"] for r in rows]


def test_a_table_already_k_anonymous_is_left_as_it_is() -> None:
    rows = [{"postal_code": "H2X 1Y4", "age": "40"}] * 3
    out, report = anonymize_table(rows, ["postal_code", "age"], 3, HIERARCHIES)
    assert out == [dict(r) for r in rows] and report.levels == {"postal_code": 0, "age": 0}


def test_hierarchies_coarsen_step_by_step_to_a_star() -> None:
    assert [postal_code_hierarchy("H2X 1Y4", i) for i in range(6)] == [
        "H2X1Y4",
        "H2X",
        "H2",
        "H",
        "*",
        "*",
    ]
    assert [date_hierarchy("1985-03-12", i) for i in range(5)] == [
        "1985-03-12",
        "1985-03",
        "1985",
        "1980s",
        "*",
    ]
    assert [number_hierarchy("42", i) for i in range(5)] == ["42", "40-44", "40-49", "0-99", "*"]


def test_a_k_larger_than_the_table_cannot_be_reached() -> None:
    with pytest.raises(AnonymityTargetUnreachable) as info:
        anonymize_table(table(1, 4), QUASI, 5, HIERARCHIES)
    assert info.value.fields == {"k": 5, "reached": 4}


def test_an_unknown_quasi_identifier_is_refused_by_name() -> None:
    with pytest.raises(UnknownColumn) as info:
        measure(table(1, 3), ["postcode"])
    assert "postcode" in str(info.value)
