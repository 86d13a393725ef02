#!/usr/bin/env bash
# Re-pin requirements.lock and requirements-dev.lock from the *.in files.
# Serialised with flock so two people (or helpers) re-locking at once do not clobber each other.
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/confide-relock.lock
flock 9
.venv/bin/pip install -q pip-tools
.venv/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --output-file requirements.lock requirements.in
.venv/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --output-file requirements-dev.lock requirements-dev.in
.venv/bin/pip install -q --require-hashes -r requirements.lock -r requirements-dev.lock
