"""The verifier must run without the service: it imports only the domain, cryptography
and the standard library (an auditor installs nothing else)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import confide.domain.audit
import confide.verifier

ALLOWED_THIRD_PARTY = {"cryptography"}


def _imports(package_dir: Path) -> set[str]:
    found: set[str] = set()
    for path in package_dir.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
    return found


def _outside(modules: set[str], allowed_confide: tuple[str, ...]) -> set[str]:
    bad = set()
    for name in modules:
        top = name.split(".")[0]
        if top == "confide":
            if not name.startswith(allowed_confide):
                bad.add(name)
        elif top not in sys.stdlib_module_names and top not in ALLOWED_THIRD_PARTY:
            bad.add(name)
    return bad


def test_the_verifier_imports_only_the_domain_cryptography_and_the_standard_library() -> None:
    package_dir = Path(confide.verifier.__file__).parent
    assert _outside(_imports(package_dir), ("confide.domain", "confide.verifier")) == set()


def test_the_audit_domain_imports_only_the_standard_library() -> None:
    package_dir = Path(confide.domain.audit.__file__).parent
    modules = _imports(package_dir)
    assert not any(m.split(".")[0] in ALLOWED_THIRD_PARTY for m in modules)
    assert _outside(modules, ("confide.domain",)) == set()
