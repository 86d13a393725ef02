"""Independent verifier of Confide's audit log.

Depends only on ``confide.domain`` and the ``cryptography`` package (never on the
services, adapters, SQLAlchemy or FastAPI), so an auditor can run it without the
service: ``python -m confide.verifier EXPORT --key PUBKEY``.

* :func:`verify_export` — a full export (JSON Lines; see :mod:`confide.verifier.export`)
  gives a :class:`VerificationReport`: ok, or the failures with the first place named.
* :func:`verify_inclusion_proof`, :func:`verify_consistency_proof` — single proofs against
  signed checkpoints.
* :class:`CheckpointSigner`, :class:`CheckpointVerifier` — Ed25519 signed-note checkpoints.
"""

from confide.verifier.errors import SignatureInvalid
from confide.verifier.export import ExportWriter
from confide.verifier.failures import Failure, FailureKind
from confide.verifier.notes import CheckpointSigner, CheckpointVerifier, generate_key
from confide.verifier.proofs import (
    ProofVerdict,
    verify_consistency_proof,
    verify_inclusion_proof,
)
from confide.verifier.verify import VerificationReport, verify_export, verify_export_file

__all__ = [
    "CheckpointSigner",
    "CheckpointVerifier",
    "ExportWriter",
    "Failure",
    "FailureKind",
    "ProofVerdict",
    "SignatureInvalid",
    "VerificationReport",
    "generate_key",
    "verify_consistency_proof",
    "verify_export",
    "verify_export_file",
    "verify_inclusion_proof",
]
