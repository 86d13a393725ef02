"""Reading a YAML policy file while keeping where every value came from.

PyYAML's composer gives each node a start mark (0-based line and column); the
documents keep the node tree so a problem found later, in the schema or in a
semantic check, can point at ``line:column`` of the value it is about.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from confide.policy.errors import PolicyProblem

# libyaml's loader is ten times faster and gives the same marks; PyYAML may be built without it.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: A path into a YAML document: mapping keys and sequence indexes.
YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDocument:
    """One parsed YAML file: its text, plain data and node tree."""

    path: Path
    label: str
    """How problems name the file (the path as the user gave it)."""
    text: str
    data: Any
    root: yaml.Node | None

    def locate(self, path: YamlPath, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the node at ``path``.

        Walks as deep as the path exists: a missing key points at the mapping
        that should hold it. ``key=True`` points at the key rather than its value.
        """
        node = self.root
        if node is None:
            return (1, 1)
        mark = node.start_mark
        for step in path:
            found: yaml.Node | None = None
            found_key: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                for key_node, value_node in node.value:
                    # no break: with a repeated key, the last one is the value YAML keeps
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == step:
                        found, found_key = value_node, key_node
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(step, int)
                and 0 <= step < len(node.value)
            ):
                found = node.value[step]
            if found is None:
                break
            node = found
            mark = found_key.start_mark if (key and found_key is not None) else found.start_mark
        return (mark.line + 1, mark.column + 1)

    def problem(
        self,
        path: YamlPath,
        message: str,
        hint: str | None = None,
        *,
        key: bool = False,
        rule: str | None = None,
    ) -> PolicyProblem:
        line, column = self.locate(path, key=key)
        return PolicyProblem(self.label, line, column, message, hint, rule)

    def canonical_bytes(self) -> bytes:
        """The document's data as canonical JSON: sorted keys, no insignificant whitespace.

        Formatting, comments and key order do not change it; any change of
        meaning does. This is what the policy's content hash covers.
        """
        return json.dumps(
            self.data,
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            default=_json_default,
        ).encode("utf-8")


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"unsupported YAML value of type {type(value).__name__}")


def read_yaml(
    path: Path, label: str | None = None
) -> tuple[YamlDocument | None, list[PolicyProblem]]:
    """Parse ``path``; returns the document, or None and the problems that prevented it."""
    shown = label or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return None, [
            PolicyProblem(
                shown, 1, 1, f"cannot read the file: {reason}", "check the path and permissions"
            )
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            PolicyProblem(
                shown, line, column, "the file is not valid UTF-8", "save the file as UTF-8"
            )
        ]
    return parse_yaml_text(text, path=path, label=shown)


def parse_yaml_text(
    text: str, *, path: Path, label: str
) -> tuple[YamlDocument | None, list[PolicyProblem]]:
    loader = _SafeLoader(text)
    try:
        root = loader.get_single_node()
        problems = _duplicate_keys(root, label)
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        return None, [
            PolicyProblem(
                label,
                line,
                column,
                f"YAML syntax error: {what}",
                "check indentation, colons and quotes near this point",
            )
        ]
    except yaml.YAMLError as exc:
        return None, [
            PolicyProblem(
                label,
                1,
                1,
                f"YAML error: {type(exc).__name__}",
                "check the file is a single YAML document",
            )
        ]
    finally:
        loader.dispose()
    return YamlDocument(path=path, label=label, text=text, data=data, root=root), problems


def _duplicate_keys(node: yaml.Node | None, label: str) -> list[PolicyProblem]:
    """PyYAML silently keeps the last of two equal keys; a policy must not."""
    problems: list[PolicyProblem] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in current.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in seen:
                        mark = key_node.start_mark
                        problems.append(
                            PolicyProblem(
                                label,
                                mark.line + 1,
                                mark.column + 1,
                                f"duplicate key '{key_node.value}'",
                                "a key may appear once per mapping; merge or remove the repeat",
                            )
                        )
                    seen.add(key_node.value)
                stack.append(value_node)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(problems)


def content_hash(documents: list[YamlDocument]) -> str:
    """sha256 hex over the canonical bytes of each document, in order, each length-prefixed."""
    digest = hashlib.sha256(b"confide-policy/1\n")
    for document in documents:
        body = document.canonical_bytes()
        digest.update(len(body).to_bytes(8, "big"))
        digest.update(body)
    return digest.hexdigest()
