"""Connected data sources: the data map of where personal information lives outside Confide.

A :class:`DataSource` is one system (an SQL database, or a folder of CSV or Parquet files)
with, per table or file, a :class:`TableMapping`: the columns that identify a subject and
the policy category each other column holds. Requests use the map to find a subject
everywhere (ACC-4), corrections to write back (ACC-9), disposal and the scanner to know
what to look at (RET-2).

Invariants (checked by :func:`validate_source` against the active policy):

* every mapping has at least one identifier column and names only categories of the policy;
* a column is mapped once per table (as an identifier or as a category, not both ways twice);
* the connection reference is a secret (it may hold a password): it is never part of
  ``repr``, messages or logs; :func:`redact_connection` gives the form that may be shown.

This module also holds the errors of the area (``SourceUnavailable`` and friends).
Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from confide.domain.errors import (
    ConfideError,
    FieldProblem,
    NotAllowed,
    NotFound,
    ValidationFailed,
)
from confide.domain.policy import Policy
from confide.domain.subjects import PROVINCES

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")
"""Source names are short slugs: they appear in commands, audit records and file names."""


class SourceKind(StrEnum):
    SQL = "sql"
    """Any database SQLAlchemy reaches by URL: SQLite, PostgreSQL, MySQL/MariaDB."""
    CSV = "csv"
    """A CSV file, or a folder of them (each mapping names a file in it)."""
    PARQUET = "parquet"
    """A Parquet file, or a folder of them."""


class SourceIdentifierKind(StrEnum):
    """What a column identifies a subject by (the subject's identifiers, plus the company's own id)."""

    EMAIL = "email"
    PHONE = "phone"
    ACCOUNT = "account"
    EMPLOYEE_NUMBER = "employee_number"
    EXTERNAL_REF = "external_ref"


@dataclass(frozen=True)
class IdentifierColumn:
    column: str
    kind: SourceIdentifierKind


@dataclass(frozen=True)
class CategoryColumn:
    column: str
    category: str
    """A category id of the policy."""


@dataclass(frozen=True)
class TableMapping:
    """One table (``schema.table`` allowed) or one file of a source, and what its columns hold."""

    table: str
    identifiers: tuple[IdentifierColumn, ...]
    categories: tuple[CategoryColumn, ...] = ()
    retention_from: str | None = None
    """The column holding the date a retention period is counted from (RET-1), if any."""

    @property
    def columns(self) -> tuple[str, ...]:
        """Every mapped column, identifiers first, each once."""
        seen: dict[str, None] = {}
        for c in (
            *(i.column for i in self.identifiers),
            *(c.column for c in self.categories),
            *((self.retention_from,) if self.retention_from else ()),
        ):
            seen.setdefault(c, None)
        return tuple(seen)

    def category_columns(self, category: str) -> tuple[str, ...]:
        return tuple(c.column for c in self.categories if c.category == category)


@dataclass(frozen=True)
class DataSource:
    """A registered system holding personal information, with its map."""

    id: str
    name: str
    kind: SourceKind
    connection: str = field(repr=False)
    """SQLAlchemy URL or file/folder path. Secret: sealed at rest, redacted when shown."""
    owner_system: str
    country: str
    province: str | None
    writable: bool
    mappings: tuple[TableMapping, ...]
    created_at: datetime

    @property
    def redacted_connection(self) -> str:
        return redact_connection(self.connection)

    def mapping(self, table: str) -> TableMapping | None:
        return next((m for m in self.mappings if m.table == table), None)


# --- looking subjects up ----------------------------------------------------------------------


@dataclass(frozen=True)
class LookupKey:
    """One identifier of a subject, with the spellings a source may have stored it in."""

    kind: SourceIdentifierKind
    values: tuple[str, ...]


@dataclass(frozen=True)
class FoundValue:
    column: str
    category: str
    value: str | None


@dataclass(frozen=True)
class SourceRow:
    """One row of a source that matched a subject: which columns matched, and the mapped values."""

    source: str
    table: str
    matched_on: tuple[str, ...]
    values: tuple[FoundValue, ...]
    retention_from: str | None = None


@dataclass(frozen=True)
class SampleRows:
    """The first rows of a table, every column (for the scanner, which looks for unmapped PII)."""

    source: str
    table: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]


@dataclass(frozen=True)
class SourceLookup:
    """What one source holds on a subject, or why it could not be asked."""

    source: str
    rows: tuple[SourceRow, ...] = ()
    error: ConfideError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def text_of(value: object) -> str | None:
    """The text form of a value read from a source (dates in ISO 8601, bytes as hex)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    iso = getattr(value, "isoformat", None)
    if callable(iso):
        return str(iso())
    return str(value)


