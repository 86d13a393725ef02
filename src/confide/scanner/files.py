"""Scanning files: text read in streamed blocks, PDF and DOCX when their library is installed,
binary files and undecodable text skipped or decoded with a note, many files on many cores.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from confide.scanner.engine import Scanner, split_lines
from confide.scanner.model import ScanResult, SkipNote

BLOCK = 1 << 20
SNIFF = 8192
FALLBACK_ENCODING = "cp1252"


@dataclass(frozen=True)
class ScannerOptions:
    """What a worker needs to build the same scanner as the caller (picklable)."""

    backend: str = "auto"
    threshold: float = 0.5
    entities: tuple[str, ...] | None = None

    def build(self) -> Scanner:
        return Scanner(backend=self.backend, threshold=self.threshold, entities=self.entities)


_WORKER_SCANNERS: dict[ScannerOptions, Scanner] = {}


def scanner_for(options: ScannerOptions) -> Scanner:
    """One scanner per process and options (compiling the patterns once)."""
    scanner = _WORKER_SCANNERS.get(options)
    if scanner is None:
        scanner = _WORKER_SCANNERS[options] = options.build()
    return scanner


def looks_binary(head: bytes) -> bool:
    """NUL bytes, or mostly control bytes, in the first block: not text."""
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.1


def _encoding_of(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def _decoded_lines(path: Path, encoding: str, errors: str = "strict") -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    rest = ""
    with path.open("rb") as fh:
        while block := fh.read(BLOCK):
            text = rest + decoder.decode(block)
            cut = text.rfind("\n") + 1
            yield from split_lines(text[:cut])
            rest = text[cut:]
        rest += decoder.decode(b"", final=True)
    if rest:
        yield rest


def _scan_text_file(scanner: Scanner, path: Path, head: bytes) -> ScanResult:
    encoding = _encoding_of(head)
    try:
        result = scanner.scan_lines(_decoded_lines(path, encoding), source=str(path))
    except UnicodeDecodeError as exc:
        # not UTF-8: legacy Windows/Latin-1 exports are the common case in Canada
        result = scanner.scan_lines(
            _decoded_lines(path, FALLBACK_ENCODING, "replace"), source=str(path)
        )
        result.notes.insert(
            0,
            SkipNote(
                str(path),
                f"not valid {encoding} at byte {exc.start}; decoded as {FALLBACK_ENCODING}",
            ),
        )
    return result


def _pdf_text(path: Path) -> str | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx_text(path: Path) -> str | None:
    try:
        import docx
    except ImportError:
        return None
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


_EXTRACTORS: dict[str, Callable[[Path], str | None]] = {".pdf": _pdf_text, ".docx": _docx_text}


def scan_file(scanner: Scanner, path: Path) -> ScanResult:
    """Scan one file; never raises for bad content, notes what was skipped and why."""
    source = str(path)
    try:
        extractor = _EXTRACTORS.get(path.suffix.lower())
        if extractor is not None:
            text = extractor(path)
            if text is None:
                return ScanResult(
                    source,
                    notes=[SkipNote(source, f"no library installed to read {path.suffix} files")],
                )
            return scanner.scan_text(text, source=source)
        with path.open("rb") as fh:
            head = fh.read(SNIFF)
        if looks_binary(head):
            return ScanResult(
                source, notes=[SkipNote(source, "binary content (not text); skipped")]
            )
        return _scan_text_file(scanner, path, head)
    except OSError as exc:
        return ScanResult(
            source, notes=[SkipNote(source, f"cannot be read ({type(exc).__name__})")]
        )
    except Exception as exc:  # a malformed PDF or DOCX must not stop a scan of many files
        return ScanResult(
            source, notes=[SkipNote(source, f"could not be parsed ({type(exc).__name__}); skipped")]
        )


def expand(paths: Iterable[Path | str]) -> list[Path]:
    """Files named, and the files under directories named, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file()))
        else:
            out.append(p)
    return out


def _scan_one(args: tuple[ScannerOptions, str]) -> ScanResult:
    options, path = args
    return scan_file(scanner_for(options), Path(path))


def scan_paths(
    paths: Iterable[Path | str],
    options: ScannerOptions | None = None,
    workers: int | None = 1,
    on_result: Callable[[ScanResult], None] | None = None,
) -> list[ScanResult]:
    """Scan files (directories recursively) on ``workers`` processes (None: every core).

    Results come back in the order of the files, whatever the number of workers.
    """
    options = options or ScannerOptions()
    files = [str(p) for p in expand(paths)]
    count = workers if workers is not None else (os.cpu_count() or 1)
    results: list[ScanResult] = []
    if count <= 1 or len(files) <= 1:
        for f in files:
            r = _scan_one((options, f))
            results.append(r)
            if on_result:
                on_result(r)
        return results
    with ProcessPoolExecutor(max_workers=count) as pool:
        for r in pool.map(_scan_one, [(options, f) for f in files], chunksize=4):
            results.append(r)
            if on_result:
                on_result(r)
    return results
