"""Consent rules and the use-decision engine (CON-1..10, CEM-1..5), pure domain.

- ``events``: what the ledger records (``ConsentGiven``, ``ConsentWithdrawn``...) and the commands.
- ``state``: a subject's consent state derived from its events.
- ``casl``: implied-consent windows (CEM-1, CON-2).
- ``business_days``: business-day deadlines with a ``HolidayCalendar`` port (CEM-2, CON-5).
- ``telemarketing``: do-not-call lists and calling hours (CEM-4, CEM-5).
- ``engine``: ``decide(...) -> Decision`` (``decision``), over a policy ``compiled`` once.
- ``ledger``: command handlers (give, withdraw, relationship events, termination).
- ``withdrawals``: downstream acknowledgement tracking (CON-5).
- ``receipts``: ISO/IEC TS 27560 record and Kantara v1.1 receipt.
- ``versions``: policy versions and the purposes each added (CON-4); ``reconsent``: who to ask again.
"""

from confide.domain.consent.decision import Decision
from confide.domain.consent.engine import decide
from confide.domain.consent.reasons import Reason
from confide.domain.consent.state import SubjectState, derive_state

__all__ = ["Decision", "Reason", "SubjectState", "decide", "derive_state"]
