"""Loading and validating policy files.

``load_policy()`` reads the main policy file (the packaged default unless a path
is given), validates it and every product policy it lists, incorporates the
product policies and returns a :class:`LoadedPolicy`; any problem raises
:class:`PolicyInvalid` with all of them. ``validate_file()`` runs the same
analysis and returns the problems instead.

Validation has three stages, each reported with file, line and column:
YAML syntax, the schema (pydantic), and the semantic checks of
:mod:`confide.policy.checks` on the merged policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from confide.domain.policy import Policy, ProductPolicy
from confide.policy.checks import CHECKS, CheckContext, SourcedProduct
from confide.policy.errors import PolicyInvalid, PolicyProblem
from confide.policy.merge import merge
from confide.policy.schema import policy_adapter, product_adapter, validate_document
from confide.policy.yaml_source import YamlDocument, content_hash, read_yaml

_DEFAULT = Path(__file__).resolve().parent / "default" / "confide.yaml"


def default_policy_path() -> Path:
    """The packaged default policy: the company's privacy policy."""
    return _DEFAULT


@dataclass(frozen=True)
class LoadedPolicy:
    """A validated policy version, with what identifies it (POL-1)."""

    policy: Policy
    """The main policy with its product policies incorporated."""
    content_hash: str
    """sha256 hex over the canonical bytes of the main file then each product file."""
    path: Path
    source: str
    """The main policy file's text, as read."""
    products: tuple[ProductPolicy, ...] = ()
    product_sources: dict[str, str] = field(default_factory=dict)
    """Each product policy's file text, by product id."""

    @property
    def version(self) -> str:
        return self.policy.version

    @property
    def effective_date(self) -> date:
        return self.policy.effective_date


def load_policy(path: Path | None = None) -> LoadedPolicy:
    """Load, validate and merge a policy; raises :class:`PolicyInvalid` listing every problem."""
    target = path if path is not None else default_policy_path()
    loaded, problems = analyse(target)
    if problems or loaded is None:
        raise PolicyInvalid(str(target), problems)
    return loaded


def validate_file(path: Path) -> list[PolicyProblem]:
    """Every problem in the policy file and its product policies; empty when valid."""
    return analyse(path)[1]


def analyse(path: Path) -> tuple[LoadedPolicy | None, list[PolicyProblem]]:
    """The loaded policy (when valid) and every problem found, in file order."""
    document, problems = read_yaml(path, str(path))
    if document is None:
        return None, problems
    outcome = validate_document(document, Policy, policy_adapter())
    main = outcome.value
    problems += outcome.problems
    documents: dict[str, YamlDocument] = {document.label: document}
    products: list[SourcedProduct] = []
    product_docs: list[YamlDocument] = []
    seen_ids: set[str] = set()
    for index, ref in enumerate(_product_refs(main, document)):
        ref_id, ref_file = ref
        at = ("products", index)
        if ref_id in seen_ids:
            problems.append(
                document.problem(
                    (*at, "id"),
                    f"product policy '{ref_id}' is listed twice",
                    "list each product policy once",
                )
            )
            continue
        seen_ids.add(ref_id)
        product_path = path.parent / ref_file
        label = str(Path(document.label).parent / ref_file)
        if not product_path.resolve().is_relative_to(path.parent.resolve()):
            problems.append(
                document.problem(
                    (*at, "file"),
                    f"product policy file '{ref_file}' is outside this policy's folder",
                    "keep product policies beside the main file, e.g. products/<id>.yaml",
                )
            )
            continue
        if not product_path.is_file():
            problems.append(
                document.problem(
                    (*at, "file"),
                    f"product policy file '{ref_file}' not found",
                    "the path is relative to this policy file",
                )
            )
            continue
        product_doc, read_problems = read_yaml(product_path, label)
        problems += read_problems
        if product_doc is None:
            continue
        documents[label] = product_doc
        product_outcome = validate_document(product_doc, ProductPolicy, product_adapter())
        product = product_outcome.value
        problems += product_outcome.problems
        if product is None:
            continue
        if product.id != ref_id:
            problems.append(
                product_doc.problem(
                    ("id",),
                    f"product policy id '{product.id}' does not match "
                    f"'{ref_id}' listed in {document.label}",
                    "use the same id in both places",
                )
            )
        products.append(SourcedProduct(label, product))
        product_docs.append(product_doc)
    if main is None or problems:
        return None, _ordered(problems, documents)
    merged, origins = merge(main, document.label, [(p.source, p.product) for p in products])
    # The main policy must stand on its own, and the merged policy must hold too:
    # checking both also covers main items a product policy replaces.
    contexts = [CheckContext(merged, main, document.label, tuple(products), origins)]
    if products:
        _, main_origins = merge(main, document.label, [])
        contexts.insert(0, CheckContext(main, main, document.label, (), main_origins))
    for context, check in ((c, check) for c in contexts for check in CHECKS):
        for finding in check(context):
            source, yaml_path = finding.where
            problems.append(
                documents[source].problem(
                    yaml_path, finding.message, finding.hint, key=finding.key, rule=finding.rule
                )
            )
    if problems:
        return None, _ordered(problems, documents)
    loaded = LoadedPolicy(
        policy=merged,
        content_hash=content_hash([document, *product_docs]),
        path=path,
        source=document.text,
        products=tuple(p.product for p in products),
        product_sources={p.product.id: d.text for p, d in zip(products, product_docs, strict=True)},
    )
    return loaded, []


def _product_refs(main: Policy | None, document: YamlDocument) -> list[tuple[str, str]]:
    """The product policies listed; read from the raw data when the main file is invalid."""
    if main is not None:
        return [(ref.id, ref.file) for ref in main.products]
    raw: Any = document.data.get("products") if isinstance(document.data, dict) else None
    if not isinstance(raw, list):
        return []
    return [
        (str(item["id"]), str(item["file"]))
        for item in raw
        if isinstance(item, dict) and isinstance(item.get("file"), str) and "id" in item
    ]


def _ordered(
    problems: list[PolicyProblem], documents: dict[str, YamlDocument]
) -> list[PolicyProblem]:
    order = {label: index for index, label in enumerate(documents)}
    # The main policy is checked alone and merged: keep one of each problem per place.
    unique = {(p.file, p.line, p.column, p.message): p for p in reversed(problems)}.values()
    return sorted(
        unique, key=lambda p: (order.get(p.file, len(order)), p.line, p.column, p.message)
    )