def identifier_variants(kind: SourceIdentifierKind, value: str) -> tuple[str, ...]:
    """The spellings under which a normalized identifier may be stored in another system.

    Look-ups stay exact (so they use the source's index): a phone number in E.164 is also
    tried in the usual North American forms; an email in lower case (the normalized form)
    and as given. Other identifiers are matched as given.
    """
    value = value.strip()
    out: dict[str, None] = {value: None}
    if kind is SourceIdentifierKind.EMAIL:
        out.setdefault(value.lower(), None)
    elif kind is SourceIdentifierKind.PHONE:
        digits = "".join(ch for ch in value if ch.isdigit())
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        if len(digits) == 10:
            a, b, c = digits[:3], digits[3:6], digits[6:]
            for form in (
                f"+1{digits}",
                f"1{digits}",
                digits,
                f"{a}-{b}-{c}",
                f"({a}) {b}-{c}",
                f"{a} {b} {c}",
                f"{a}.{b}.{c}",
                f"+1 {a} {b} {c}",
                f"+1 {a}-{b}-{c}",
                f"+1-{a}-{b}-{c}",
                f"1-{a}-{b}-{c}",
            ):
                out.setdefault(form, None)
    return tuple(out)


# --- showing connections --------------------------------------------------------------------


def redact_connection(connection: str) -> str:
    """A URL without its user name, password or query values; a file path as is.

    ``postgresql+psycopg://app:s3cret@db.example:5432/crm?sslmode=require`` becomes
    ``postgresql+psycopg://***@db.example:5432/crm?sslmode=***``.
    """
    if "://" not in connection:
        return connection
    try:
        parts = urlsplit(connection)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return connection.split("://", 1)[0] + "://***"
    netloc = host + port
    if parts.username or parts.password:
        netloc = "***@" + netloc
    query = "&".join(
        (p.split("=", 1)[0] + "=***") if "=" in p else p for p in parts.query.split("&") if p
    )
    # Built by hand: urlunsplit drops the "//" of an empty host (``sqlite:////abs/path``).
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


# --- validation -----------------------------------------------------------------------------


def validate_source(source: DataSource, policy: Policy) -> list[FieldProblem]:
    """Every problem with a source's description and map, against the policy (no I/O)."""
    problems: list[FieldProblem] = []
    if not NAME_PATTERN.match(source.name):
        problems.append(
            FieldProblem(
                "name",
                "is not a valid source name",
                "lower-case letters, digits, '_', '.', '-'; at most 100",
            )
        )
    if not source.connection.strip():
        problems.append(FieldProblem("url", "is empty"))
    if not source.owner_system.strip() or len(source.owner_system) > 100:
        problems.append(FieldProblem("owner_system", "must have 1 to 100 characters"))
    if len(source.country) != 2 or not source.country.isalpha() or not source.country.isupper():
        problems.append(FieldProblem("country", "must be an ISO 3166 two-letter code", "e.g. CA"))
    if source.province is not None:
        if source.country != "CA":
            problems.append(FieldProblem("province", "is only given for a source hosted in Canada"))
        elif source.province not in PROVINCES:
            problems.append(
                FieldProblem("province", "is not a Canadian province or territory code")
            )
    if not source.mappings:
        problems.append(FieldProblem("tables", "map at least one table or file"))
    seen_tables: set[str] = set()
    for i, m in enumerate(source.mappings):
        problems.extend(_validate_mapping(m, f"tables[{i}]", policy))
        if m.table in seen_tables:
            problems.append(FieldProblem(f"tables[{i}].table", "is mapped twice"))
        seen_tables.add(m.table)
    return problems


def _validate_mapping(m: TableMapping, where: str, policy: Policy) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if not m.table.strip():
        problems.append(FieldProblem(f"{where}.table", "is empty"))
    if not m.identifiers:
        problems.append(
            FieldProblem(
                f"{where}.identifiers",
                "a mapping needs at least one identifier column",
                "map a column to email, phone, account, employee_number or external_ref",
            )
        )
    counts: dict[str, int] = {}
    for name in (*(i.column for i in m.identifiers), *(c.column for c in m.categories)):
        counts[name] = counts.get(name, 0) + 1
    for column, n in counts.items():
        if not column.strip():
            problems.append(FieldProblem(f"{where}.columns", "a column name is empty"))
        elif n > 1:
            problems.append(FieldProblem(f"{where}.{column}", "is mapped more than once"))
    for c in m.categories:
        if policy.category(c.category) is None:
            problems.append(
                FieldProblem(
                    f"{where}.categories.{c.column}",
                    f"category {c.category!r} is not a category of the policy",
                )
            )
    if m.retention_from is not None and not m.retention_from.strip():
        problems.append(FieldProblem(f"{where}.retention_from", "is empty"))
    return problems


# --- the mapping document (what `confide sources add --map FILE` reads) -------------------------


