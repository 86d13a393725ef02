"""The confidential and privileged marks read from the data directory (ACC-5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from confide.domain.access_file import CONFIDENTIAL, PRIVILEGED, WithholdingRule
from confide.domain.errors import ValidationFailed
from confide.services.access_file import read_withholding


def test_acc_5_no_file_means_no_marks(tmp_path: Path) -> None:
    assert read_withholding(tmp_path / "access-withholding.json") == ()


def test_acc_5_marks_by_category_and_by_source_column(tmp_path: Path) -> None:
    path = tmp_path / "access-withholding.json"
    path.write_text(
        json.dumps(
            [
                {"ground": CONFIDENTIAL, "category": "credit_information"},
                {
                    "ground": PRIVILEGED,
                    "source": "legal",
                    "table": "files",
                    "column": "memo",
                    "explanation": "Avis juridique protégé",
                },
            ]
        ),
        encoding="utf-8",
    )
    assert read_withholding(path) == (
        WithholdingRule(CONFIDENTIAL, category="credit_information"),
        WithholdingRule(PRIVILEGED, None, "legal", "files", "memo", "Avis juridique protégé"),
    )


def test_acc_5_bad_marks_are_refused_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "access-withholding.json"
    path.write_text(
        json.dumps(
            [
                {"ground": "secret", "category": "x"},
                {"ground": PRIVILEGED},
                3,
                {"ground": CONFIDENTIAL, "category": "x", "colour": "red"},
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as err:
        read_withholding(path)
    assert [p.location for p in err.value.problems] == [
        "access-withholding.json[0].ground",
        "access-withholding.json[1]",
        "access-withholding.json[2]",
        "access-withholding.json[3]",
    ]
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationFailed):
        read_withholding(path)
