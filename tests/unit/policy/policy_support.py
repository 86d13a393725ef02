"""Helpers of the policy tests: private copies of the packaged policy and text positions."""

from __future__ import annotations

import shutil
from pathlib import Path

from confide.policy import PolicyProblem, default_policy_path


def copy_default_policy(tmp_path: Path) -> Path:
    """A private copy of the packaged policy directory; returns the main file's path."""
    target = tmp_path / "policy"
    shutil.copytree(default_policy_path().parent, target)
    return target / "confide.yaml"


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in the file (fails if absent or repeated)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"expected exactly one occurrence of {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def position(path: Path, snippet: str, offset: int = 0) -> tuple[int, int]:
    """1-based line and column of ``snippet`` (plus ``offset`` characters) in the file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(snippet) == 1, f"expected exactly one occurrence of {snippet!r}"
    index = text.index(snippet) + offset
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def at(problems: list[PolicyProblem], path: Path, line: int, column: int) -> list[PolicyProblem]:
    """The problems reported at that file, line and column."""
    return [p for p in problems if Path(p.file) == path and (p.line, p.column) == (line, column)]


def messages(problems: list[PolicyProblem]) -> str:
    return "\n".join(p.render() for p in problems)
