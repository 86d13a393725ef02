"""The decision endpoint over HTTP (issue 4): requests/s, p50 and p99 latency and errors, with
64 concurrent clients on loopback, driven by ``wrk`` (a real load generator) against
``confide serve`` on the embedded default (SQLite), every decision recorded with its audit entry.

No anchor: the figure is absolute, so the machine is reported with it.
Target: >= 1,000 req/s on 2 cores, p99 <= 50 ms, 0 errors.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from benchmarks.harness import Result
from confide.adapters.crypto import KeyRing
from confide.bootstrap import build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR, Role
from confide.verifier import CheckpointSigner

SIZES = {"small": {"subjects": 2_000, "seconds": 5}, "full": {"subjects": 100_000, "seconds": 60}}
CONNECTIONS = 64
# One server process: on SQLite a second process contends for the write lock with its own group
# committer (longer tails, 12 timeouts in 60 s); wrk uses the other core.
WORKERS = int(os.environ.get("CONFIDE_BENCH_HTTP_WORKERS", 1))

LUA = r"""
local ids = {}
for line in io.lines("%(ids)s") do ids[#ids + 1] = line end
local purposes = {{"individual_marketing", "email"}, {"marketing_communications", "email"}, {"billing", nil},
                  {"credit_check", nil}, {"sharing_with_partners", nil}}
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(token)s"
request = function()
  local p = purposes[math.random(#purposes)]
  local body = '{"subject_id":"' .. ids[math.random(#ids)] .. '","purpose":"' .. p[1] .. '"'
  if p[2] then body = body .. ',"channel":"' .. p[2] .. '"' end
  return wrk.format(nil, "/v1/decisions", nil, body .. "}")
end
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not m:
        raise ValueError(text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def run(size: str, params: dict[str, Any]) -> list[Result]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian package 'wrk'; .ci/run installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        keys, signer = KeyRing.generate().to_json(), CheckpointSigner.generate("bench").to_text()
        settings = Settings(data_dir=data, keys=keys, audit_signing_key=signer)  # type: ignore[arg-type]
        c = build(settings, migrate_db=True)
        try:
            c.demo.generate(
                LOCAL_OPERATOR, int(params["subjects"]), seed=42, as_of=date(2026, 11, 1)
            )
            c.staff.add_user(LOCAL_OPERATOR, "bench-system", [Role.INTEGRATION.value])
            token = c.staff.create_token(LOCAL_OPERATOR, "bench-system").token
            ids = [s.id for s in c.subjects.page(LOCAL_OPERATOR, 0, 5000)[0]]
        finally:
            c.close()
        (data / "ids.txt").write_text("\n".join(ids) + "\n")
        (data / "load.lua").write_text(LUA % {"ids": data / "ids.txt", "token": token})
        port = _port()
        env = {
            **os.environ,
            "CONFIDE_DATA_DIR": str(data),
            "CONFIDE_KEYS": keys,
            "CONFIDE_AUDIT_SIGNING_KEY": signer,
            "CONFIDE_PORT": str(port),
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "confide.cli.main",
                "serve",
                "--workers",
                str(WORKERS),
                "--no-worker",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            warm = httpx.post(
                f"http://127.0.0.1:{port}/v1/decisions",
                headers={"Authorization": f"Bearer {token}"},
                json={"subject_id": ids[0], "purpose": "billing"},
                timeout=10,
            )
            if warm.status_code != 200:
                raise RuntimeError(f"decision endpoint answered {warm.status_code}")
            out = subprocess.run(
                [
                    wrk,
                    "-t2",
                    f"-c{CONNECTIONS}",
                    f"-d{int(params['seconds'])}s",
                    "--latency",
                    "-s",
                    str(data / "load.lua"),
                    f"http://127.0.0.1:{port}",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        finally:
            server.terminate()
            server.wait(timeout=30)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)) else 0
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    sock_errors = sum(int(x) for x in sock.groups()) if sock else 0
    note = (
        f"{CONNECTIONS} connections, {params['seconds']} s, {WORKERS} server process(es); wrk output: "
        + json.dumps(out.strip().splitlines()[-3:])
    )
    return [
        Result("decisions over HTTP", rps, "req/s", size, target=">= 1,000 req/s", notes=note),
        Result("decision latency p50", _ms(lat["50"]), "ms", size),
        Result("decision latency p99", _ms(lat["99"]), "ms", size, target="<= 50 ms"),
        Result("errors (non-2xx + socket)", non2xx + sock_errors, "count", size, target="0"),
    ]
