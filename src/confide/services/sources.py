"""Use cases of the data map: register, test, list and remove connected data sources, and
look a subject up across all of them (what the access file calls, ACC-4).

Registration checks the description against the policy and the map against the source
itself before anything is saved, and refuses with every problem listed. Each change is one
transaction with its audit record. A source that cannot be reached is a
:class:`~confide.domain.sources.SourceUnavailable` naming it; a look-up across sources
reports it for that source and carries on with the others.

Until the unit of work declares ``sources``, the repository is taken from the unit of work by
attribute (see :func:`_sources`).
"""

from __future__ import annotations

from dataclasses import dataclass

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.errors import ConfideError, Conflict, FieldProblem
from confide.domain.sources import (
    DataSource,
    LookupKey,
    SampleRows,
    SourceCheckFailed,
    SourceIdentifierKind,
    SourceKind,
    SourceLookup,
    SourceNotFound,
    TableMapping,
    identifier_variants,
    validate_source,
)
from confide.domain.subjects import Subject
from confide.services.context import ServiceContext
from confide.services.ports.sources import SourceConnector, SourceConnectors


@dataclass(frozen=True)
class RegisterSource:
    name: str
    kind: str
    connection: str
    owner_system: str
    mappings: tuple[TableMapping, ...]
    country: str = "CA"
    province: str | None = None
    writable: bool = False


