"""Reading, validating and comparing policy files.

The company's privacy policy is a YAML file (the packaged default is
``confide/policy/default/confide.yaml``) with product- or service-specific
policies beside it. This package turns such files into the domain's
:class:`~confide.domain.policy.Policy`:

- :func:`load_policy` — load, validate and merge; raises :class:`PolicyInvalid`.
- :func:`validate_file` — every :class:`PolicyProblem` (line, column, message, hint).
- :func:`diff` — what changed between two versions, in a privacy officer's terms.
- :func:`policy_json_schema` — the JSON Schema of a policy file (docs/policy-schema.json).
"""

from __future__ import annotations

from confide.policy.diff import FieldChange, ItemChange, PolicyDiff, SectionDiff, diff
from confide.policy.errors import PolicyInvalid, PolicyProblem
from confide.policy.loader import LoadedPolicy, default_policy_path, load_policy, validate_file
from confide.policy.schema import policy_json_schema

__all__ = [
    "FieldChange",
    "ItemChange",
    "LoadedPolicy",
    "PolicyDiff",
    "PolicyInvalid",
    "PolicyProblem",
    "SectionDiff",
    "default_policy_path",
    "diff",
    "load_policy",
    "policy_json_schema",
    "validate_file",
]
