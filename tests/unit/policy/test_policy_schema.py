"""The JSON Schema of policy files is exported, committed, and accepts the packaged policy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import yaml

from confide.policy import default_policy_path, policy_json_schema
from confide.policy.schema import schema_document

REPO = Path(__file__).resolve().parents[3]


def _as_json(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str))


def test_committed_schema_file_is_up_to_date() -> None:
    committed = (REPO / "docs" / "policy-schema.json").read_text(encoding="utf-8")
    assert committed == schema_document(), (
        "docs/policy-schema.json is stale: run `confide policy schema > docs/policy-schema.json`"
    )


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = policy_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False


def test_schema_describes_fields_with_the_models_docstrings() -> None:
    defs = policy_json_schema()["$defs"]
    telecom = defs["Category"]["properties"]["telecom_basic"]["description"]
    assert "DIS-5" in telecom
    assert set(defs["ConsentMode"]["enum"]) == {
        "implied",
        "express",
        "service_essential",
        "legal_obligation",
    }


def test_packaged_policy_validates_against_the_schema() -> None:
    data = _as_json(yaml.safe_load(default_policy_path().read_text(encoding="utf-8")))
    jsonschema.Draft202012Validator(policy_json_schema()).validate(data)


def test_product_policy_validates_against_its_schema_definition() -> None:
    schema = policy_json_schema()
    product_schema = {"$ref": "#/$defs/ProductPolicy", "$defs": schema["$defs"]}
    path = default_policy_path().parent / "products" / "travel.yaml"
    data = _as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    jsonschema.Draft202012Validator(product_schema).validate(data)


def test_schema_refuses_an_unknown_section() -> None:
    data = _as_json(yaml.safe_load(default_policy_path().read_text(encoding="utf-8")))
    data["colour"] = "red"
    errors = list(jsonschema.Draft202012Validator(policy_json_schema()).iter_errors(data))
    assert any("colour" in error.message for error in errors)