@dataclass(frozen=True)
class SourceTestReport:
    source: str
    problems: tuple[FieldProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def lookup_keys(subject: Subject) -> list[LookupKey]:
    """The subject's identifiers, each with the spellings sources may store it in."""
    keys = [
        LookupKey(kind, identifier_variants(kind, i.value))
        for i in subject.identifiers
        for kind in (SourceIdentifierKind(i.kind.value),)
    ]
    if subject.external_ref:
        keys.append(
            LookupKey(
                SourceIdentifierKind.EXTERNAL_REF,
                identifier_variants(SourceIdentifierKind.EXTERNAL_REF, subject.external_ref),
            )
        )
    return keys


class SourceService:
    """The data map's use cases. ``connectors`` opens (and keeps) one connector per source."""

    def __init__(self, ctx: ServiceContext, connectors: SourceConnectors) -> None:
        self.ctx = ctx
        self.connectors = connectors

    # --- registering ----------------------------------------------------------------------------
    def register(self, principal: Principal, cmd: RegisterSource) -> DataSource:
        principal.require(Action.SOURCES_REGISTER)
        problems: list[FieldProblem] = []
        try:
            kind = SourceKind(cmd.kind)
        except ValueError:
            problems.append(
                FieldProblem(
                    "kind", "is not a kind of source", ", ".join(k.value for k in SourceKind)
                )
            )
            kind = SourceKind.SQL
        source = DataSource(
            id=self.ctx.new_id("src"),
            name=cmd.name.strip(),
            kind=kind,
            connection=cmd.connection.strip(),
            owner_system=cmd.owner_system.strip(),
            country=cmd.country.strip().upper(),
            province=cmd.province.strip().upper() if cmd.province else None,
            writable=cmd.writable,
            mappings=cmd.mappings,
            created_at=self.ctx.now(),
        )
        problems.extend(validate_source(source, self.ctx.policy))
        if problems:
            raise SourceCheckFailed("the data source cannot be registered", problems)
        with self.ctx.uow(readonly=True) as uow:
            if uow.sources.by_name(source.name) is not None:
                raise Conflict("a data source with this name is registered", fields=["name"])
        # The map is checked against the source itself before anything is saved.
        connector = self.connectors.open(source)
        try:
            found = connector.test()
        except ConfideError:
            self.connectors.forget(source.id)
            raise
        if found:
            self.connectors.forget(source.id)
            raise SourceCheckFailed("the data source does not match its map", found)
        with self.ctx.uow() as uow:
            repo = uow.sources
            if repo.by_name(source.name) is not None:
                raise Conflict("a data source with this name is registered", fields=["name"])
            repo.add(source)
            uow.audit.record(
                self._audit(
                    principal,
                    "source.registered",
                    source,
                    {
                        "kind": source.kind.value,
                        "owner_system": source.owner_system,
                        "country": source.country,
                        "province": source.province,
                        "writable": source.writable,
                        "tables": [m.table for m in source.mappings],
                        "categories": sorted(
                            {c.category for m in source.mappings for c in m.categories}
                        ),
                    },
                )
            )
            uow.commit()
        return source

    def remove(self, principal: Principal, name: str) -> DataSource:
        principal.require(Action.SOURCES_REMOVE)
        with self.ctx.uow() as uow:
            repo = uow.sources
            source = repo.by_name(name)
            if source is None:
                raise SourceNotFound(name)
            repo.remove(source.id)
            uow.audit.record(self._audit(principal, "source.removed", source, {}))
            uow.commit()
        self.connectors.forget(source.id)
        return source

    # --- reading the map ------------------------------------------------------------------------
    def list_sources(self, principal: Principal) -> list[DataSource]:
        principal.require(Action.SOURCES_READ)
        with self.ctx.uow(readonly=True) as uow:
            return uow.sources.all()

    def get(self, principal: Principal, name: str) -> DataSource:
        principal.require(Action.SOURCES_READ)
        return self._get(name)

    def test(self, principal: Principal, name: str) -> SourceTestReport:
        """Check the map against the active policy and the source again.

        Raises ``SourceUnavailable`` if the source cannot be reached. A policy version that
        dropped a category the map uses shows here as a problem of that column.
        """
        principal.require(Action.SOURCES_TEST)
        source = self._get(name)
        problems = validate_source(source, self.ctx.policy)
        problems.extend(self._connector(source).test())
        return SourceTestReport(source.name, tuple(problems))

    # --- using the sources ------------------------------------------------------------------------
    def find_subject_everywhere(
        self, principal: Principal, subject: Subject, *, audit: bool = True
    ) -> list[SourceLookup]:
        """What every registered source holds on ``subject``, or the error of a source that failed.

        ``audit=False`` is for a caller that records the look-up in its own audit entry
        (the access file does, in the same unit of work as the request's progress).
        """
        principal.require(Action.SOURCES_LOOKUP)
        keys = lookup_keys(subject)
        with self.ctx.uow(readonly=True) as uow:
            sources = uow.sources.all()
        results: list[SourceLookup] = []
        for source in sources:
            try:
                rows = self._connector(source).find(keys)
            except ConfideError as exc:
                results.append(SourceLookup(source.name, error=exc))
            else:
                results.append(SourceLookup(source.name, rows=tuple(rows)))
        if audit:
            with self.ctx.uow() as uow:
                uow.audit.record(
                    AuditRecord(
                        action="source.subject_looked_up",
                        actor=principal.user_id,
                        object_type="subject",
                        object_id=subject.id,
                        at=self.ctx.now(),
                        policy_version=self.ctx.active.version_id if self.ctx.active else None,
                        subject_id=subject.id,
                        details={
                            "sources": {
                                r.source: (len(r.rows) if r.ok else "unavailable") for r in results
                            }
                        },
                    )
                )
                uow.commit()
        return results

    def correct_in_source(
        self,
        principal: Principal,
        name: str,
        subject: Subject,
        category: str,
        value: str,
        *,
        column: str | None = None,
    ) -> int:
        """Write an accepted correction into a writable source (ACC-9); returns rows changed."""
        principal.require(Action.SOURCES_CORRECT)
        source = self._get(name)
        changed = self._connector(source).update(
            lookup_keys(subject), category, value, column=column
        )
        with self.ctx.uow() as uow:
            uow.audit.record(
                AuditRecord(
                    action="source.corrected",
                    actor=principal.user_id,
                    object_type="source",
                    object_id=source.id,
                    at=self.ctx.now(),
                    policy_version=self.ctx.active.version_id if self.ctx.active else None,
                    subject_id=subject.id,
                    details={"source": source.name, "category": category, "rows": changed},
                )
            )
            uow.commit()
        return changed

    def sample(self, principal: Principal, name: str, table: str, n: int = 100) -> SampleRows:
        """The first rows of a table or file, every column (for the scanner)."""
        principal.require(Action.SOURCES_SAMPLE)
        return self._connector(self._get(name)).sample(table, n)

    # --- helpers ----------------------------------------------------------------------------------
    def _get(self, name: str) -> DataSource:
        with self.ctx.uow(readonly=True) as uow:
            source = uow.sources.by_name(name)
        if source is None:
            raise SourceNotFound(name)
        return source

    def _connector(self, source: DataSource) -> SourceConnector:
        return self.connectors.open(source)

    def _audit(
        self, principal: Principal, action: str, source: DataSource, details: dict[str, object]
    ) -> AuditRecord:
        active = self.ctx.active
        return AuditRecord(
            action=action,
            actor=principal.user_id,
            object_type="source",
            object_id=source.id,
            at=self.ctx.now(),
            policy_version=active.version_id if active else None,
            details={"name": source.name, **details},
        )
