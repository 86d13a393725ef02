"""The engine: both backends agree, chunking changes nothing, overlaps resolve to the best."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import confide.scanner.engine as engine
from confide.scanner.corpus import generate
from confide.scanner.engine import Scanner, resolve_overlaps, split_lines
from confide.scanner.model import Entity, Finding

HS = Scanner(backend="hyperscan")
PY = Scanner(backend="python")

FRAGMENTS = [d.text for d in generate(3, 24)] + [
    "SIN 130 692 544",
    "4111 1111 1111 1111",
    "(514) 872-1234",
    "a.b@example.org",
    "H2X 1Y4",
    "123 rue Saint-Denis, app. 4",
    "Regards,\nÉlise Côté\n",
    "2001:db8::1",
    "née le 12 mars 1985",
    "Hi Zoë,",
    "12345-003-1234567",
    "\r\n",
    "\n",
    " ",
    ",",
    "é",
    "Ω",
    "\t",
    "::",
    "@",
    "1",
]
texts = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS), st.text(alphabet="0123456789 -.:@,\nAaÉé()+#", max_size=12)
    ),
    max_size=30,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_hyperscan_and_pure_python_backends_find_exactly_the_same(text: str) -> None:
    assert HS.scan_text(text).findings == PY.scan_text(text).findings


def test_backends_agree_on_a_generated_corpus() -> None:
    for doc in generate(5, 80):
        assert HS.scan_text(doc.text).findings == PY.scan_text(doc.text).findings


@pytest.mark.parametrize(
    "text",
    [
        "é " + "1" * 700 + " 130 692 544 " + "1" * 700 + " 4111-1111-1111-1111\n",
        "Ω" + "-".join(["130", "692", "544"] * 300) + " SIN 130 692 544",
        "x" * 600 + "a.b@example.org" + "y" * 600 + "\nNAS 130692544",
    ],
    ids=["long digit runs", "long dashed run", "long letter runs"],
)
def test_backends_agree_around_runs_longer_than_any_look_back(text: str) -> None:
    # the Hyperscan pass confirms each hit over its run of allowed characters, found by
    # reading the text backwards from the hit: runs of any length, non-ASCII before them
    assert HS.scan_text(text).findings == PY.scan_text(text).findings
    assert PY.scan_text(text).findings  # the texts do hold findings


def test_scanning_in_chunks_finds_what_scanning_whole_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "".join(d.text for d in generate(9, 60))
    whole = HS.findings_in(text)
    monkeypatch.setattr(engine, "CHUNK_CHARS", 700)
    monkeypatch.setattr(engine, "LONG_LINE", 400)
    chunked = HS.scan_text(text).findings
    assert len(text) > 20 * 700
    assert chunked == whole


def test_an_enormous_line_is_scanned_in_overlapping_windows_with_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # entities placed across every window border
    parts = []
    for i in range(40):
        parts.append("x" * (97 + i % 7))
        parts.append(" NAS 130 692 544 card 4111 1111 1111 1111 a.b@example.org ")
    line = "".join(parts)
    monkeypatch.setattr(engine, "LONG_LINE", 1000)
    result = HS.scan_text(line)
    assert len(line) > 5 * 1000
    assert result.notes[0].reason.startswith(f"line of {len(line)} characters")
    expected = HS.findings_in(line)
    assert [(f.start, f.end, f.entity) for f in result.findings] == [
        (f.start, f.end, f.entity) for f in expected
    ]
    assert sum(f.entity is Entity.SIN for f in result.findings) == 40


def test_a_stream_of_lines_gives_the_findings_of_the_whole_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "".join(d.text for d in generate(4, 40))
    monkeypatch.setattr(engine, "CHUNK_CHARS", 500)
    streamed = HS.scan_lines(split_lines(text))
    assert streamed.findings == HS.findings_in(text)
    assert streamed.chars == len(text)


def test_lines_split_at_line_feeds_only_and_keep_their_ends() -> None:
    assert list(split_lines("a\r\nb\x0cc\nd")) == ["a\r\n", "b\x0cc\n", "d"]


def _f(start: int, end: int, score: float, entity: Entity = Entity.PHONE) -> Finding:
    return Finding(entity, start, end, score, "r", "p")


def test_overlapping_findings_keep_the_higher_score_then_the_longer() -> None:
    kept = resolve_overlaps([_f(0, 10, 0.6), _f(5, 15, 0.9), _f(20, 30, 0.5), _f(20, 35, 0.5)])
    assert [(f.start, f.end) for f in kept] == [(5, 15), (20, 35)]


def test_a_chain_of_overlaps_keeps_every_finding_that_no_longer_overlaps_a_kept_one() -> None:
    kept = resolve_overlaps([_f(0, 10, 0.9), _f(8, 20, 0.5), _f(18, 30, 0.8)])
    assert [(f.start, f.end) for f in kept] == [(0, 10), (18, 30)]


def test_threshold_filters_low_scores() -> None:
    text = "130692544"
    assert Scanner(threshold=0.5).scan_text(text).findings
    assert not Scanner(threshold=0.9).scan_text(text).findings
