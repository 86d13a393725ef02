"""Errors of the policy layer.

A policy file is judged whole: :func:`confide.policy.validate_file` returns every
:class:`PolicyProblem` found, and :func:`confide.policy.load_policy` raises
:class:`PolicyInvalid` carrying all of them. Messages name fields, ids and rule
ids, never personal information (a policy file holds none anyway).
"""

from __future__ import annotations

from dataclasses import dataclass

from confide.domain.errors import FieldProblem, ValidationFailed


@dataclass(frozen=True, order=True)
class PolicyProblem:
    """One problem in a policy file, at a 1-based line and column."""

    file: str
    line: int
    column: int
    message: str
    hint: str | None = None
    rule: str | None = None
    """The rule of rules.md the problem breaks, when there is one (e.g. ``RET-1``)."""

    def render(self) -> str:
        """``FILE:LINE:COL: [RULE] message (hint)``, the form editors and CI logs understand."""
        rule = f"[{self.rule}] " if self.rule else ""
        text = f"{self.file}:{self.line}:{self.column}: {rule}{self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def as_field_problem(self) -> FieldProblem:
        return FieldProblem(f"{self.file}:{self.line}:{self.column}", self.message, self.hint)


class PolicyInvalid(ValidationFailed):
    """A policy file (or one of its product policies) is invalid; ``policy_problems`` lists all."""

    code = "policy_invalid"
    title = "Invalid policy file"

    def __init__(self, file: str, problems: list[PolicyProblem]) -> None:
        count = len(problems)
        super().__init__(
            f"{file}: {count} problem{'s' if count != 1 else ''} in the policy",
            [p.as_field_problem() for p in problems],
        )
        self.file = file
        self.policy_problems: list[PolicyProblem] = list(problems)
