"""What a semantic check sees and returns.

A check is a function ``(CheckContext) -> Iterable[Finding]`` registered in
:data:`confide.policy.checks.CHECKS`. It reads the merged policy (main policy
with product policies incorporated), and, when it needs them, the main policy
and each product policy as written. Each finding says where it is (file and
YAML path, resolved to line and column by the loader), what is wrong, how to fix
it, and which rule of rules.md it protects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from confide.domain.policy import Policy, ProductPolicy
from confide.policy.merge import Origins, Where


@dataclass(frozen=True)
class Finding:
    where: Where
    message: str
    hint: str | None = None
    rule: str | None = None
    key: bool = False
    """Point at the key of the mapping entry rather than its value."""


@dataclass(frozen=True)
class SourcedProduct:
    source: str
    product: ProductPolicy


@dataclass(frozen=True)
class CheckContext:
    policy: Policy
    """The merged policy: what Confide will run."""
    main: Policy
    main_source: str
    products: tuple[SourcedProduct, ...]
    origins: Origins

    def documents(self) -> list[tuple[str, Policy | ProductPolicy]]:
        """Each file as written: the main policy first, then the product policies."""
        return [(self.main_source, self.main), *((p.source, p.product) for p in self.products)]


Check = Callable[[CheckContext], Iterable[Finding]]
