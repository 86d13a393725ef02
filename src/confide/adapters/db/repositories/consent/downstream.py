"""Withdrawals reaching downstream systems (CON-5) and the national do-not-call list (CEM-4)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import insert, select

from confide.adapters.db.bulk import insert_rows
from confide.adapters.db.repositories.consent._driver import Store, event_from_row
from confide.adapters.db.tables import (
    consent_events,
    downstream_systems,
    national_dnc_copies,
    national_dnc_numbers,
    withdrawal_acks,
)
from confide.domain.consent.codec import kind_of
from confide.domain.consent.events import ConsentWithdrawn
from confide.domain.consent.telemarketing import NationalDoNotCallList

_WITHDRAWN = kind_of(ConsentWithdrawn)


class SqlAlchemyDownstreamRecords(Store):
    """Downstream systems, their acknowledgements of withdrawals, and national list copies."""

    def add_system(self, system_id: str, name: str, purposes: Sequence[str], at: datetime) -> None:
        self._conn.execute(
            insert(downstream_systems).values(
                id=system_id, name=name, purposes=list(purposes), created_at=at, active=True
            )
        )

    def systems(self) -> list[tuple[str, str, tuple[str, ...]]]:
        rows = self._conn.execute(
            select(
                downstream_systems.c.id, downstream_systems.c.name, downstream_systems.c.purposes
            )
            .where(downstream_systems.c.active.is_(True))
            .order_by(downstream_systems.c.name)
        )
        return [(r[0], r[1], tuple(r[2])) for r in rows]

    def add_ack(self, withdrawal_id: str, system_id: str, at: datetime, recorded_by: str) -> None:
        self._conn.execute(
            insert(withdrawal_acks).values(
                withdrawal_id=withdrawal_id,
                system_id=system_id,
                acknowledged_at=at,
                recorded_by=recorded_by,
            )
        )

    def acks(self, withdrawal_ids: Iterable[str]) -> dict[str, dict[str, datetime]]:
        ids = list(withdrawal_ids)
        out: dict[str, dict[str, datetime]] = {i: {} for i in ids}
        for start in range(0, len(ids), 900):
            for wid, sid, at in self._conn.execute(
                select(
                    withdrawal_acks.c.withdrawal_id,
                    withdrawal_acks.c.system_id,
                    withdrawal_acks.c.acknowledged_at,
                ).where(withdrawal_acks.c.withdrawal_id.in_(ids[start : start + 900]))
            ):
                out[wid][sid] = at
        return out

    def withdrawals_since(self, since: datetime) -> list[ConsentWithdrawn]:
        rows = self._conn.execute(
            select(consent_events)
            .where(consent_events.c.type == _WITHDRAWN, consent_events.c.at >= since)
            .order_by(consent_events.c.at, consent_events.c.id)
        ).mappings()
        return [e for e in (event_from_row(r) for r in rows) if isinstance(e, ConsentWithdrawn)]

    # --- national do-not-call list (CEM-4) ----------------------------------------------------
    def add_national_copy(
        self, copy_id: str, taken_at: datetime, numbers: Sequence[str], at: datetime
    ) -> None:
        self._conn.execute(
            insert(national_dnc_copies).values(
                id=copy_id, taken_at=taken_at, imported_at=at, numbers=len(numbers)
            )
        )
        insert_rows(
            self._conn, national_dnc_numbers, ("copy_id", "phone"), [(copy_id, n) for n in numbers]
        )

    def national_copy_for(self, phones: Sequence[str]) -> NationalDoNotCallList | None:
        """The latest copy, holding only which of ``phones`` it lists (what a decision needs)."""
        latest = self._conn.execute(
            select(national_dnc_copies.c.id, national_dnc_copies.c.taken_at)
            .order_by(national_dnc_copies.c.taken_at.desc())
            .limit(1)
        ).first()
        if latest is None:
            return None
        listed: frozenset[str] = frozenset()
        if phones:
            listed = frozenset(
                r[0]
                for r in self._conn.execute(
                    select(national_dnc_numbers.c.phone).where(
                        national_dnc_numbers.c.copy_id == latest[0],
                        national_dnc_numbers.c.phone.in_(list(phones)),
                    )
                )
            )
        return NationalDoNotCallList(latest[1], listed)
