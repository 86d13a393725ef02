"""``python -m confide.verifier EXPORT --key PUBKEY [--checkpoint NOTE ...]``.

Verifies an audit export (or, with ``--proof``, a proof document) without the service.
``PUBKEY`` is the verifier-key text ``<name>+<hash>+<base64>`` or a file holding it;
each ``--checkpoint`` is a file with a signed checkpoint the auditor kept earlier.

Exit status: 0 verified, 1 does not verify (the first place is printed), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from confide.domain.errors import ConfideError
from confide.verifier.notes import CheckpointVerifier
from confide.verifier.proofs import verify_proof_document
from confide.verifier.verify import verify_export_file


def _read_key(value: str) -> CheckpointVerifier:
    path = Path(value)
    text = path.read_text(encoding="utf-8") if path.is_file() else value
    return CheckpointVerifier.from_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m confide.verifier", description="Verify a Confide audit export."
    )
    parser.add_argument("export", help="the export file (JSON Lines), or a proof with --proof")
    parser.add_argument("--key", required=True, help="verifier key text, or a file holding it")
    parser.add_argument(
        "--checkpoint",
        action="append",
        default=[],
        metavar="NOTE",
        help="a signed checkpoint kept from an earlier publication (repeatable)",
    )
    parser.add_argument("--proof", action="store_true", help="EXPORT is a proof document")
    parser.add_argument(
        "--allow-unanchored",
        action="store_true",
        help="do not fail on entries after the last signed checkpoint",
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="processes scanning the export (default: cores)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        key = _read_key(args.key)
        trusted = [Path(p).read_text(encoding="utf-8") for p in args.checkpoint]
        if args.proof:
            doc = json.loads(Path(args.export).read_text(encoding="utf-8"))
            verdict = verify_proof_document(key, doc)
            print(("OK: " if verdict.ok else "FAILED: ") + verdict.reason)
            return 0 if verdict.ok else 1
        report = verify_export_file(
            args.export,
            key,
            trusted,
            allow_unanchored=args.allow_unanchored,
            workers=args.workers,
        )
    except (OSError, ValueError, ConfideError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        first = report.first_failure
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "entries": report.entries,
                    "checkpoints_verified": report.checkpoints_verified,
                    "verified_size": report.verified_size,
                    "first_failure": None
                    if first is None
                    else {
                        "kind": first.kind.value,
                        "sequence": first.sequence,
                        "last_sequence": first.last_sequence,
                        "line": first.line,
                        "message": first.message,
                    },
                    "failures": [f.describe() for f in report.failures],
                },
                indent=2,
            )
        )
    else:
        print(report.summary())
        for failure in sorted(report.failures, key=lambda f: f.sort_key())[1:20]:
            print(f"  also: {failure.describe()}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
