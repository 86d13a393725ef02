"""Importing subjects from CSV: streamed, validated row by row, all or nothing.

The whole file is one transaction: rows are inserted in batches as they are read,
and any problem (bad UTF-8, a ragged row, an invalid field, a duplicate) rolls
everything back, so a failure at row 10,001 leaves none of rows 1-10,000 in the
store. Every problem found (up to ``max_problems``) is reported with its line.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.errors import FieldProblem, ValidationFailed
from confide.domain.subjects import IdentifierKind, Subject
from confide.services.context import ServiceContext
from confide.services.subjects import RegisterSubject, SubjectService

COLUMNS = (
    "subject_type",
    "province",
    "language",
    "email",
    "phone",
    "account",
    "employee_number",
    "external_ref",
    "acts_for",
    "birth_date",
    "display_name",
)
REQUIRED = ("subject_type", "province")
BATCH = 2000


@dataclass
class ImportReport:
    imported: int = 0
    problems: list[FieldProblem] = field(default_factory=list)


class _BadEncoding(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _decoded_lines(stream: BinaryIO) -> Iterator[str]:
    for n, raw in enumerate(stream, start=1):
        try:
            yield raw.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError:
            raise _BadEncoding(n) from None


class SubjectImporter:
    def __init__(self, ctx: ServiceContext, subjects: SubjectService) -> None:
        self.ctx = ctx
        self.subjects = subjects

    def import_csv(
        self,
        principal: Principal,
        stream: BinaryIO,
        on_progress: Callable[[int], None] | None = None,
        max_problems: int = 100,
    ) -> ImportReport:
        principal.require(Action.SUBJECTS_IMPORT)
        report = ImportReport()
        try:
            self._run(principal, stream, report, on_progress, max_problems)
        except _BadEncoding as exc:
            report.problems.append(
                FieldProblem(f"line {exc.line}", "is not valid UTF-8", "save the file as UTF-8")
            )
        if report.problems:
            report.imported = 0
            raise ValidationFailed(
                f"the import was rolled back: {len(report.problems)} problem(s) found; nothing was imported",
                report.problems,
            )
        return report

    def _run(
        self,
        principal: Principal,
        stream: BinaryIO,
        report: ImportReport,
        on_progress: Callable[[int], None] | None,
        max_problems: int,
    ) -> None:
        reader = csv.reader(_decoded_lines(stream))
        header = next(reader, None)
        if header is None:
            report.problems.append(
                FieldProblem("line 1", "the file is empty", "the first line names the columns")
            )
            return
        header = [h.strip().lower() for h in header]
        unknown = [h for h in header if h not in COLUMNS]
        missing = [c for c in REQUIRED if c not in header]
        for h in unknown:
            report.problems.append(
                FieldProblem(f"line 1, column {h!r}", "is not a known column", ", ".join(COLUMNS))
            )
        for c in missing:
            report.problems.append(FieldProblem("line 1", f"column {c!r} is missing"))
        if report.problems:
            return
        seen: set[tuple[IdentifierKind, str]] = set()
        seen_refs: dict[str, str] = {}
        with self.ctx.uow() as uow:
            batch: list[Subject] = []

            def flush() -> None:
                if not report.problems and batch:
                    taken = uow.subjects.existing_identifiers(
                        (i.kind, i.value) for s in batch for i in s.identifiers
                    )
                    if taken:
                        report.problems.append(
                            FieldProblem(
                                "file",
                                f"{len(taken)} identifier(s) already belong to registered subjects",
                                "remove those rows or update the subjects instead",
                            )
                        )
                        return
                    uow.subjects.add_many(batch)
                    uow.audit.record_many(
                        [
                            AuditRecord(
                                "subject.registered",
                                principal.user_id,
                                "subject",
                                s.id,
                                s.created_at,
                                self.ctx.require_active().version_id,
                                s.id,
                                {
                                    "subject_type": s.subject_type,
                                    "province": s.province,
                                    "via": "import",
                                },
                            )
                            for s in batch
                        ]
                    )
                    report.imported += len(batch)
                    if on_progress:
                        on_progress(report.imported)
                batch.clear()

            for row in reader:
                line = reader.line_num
                if len(report.problems) >= max_problems:
                    break
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    report.problems.append(
                        FieldProblem(
                            f"line {line}",
                            f"has {len(row)} fields where the header has {len(header)}",
                        )
                    )
                    continue
                values = dict(zip(header, (c.strip() for c in row), strict=True))
                subject = self._subject(values, line, report, seen, seen_refs, uow)
                if subject is not None:
                    batch.append(subject)
                    if len(batch) >= BATCH:
                        flush()
            flush()
            if not report.problems:
                uow.commit()

    def _subject(
        self,
        v: dict[str, str],
        line: int,
        report: ImportReport,
        seen: set[tuple[IdentifierKind, str]],
        seen_refs: dict[str, str],
        uow: object,
    ) -> Subject | None:
        prefix = f"line {line}, "
        birth: date | None = None
        if v.get("birth_date"):
            try:
                birth = date.fromisoformat(v["birth_date"])
            except ValueError:
                report.problems.append(
                    FieldProblem(f"{prefix}birth_date", "is not a date (YYYY-MM-DD)")
                )
                return None
        acts_for = v.get("acts_for") or None
        if acts_for:
            acts_for = seen_refs.get(acts_for) or self._resolve_holder(acts_for, uow)
            if acts_for is None:
                report.problems.append(
                    FieldProblem(
                        f"{prefix}acts_for", "names no subject (give its id or external_ref)"
                    )
                )
                return None
        cmd = RegisterSubject(
            subject_type=v.get("subject_type", ""),
            province=v.get("province", ""),
            language=v.get("language") or "en",
            email=v.get("email") or None,
            phone=v.get("phone") or None,
            account=v.get("account") or None,
            employee_number=v.get("employee_number") or None,
            external_ref=v.get("external_ref") or None,
            acts_for=acts_for,
            birth_date=birth,
            display_name=v.get("display_name") or None,
        )
        subject, problems = self.subjects.validate_registration(cmd, prefix)
        if problems or subject is None:
            report.problems.extend(problems)
            return None
        for ident in subject.identifiers:
            key = (ident.kind, ident.value)
            if key in seen:
                report.problems.append(
                    FieldProblem(f"{prefix}{ident.kind.value}", "appears on an earlier line")
                )
                return None
            seen.add(key)
        if subject.external_ref:
            if subject.external_ref in seen_refs:
                report.problems.append(
                    FieldProblem(f"{prefix}external_ref", "appears on an earlier line")
                )
                return None
            seen_refs[subject.external_ref] = subject.id
        return subject

    @staticmethod
    def _resolve_holder(ref: str, uow: object) -> str | None:
        subjects = uow.subjects  # type: ignore[attr-defined]
        found = subjects.get(ref) or subjects.find_by_external_ref(ref)
        return found.id if found else None
