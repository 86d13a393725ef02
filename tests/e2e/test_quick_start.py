"""The README's first command, as a person runs it: the demo service starts and answers over HTTP."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_quick_start_serves_the_demo_organization_over_http(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFIDE_")}
    env.update({"CONFIDE_DATA_DIR": str(tmp_path), "COLUMNS": "200", "NO_COLOR": "1"})
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "dev.py"),
            "serve",
            "--port",
            str(port),
            "--demo-subjects",
            "200",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        token = None
        deadline = time.monotonic() + 180
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            output.append(line)
            if m := re.search(r"(cfd_[A-Za-z0-9_-]{20,})", line):
                token = m.group(1)
            if "listening on" in line:
                break
        assert token, "".join(output)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        headers = {"Authorization": f"Bearer {token}"}
        me = httpx.get(f"{base}/v1/staff/me", headers=headers, timeout=5).json()
        assert me["roles"] == ["privacy_officer"]
        page = httpx.get(f"{base}/v1/subjects", headers=headers, timeout=5).json()
        assert page["total"] == 200
        assert httpx.get(f"{base}/v1/subjects", timeout=5).status_code == 401
        assert (tmp_path / "confide.db").exists() and (
            tmp_path / "confide.key"
        ).stat().st_mode & 0o077 == 0
        # The served process believes no X-Forwarded-For (uvicorn's own default trusts
        # loopback): a local client changing the header still uses one allowance (issue 18).
        body = {"kind": "access", "identifier_kind": "email", "identifier": "x@example.test"}
        statuses = [
            httpx.post(
                f"{base}/requests",
                json=body,
                headers={"X-Forwarded-For": f"198.51.100.{i}"},
                timeout=5,
            ).status_code
            for i in range(11)
        ]
        assert statuses == [202] * 10 + [429]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()
