#!/usr/bin/env python3
"""Set up and run Confide from a fresh clone, with nothing but Python 3.11+.

    python3 dev.py serve [confide serve options]   # install, then run the demo service
    python3 dev.py test [pytest options]           # install (with test tools), then run every test

It creates ``.venv`` next to this file, installs the pinned, hash-checked
dependencies from ``requirements.lock`` (and ``requirements-dev.lock`` for tests),
installs Confide itself, and re-installs only when a lock file changes.
Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"


def fail(message: str) -> None:
    print(f"dev.py: {message}", file=sys.stderr)
    raise SystemExit(1)


def run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT)


def ensure_venv() -> None:
    if (BIN / "python").exists():
        return
    print("Creating the virtual environment in .venv ...", flush=True)
    try:
        venv.EnvBuilder(with_pip=True, upgrade_deps=False).create(VENV)
    except Exception as exc:  # ensurepip missing on some distributions
        shutil.rmtree(VENV, ignore_errors=True)
        fail(f"could not create .venv ({exc}); on Debian/Ubuntu install python3-venv first")


def ensure_installed(dev: bool) -> None:
    locks = [ROOT / "requirements.lock"] + ([ROOT / "requirements-dev.lock"] if dev else [])
    digest = hashlib.sha256()
    for lock in [*locks, ROOT / "pyproject.toml"]:
        digest.update(lock.read_bytes())
    stamp = VENV / (".installed-dev" if dev else ".installed")
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    print("Installing pinned dependencies (first run, or a lock file changed) ...", flush=True)
    pip = [BIN / "python", "-m", "pip", "--disable-pip-version-check", "-q"]
    run(*pip, "install", "--upgrade", "pip>=24")
    args: list[str | Path] = [*pip, "install", "--require-hashes"]
    for lock in locks:
        args += ["-r", lock]
    run(*args)
    run(*pip, "install", "--no-deps", "--no-build-isolation", "-e", ROOT)
    stamp.write_text(digest.hexdigest())


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must say so on an older Python
        fail(f"Confide needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not argv or argv[0] not in {"serve", "test", "setup"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_venv()
    ensure_installed(dev=command in {"test", "setup"})
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    if command == "serve":
        os.execve(BIN / "confide", [str(BIN / "confide"), "serve", "--demo", *rest], env)
    if command == "test":
        # Every core by default (pytest-xdist); "-n 0" or any "-n" given runs as asked.
        parallel = (
            []
            if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in rest)
            else ["-n", "auto"]
        )
        os.execve(BIN / "python", [str(BIN / "python"), "-m", "pytest", *parallel, *rest], env)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
