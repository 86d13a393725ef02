"""The certificate of disposal (RET-2): what was disposed of, when, how, under which rule and
policy version, who approved it.

The certificate names no person and holds no value: categories, systems, counts, the rules,
and ``records_sha256``, the SHA-256 of the exact list of record ids disposed of (sorted,
one per line, each line ended by ``\\n``), so that anyone holding the list can show it is the
one certified. Its :func:`digest` (SHA-256 of its canonical JSON) is written into the audit
log as the entry ``retention.certificate_issued``; an auditor checks the entry's inclusion
proof with the standalone verifier and compares the digest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

CERTIFICATE_FORMAT = "confide-disposal-certificate/1"


def records_sha256(record_ids: Iterable[str]) -> str:
    """SHA-256 (hex) of the sorted ids, one per line; the empty list hashes the empty string."""
    h = hashlib.sha256()
    for rid in sorted(record_ids):
        h.update(rid.encode())
        h.update(b"\n")
    return h.hexdigest()


@dataclass(frozen=True)
class CertifiedRule:
    category: str
    min_days: int
    max_days: int
    counted_from: str
    method: str


@dataclass(frozen=True)
class CertifiedLine:
    category: str
    system: str
    method: str
    count: int


@dataclass(frozen=True)
class CertifiedSourceStep:
    source: str
    table: str
    category: str
    method: str
    rows: int
    kind: str
    """``dispose``: done by the run; ``task``: done by the source's owner, closed by ``closed_by``."""
    closed_by: str | None = None


@dataclass(frozen=True)
class Certificate:
    run_id: str
    issued_at: str
    as_of: str
    policy_version: str
    planned_by: str
    planned_at: str
    approved_by: str
    approved_at: str
    approval: str
    started_at: str
    finished_at: str
    rules: tuple[CertifiedRule, ...]
    lines: tuple[CertifiedLine, ...]
    total: int
    records_sha256: str
    sources: tuple[CertifiedSourceStep, ...] = ()
    held: dict[str, int] = field(default_factory=dict)
    anonymity: dict[str, dict[str, int]] = field(default_factory=dict)
    format: str = CERTIFICATE_FORMAT

    def body(self) -> dict[str, Any]:
        return asdict(self)

    def canonical(self) -> bytes:
        return json.dumps(self.body(), sort_keys=True, separators=(",", ":")).encode()

    def digest(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(sorted({line.category for line in self.lines}))

    @property
    def systems(self) -> tuple[str, ...]:
        return tuple(sorted({line.system for line in self.lines}))

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> Certificate:
        data = dict(body)
        data["rules"] = tuple(CertifiedRule(**r) for r in data.get("rules", ()))
        data["lines"] = tuple(CertifiedLine(**r) for r in data.get("lines", ()))
        data["sources"] = tuple(CertifiedSourceStep(**r) for r in data.get("sources", ()))
        return cls(**data)


@dataclass(frozen=True)
class IssuedCertificate:
    """A certificate as stored: the body and where the audit log holds its digest."""

    certificate: Certificate
    audit_seq: int
    digest: str
