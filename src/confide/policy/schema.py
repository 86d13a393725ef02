"""The policy's schema: pydantic validation of the domain dataclasses and its JSON Schema.

The domain model (:mod:`confide.domain.policy`) is plain frozen dataclasses;
pydantic's ``TypeAdapter`` validates YAML data into them and exports their JSON
Schema, with the attribute docstrings as descriptions. Validation errors are
turned into :class:`PolicyProblem` at the line and column of the offending value.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from confide.domain.policy import Policy, ProductPolicy
from confide.policy.errors import PolicyProblem
from confide.policy.yaml_source import YamlDocument

T = TypeVar("T")


@dataclass(frozen=True)
class ValidationOutcome(Generic[T]):
    value: T | None
    problems: list[PolicyProblem]


SCHEMA_ID = "https://confide.example/schemas/policy.json"


@cache
def policy_adapter() -> TypeAdapter[Policy]:
    return TypeAdapter(Policy)


@cache
def product_adapter() -> TypeAdapter[ProductPolicy]:
    return TypeAdapter(ProductPolicy)


def policy_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a main policy file; product policy files are in ``$defs``."""
    schema = policy_adapter().json_schema(mode="validation")
    product = product_adapter().json_schema(mode="validation")
    defs: dict[str, Any] = dict(schema.pop("$defs", {}))
    defs.update(product.pop("$defs", {}))
    defs["ProductPolicy"] = product
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "$defs": dict(sorted(defs.items())),
    }


def schema_document() -> str:
    """The text of docs/policy-schema.json: the schema as indented JSON with a final newline."""
    return json.dumps(policy_json_schema(), indent=2, ensure_ascii=False) + "\n"


def validate_document(
    document: YamlDocument, model: type[T], adapter: TypeAdapter[T]
) -> ValidationOutcome[T]:
    """Validate a document's data into ``model``; problems point at the YAML nodes."""
    if not isinstance(document.data, dict):
        return ValidationOutcome(
            None,
            [
                document.problem(
                    (),
                    "a policy file must be a mapping of sections",
                    "start the file with 'id:', 'version:' and the other sections",
                )
            ],
        )
    try:
        return ValidationOutcome(adapter.validate_python(document.data), [])
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        return ValidationOutcome(
            None, sorted(_to_problem(document, model, error) for error in errors)
        )


def _to_problem(document: YamlDocument, model: type[Any], error: ErrorDetails) -> PolicyProblem:
    loc = tuple(error["loc"])
    kind = error["type"]
    where = ".".join(str(step) for step in loc) or "(document)"
    if kind == "missing":
        field = str(loc[-1]) if loc else "?"
        return document.problem(
            loc, f"{where}: required field '{field}' is missing", f"add '{field}:' here"
        )
    if kind in {"unexpected_keyword_argument", "extra_forbidden"}:
        allowed = _allowed_fields(model, loc[:-1])
        hint = "remove it or fix its spelling"
        if allowed:
            hint += "; allowed here: " + ", ".join(allowed)
        return document.problem(loc, f"{where}: unknown field '{loc[-1]}'", hint, key=True)
    return document.problem(loc, f"{where}: {error['msg']}", _HINTS.get(kind))


_HINTS: dict[str, str] = {
    "string_type": 'write text; quote values YAML reads as numbers or dates, e.g. "1.0"',
    "int_type": "write a whole number",
    "int_parsing": "write a whole number",
    "int_from_float": "write a whole number",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "date_type": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
    "date_from_datetime_inexact": "write the date as YYYY-MM-DD",
    "enum": "use one of the listed values",
    "tuple_type": "write a list, e.g. [a, b] or one '- item' per line",
    "dataclass_type": "write a mapping of fields (key: value lines)",
    "dataclass_args_type": "write a mapping of fields (key: value lines)",
}


def _allowed_fields(model: type[Any], loc: tuple[int | str, ...]) -> list[str]:
    """Field names of the dataclass found by following ``loc`` from ``model``."""
    current: Any = model
    for step in loc:
        current = _unwrap(current)
        if isinstance(step, int):
            args = typing.get_args(current)
            if not args:
                return []
            current = args[0]
            continue
        if not (isinstance(current, type) and dataclasses.is_dataclass(current)):
            return []
        hints = _type_hints(current)
        if step not in hints:
            return []
        current = hints[step]
    current = _unwrap(current)
    if isinstance(current, type) and dataclasses.is_dataclass(current):
        return [f.name for f in dataclasses.fields(current)]
    return []


def _unwrap(annotation: Any) -> Any:
    """``X | None`` -> ``X``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation


@cache
def _type_hints(cls: type[Any]) -> dict[str, Any]:
    return typing.get_type_hints(cls)
