"""The PII benchmark's Presidio anchor reads tldextract's bundled suffix list: no network."""

from __future__ import annotations

import importlib
import socket
from pathlib import Path

import pytest
import tldextract.tldextract as tld

ROOT = Path(__file__).resolve().parents[3]


def _refuse_connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("outbound connection refused by the test")

    def no_lookup(host: object, *args: object, **kwargs: object) -> None:
        attempts.append(host)
        raise OSError("name lookup refused by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)
    return attempts


def test_the_pii_benchmark_extracts_domains_without_any_connection(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.setenv("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "https://publicsuffix.org/list/x")
    monkeypatch.setattr(tld, "TLD_EXTRACTOR", tld.TLD_EXTRACTOR)  # restored after the test
    attempts = _refuse_connections(monkeypatch)
    bench = importlib.import_module("benchmarks.bench_pii_scan")
    bench._offline_tldextract()
    # no URL to fetch and no cache to depend on: the bundled snapshot only
    assert tld.TLD_EXTRACTOR.suffix_list_urls == ()
    assert tld.TLD_EXTRACTOR.fallback_to_snapshot
    assert tld.extract("support.example.co.uk").suffix == "co.uk"
    assert attempts == []


def test_without_it_tldextract_would_try_the_network(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # the control: a default extractor with an empty cache reaches for the suffix list online
    attempts = _refuse_connections(monkeypatch)
    extractor = tld.TLDExtract(cache_dir=str(tmp_path))
    extractor("support.example.co.uk")
    assert attempts