@dataclass(frozen=True)
class MappingDocument:
    """The parsed mapping file: where the source is hosted, and its tables."""

    owner_system: str | None
    country: str | None
    province: str | None
    writable: bool | None
    mappings: tuple[TableMapping, ...]


def parse_mapping_document(doc: object) -> MappingDocument:
    """Read a mapping document (a dict loaded from YAML or JSON); every problem is listed."""
    problems: list[FieldProblem] = []
    if not isinstance(doc, Mapping):
        raise ValidationFailed.single("mapping", "must be a mapping with a 'tables' list")
    allowed = {"owner_system", "country", "province", "writable", "tables"}
    for key in doc:
        if key not in allowed:
            problems.append(
                FieldProblem(str(key), "is not a mapping file key", ", ".join(sorted(allowed)))
            )

    def opt_str(key: str) -> str | None:
        v = doc.get(key)
        if v is None or isinstance(v, str):
            return v
        problems.append(FieldProblem(key, "must be text"))
        return None

    writable = doc.get("writable")
    if writable is not None and not isinstance(writable, bool):
        problems.append(FieldProblem("writable", "must be true or false"))
        writable = None
    tables = doc.get("tables")
    mappings: list[TableMapping] = []
    if not isinstance(tables, Sequence) or isinstance(tables, str) or not tables:
        problems.append(FieldProblem("tables", "must be a non-empty list of tables or files"))
    else:
        for i, t in enumerate(tables):
            mapping = _parse_table(t, f"tables[{i}]", problems)
            if mapping is not None:
                mappings.append(mapping)
    country, province = opt_str("country"), opt_str("province")
    result = MappingDocument(
        owner_system=opt_str("owner_system"),
        country=country.upper() if country else None,
        province=province.upper() if province else None,
        writable=writable,
        mappings=tuple(mappings),
    )
    if problems:
        raise ValidationFailed("the mapping file has problems", problems)
    return result


def _parse_table(t: object, where: str, problems: list[FieldProblem]) -> TableMapping | None:
    if not isinstance(t, Mapping):
        problems.append(FieldProblem(where, "must be a mapping with 'table' and 'identifiers'"))
        return None
    for key in t:
        if key not in {"table", "identifiers", "categories", "retention_from"}:
            problems.append(FieldProblem(f"{where}.{key}", "is not a table key"))
    table = t.get("table")
    if not isinstance(table, str) or not table.strip():
        problems.append(FieldProblem(f"{where}.table", "name the table or file"))
        return None
    identifiers: list[IdentifierColumn] = []
    for column, kind in _pairs(t.get("identifiers"), f"{where}.identifiers", problems):
        try:
            identifiers.append(IdentifierColumn(column, SourceIdentifierKind(kind)))
        except ValueError:
            problems.append(
                FieldProblem(
                    f"{where}.identifiers.{column}",
                    "is not an identifier kind",
                    ", ".join(k.value for k in SourceIdentifierKind),
                )
            )
    categories = [
        CategoryColumn(column, category)
        for column, category in _pairs(t.get("categories"), f"{where}.categories", problems)
    ]
    retention_from = t.get("retention_from")
    if retention_from is not None and not isinstance(retention_from, str):
        problems.append(FieldProblem(f"{where}.retention_from", "must be a column name"))
        retention_from = None
    return TableMapping(table.strip(), tuple(identifiers), tuple(categories), retention_from)


def _pairs(value: object, where: str, problems: list[FieldProblem]) -> Iterable[tuple[str, str]]:
    if value is None:
        return []
    if not isinstance(value, Mapping):
        problems.append(FieldProblem(where, "must map column names to values"))
        return []
    out = []
    for k, v in value.items():
        if not isinstance(k, str) or not isinstance(v, str):
            problems.append(FieldProblem(f"{where}.{k}", "column and value must be text"))
        else:
            out.append((k, v))
    return out


# --- errors -----------------------------------------------------------------------------------


class SourceUnavailable(ConfideError):
    """The source could not be reached or read. Names the source and the kind of failure only."""

    code = "source_unavailable"
    title = "A connected data source is unavailable"

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"data source {source!r} is unavailable ({reason})", source=source)
        self.source = source
        self.reason = reason


class SourceCheckFailed(ValidationFailed):
    """The source's map does not match the source (missing tables, files or columns)."""

    code = "source_check_failed"
    title = "The data source does not match its map"


class SourceNotFound(NotFound):
    def __init__(self, name: str) -> None:
        super().__init__("data source", name)


class SourceNotWritable(NotAllowed):
    def __init__(self, source: str) -> None:
        super().__init__(
            f"data source {source!r} is registered read-only; corrections must be made in it directly",
            rule="ACC-9",
            source=source,
        )


class CategoryNotMapped(ValidationFailed):
    """An update names a category (or column) the source's map does not hold."""

    code = "category_not_mapped"
    title = "The category is not mapped in this source"
