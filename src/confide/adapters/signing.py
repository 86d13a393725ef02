"""The Ed25519 key that signs audit checkpoints: a file (mode 0600) or an environment value."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from confide.adapters.crypto import KeyUnavailable
from confide.adapters.files import private_directory
from confide.domain.errors import ConfideError
from confide.verifier import CheckpointSigner


def load_signer(
    path: Path, inline: str | None, origin: str, *, create: bool = False
) -> CheckpointSigner:
    """The checkpoint signer from ``inline`` text or ``path``; created (0600) if asked."""
    try:
        if inline:
            return CheckpointSigner.from_text(inline)
        if not path.exists():
            if not create:
                raise KeyUnavailable(
                    f"audit signing key {path} not found: set CONFIDE_AUDIT_KEY_FILE or CONFIDE_AUDIT_SIGNING_KEY"
                )
            signer = CheckpointSigner.generate(origin)
            private_directory(path.parent)
            tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(signer.to_text() + "\n")
            os.replace(tmp, path)
            return signer
        if path.stat().st_mode & 0o077:
            raise KeyUnavailable(
                f"audit signing key {path} is readable by others: run chmod 600 on it"
            )
        return CheckpointSigner.from_text(path.read_text())
    except KeyUnavailable:
        raise
    except ConfideError as exc:
        raise KeyUnavailable("the audit signing key is not a valid Ed25519 signer key") from exc
