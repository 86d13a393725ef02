"""The consent stores over the unit of work's connection, one module per area:

- ``ledger``: the append-only events (written and read through ``domain.consent.codec``),
  histories and the decision hot path's reads;
- ``decisions``: recorded decisions;
- ``state``: the read model rows (``consent_state``) and their rebuilds;
- ``downstream``: downstream systems, withdrawal acknowledgements, national do-not-call copies.

``SqlAlchemyConsentRepository`` is the four together, the unit of work's ``consent``
(``services.ports.ConsentRepository``): each part is a complete store on its own, sharing
only the connection, so the services' ``uow.consent.<method>`` calls read one object.
"""

from __future__ import annotations

from confide.adapters.db.repositories.consent._driver import event_from_row
from confide.adapters.db.repositories.consent.decisions import SqlAlchemyDecisionRecords
from confide.adapters.db.repositories.consent.downstream import SqlAlchemyDownstreamRecords
from confide.adapters.db.repositories.consent.ledger import SqlAlchemyConsentLedger
from confide.adapters.db.repositories.consent.state import SqlAlchemyConsentStateRows


class SqlAlchemyConsentRepository(
    SqlAlchemyConsentLedger,
    SqlAlchemyDecisionRecords,
    SqlAlchemyConsentStateRows,
    SqlAlchemyDownstreamRecords,
):
    """Implements ``confide.services.ports.ConsentRepository``: the consent stores in one."""


__all__ = [
    "SqlAlchemyConsentLedger",
    "SqlAlchemyConsentRepository",
    "SqlAlchemyConsentStateRows",
    "SqlAlchemyDecisionRecords",
    "SqlAlchemyDownstreamRecords",
    "event_from_row",
]
