"""PII scan: MB/s on one core and per-entity precision/recall/F1, Confide vs Presidio.

Anchor: Presidio's analyzer with a blank spaCy pipeline saved locally (no model download),
its predefined recognizers plus the Canadian SIN and postal code recognizers, on the same
seeded labelled corpus (English and French notes, emails, chats, CSV exports) in the same run.
tldextract (used by Presidio's e-mail and URL recognizers) reads its bundled public suffix
list: no network access during the run.
Presidio is scored at its default threshold and at 0.5; Confide at its default (0.5).
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import Result, peak_rss_mb
from confide.scanner.corpus import LabelledDoc, Span, generate
from confide.scanner.corpus.evaluate import Counts, score
from confide.scanner.corpus.generator import KINDS
from confide.scanner.engine import Scanner
from confide.scanner.model import Entity

SIZES = {
    "small": {"documents": 60, "seed": 11, "presidio_documents": 60},
    "full": {"documents": 4000, "seed": 11, "presidio_documents": 4000},
}

PRESIDIO_TO_ENTITY = {
    "CA_SIN": Entity.SIN,
    "CREDIT_CARD": Entity.PAYMENT_CARD,
    "PHONE_NUMBER": Entity.PHONE,
    "EMAIL_ADDRESS": Entity.EMAIL,
    "CA_POSTAL_CODE": Entity.POSTAL_CODE,
    "IP_ADDRESS": Entity.IP_ADDRESS,
    "DATE_TIME": Entity.DATE_OF_BIRTH,
    "PERSON": Entity.PERSON,
    "US_PASSPORT": Entity.PASSPORT,
    "US_DRIVER_LICENSE": Entity.DRIVERS_LICENCE,
    "US_BANK_NUMBER": Entity.BANK_ACCOUNT,
}
BLOCK = 50  # documents scanned by one tool before the other takes its turn
SPARSE_DOCUMENTS = 200
# Neutral support prose (no personal information) appended to documents for the sparse-text
# row: the target corpus holds one entity per ~40 bytes, far denser than most real text.
FILLER = (
    "Thank you for contacting us about your account. We have reviewed the request and the "
    "team will follow up within two business days. Please keep this message for your "
    "records.\n"
    "Merci d'avoir communiqué avec nous. Votre demande a été transmise à l'équipe "
    "responsable, qui vous répondra dans les meilleurs délais.\n"
    "The update was applied to the billing system last week; no further action is needed "
    "on your side. Let us know if anything looks wrong after the next statement.\n"
    "Nous avons vérifié les paramètres de votre abonnement et tout semble en ordre pour le "
    "prochain renouvellement.\n"
)
TARGET_F1 = {Entity.SIN, Entity.PAYMENT_CARD, Entity.EMAIL, Entity.PHONE, Entity.POSTAL_CODE}


def _offline_tldextract() -> None:
    """Make Presidio's e-mail (and URL) validation use tldextract's bundled suffix list.

    tldextract's module-level extractor fetches the public suffix list on first use (and
    prints a traceback when it cannot). An empty ``TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS``
    gives it no URL to fetch, so it falls back to the snapshot shipped with the package;
    the extractor is rebuilt in case tldextract was imported before the variable was set.
    """
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    import tldextract.tldextract as tld

    offline = tld.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
    tld.TLD_EXTRACTOR = offline
    offline("warm.example.com")  # load the snapshot outside the timing


def _presidio(workdir: Path) -> Any:
    _offline_tldextract()
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import CaPostalCodeRecognizer, CaSinRecognizer

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    model = workdir / "blank_en"
    spacy.blank("en").to_disk(model)
    nlp_engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": str(model)}])
    nlp_engine.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)
    registry.add_recognizer(CaSinRecognizer())
    registry.add_recognizer(CaPostalCodeRecognizer())
    # Every predefined recognizer stays, URL included: tldextract is offline (see above).
    return AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=["en"])


def _mb(docs: list[LabelledDoc]) -> float:
    return sum(len(d.text.encode("utf-8")) for d in docs) / 1e6


def run(size: str, params: dict[str, Any]) -> list[Result]:
    docs = generate(params["seed"], params["documents"])
    p_docs = docs[: params["presidio_documents"]]
    scanner = Scanner()
    scanner.scan_text(docs[0].text)  # compile and warm caches outside the timing
    with tempfile.TemporaryDirectory() as tmp:
        analyzer = _presidio(Path(tmp))
        analyzer.analyze(p_docs[0].text, language="en")
        # Both tools on the same documents, kind by kind, in the same run.
        ours_on_p: list[Any] = []
        theirs: list[Any] = []
        per_kind: dict[str, tuple[float, float, float, int]] = {}
        cpu = [0.0, 0.0]  # process CPU seconds: Confide, Presidio
        for kind in KINDS:
            group = [d for d in p_docs if d.kind == kind]
            ours_s = theirs_s = 0.0
            # Alternate in blocks, so both tools run warm and both see the same machine load.
            for lo in range(0, len(group), BLOCK):
                block = group[lo : lo + BLOCK]
                t0, c0 = time.perf_counter(), time.process_time()
                ours_on_p.extend(scanner.scan_text(d.text).findings for d in block)
                t1, c1 = time.perf_counter(), time.process_time()
                theirs.extend(analyzer.analyze(d.text, language="en") for d in block)
                t2, c2 = time.perf_counter(), time.process_time()
                ours_s += t1 - t0
                theirs_s += t2 - t1
                cpu[0] += c1 - c0
                cpu[1] += c2 - c1
            per_kind[kind] = (_mb(group), ours_s, theirs_s, sum(len(d.spans) for d in group))
        # Sparse text: the same documents with neutral prose appended (about 1 entity per KB).
        sparse = [d.text + "\n" + FILLER * 3 for d in docs[:SPARSE_DOCUMENTS]]
        sparse_mb = sum(len(t.encode("utf-8")) for t in sparse) / 1e6
        sparse_cpu = [0.0, 0.0]
        for lo in range(0, len(sparse), BLOCK):
            block_texts = sparse[lo : lo + BLOCK]
            c0 = time.process_time()
            for t in block_texts:
                scanner.scan_text(t)
            c1 = time.process_time()
            for t in block_texts:
                analyzer.analyze(t, language="en")
            sparse_cpu[0] += c1 - c0
            sparse_cpu[1] += time.process_time() - c1
    p_docs = [d for kind in KINDS for d in p_docs if d.kind == kind]  # the order scanned above
    p_mb = sum(v[0] for v in per_kind.values())
    ours_p_s = sum(v[1] for v in per_kind.values())
    theirs_s = sum(v[2] for v in per_kind.values())

    whole = "".join(d.text for d in docs)
    start = time.perf_counter()
    scanner.scan_text(whole)
    whole_s = time.perf_counter() - start
    python_scanner = Scanner(backend="python")
    start = time.perf_counter()
    for d in docs:
        python_scanner.scan_text(d.text)
    python_s = time.perf_counter() - start
    mb = _mb(docs)

    ours_p_counts: dict[Entity, Counts] = {}
    p_default: dict[Entity, Counts] = {}
    p_half: dict[Entity, Counts] = {}
    for d, found, results in zip(p_docs, ours_on_p, theirs, strict=True):
        score(d.spans, [Span(f.start, f.end, f.entity) for f in found], ours_p_counts)
        mapped = [
            (Span(r.start, r.end, PRESIDIO_TO_ENTITY[r.entity_type]), r.score)
            for r in results
            if r.entity_type in PRESIDIO_TO_ENTITY
        ]
        score(d.spans, [s for s, _ in mapped], p_default)
        score(d.spans, [s for s, sc in mapped if sc >= 0.5], p_half)

    entities = sum(v[3] for v in per_kind.values())
    results = [
        Result(
            "scan throughput, per document, 1 core",
            p_mb / ours_p_s,
            "MB/s",
            size,
            target=">= 100x Presidio",
            notes=f"{len(p_docs)} documents, {p_mb:.2f} MB, one entity per "
            f"{p_mb * 1e6 / max(entities, 1):.0f} bytes; Hyperscan backend",
        ).against("presidio analyzer (blank spaCy en)", p_mb / theirs_s),
        Result(
            "scan throughput, per document, CPU time",
            p_mb / cpu[0],
            "MB/s",
            size,
            notes="process CPU seconds instead of wall time (less sensitive to other load)",
        ).against("presidio analyzer (blank spaCy en)", p_mb / cpu[1]),
    ]
    results.append(
        Result(
            "scan throughput, sparse text (not the target corpus), CPU time",
            sparse_mb / sparse_cpu[0],
            "MB/s",
            size,
            notes=f"{len(sparse)} documents with neutral prose appended, {sparse_mb:.2f} MB: "
            "shows how the ratio depends on entity density",
        ).against("presidio analyzer (blank spaCy en)", sparse_mb / sparse_cpu[1])
    )
    for kind, (k_mb, k_ours, k_theirs, k_entities) in per_kind.items():
        results.append(
            Result(
                f"scan throughput, {kind} documents",
                k_mb / k_ours,
                "MB/s",
                size,
                notes=f"{k_mb:.2f} MB, one entity per {k_mb * 1e6 / max(k_entities, 1):.0f} bytes",
            ).against("presidio analyzer (blank spaCy en)", k_mb / k_theirs)
        )
    results += [
        Result(
            "scan throughput, whole corpus as one text",
            mb / whole_s,
            "MB/s",
            size,
            notes=f"{mb:.2f} MB",
        ),
        Result("scan throughput, pure-Python backend, per document", mb / python_s, "MB/s", size),
    ]
    for entity in Entity:
        c = ours_p_counts.get(entity)
        if c is None or c.tp + c.fn == 0:
            continue
        r = Result(
            f"F1 {entity.value}",
            c.f1,
            "F1",
            size,
            target=">= 0.97" if entity in TARGET_F1 else ">= Presidio where it detects it",
            notes=f"P={c.precision:.3f} R={c.recall:.3f} (tp {c.tp}, fp {c.fp}, fn {c.fn})",
        )
        for name, table in (("presidio default threshold", p_default), ("presidio >= 0.5", p_half)):
            pc = table.get(entity)
            if pc is not None and pc.tp + pc.fp > 0:
                r.against(name, pc.f1)
        results.append(r)
    results.append(Result("peak RSS", peak_rss_mb(), "MB", size))
    return results
