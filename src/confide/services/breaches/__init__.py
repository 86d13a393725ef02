"""Use cases of the breach register (BRE-1..5): record an incident, link the people affected,
assess the risk, report to the regulators, notify people and organizations, close, export,
and dispose of records whose keeping period has ended.

* :mod:`.register` — :class:`IncidentRegister`: incidents, people, assessment, closing, keeping,
  reading;
* :mod:`.reporting` — :class:`BreachService`: the register with its reports and notices;
* :mod:`.commands` — what the front doors give, checked field by field;
* :mod:`.affected` — an uploaded list of people; :mod:`.notices` — composing the notices;
  :mod:`.export` — the register for a regulator.

Each use case is one unit of work with its audit entry (which names ids, kinds, counts and
dates, never the narrative, which may name people). Notices to people are composed into the
outbox in the same unit of work as the register's record of them.
"""

from confide.services.breaches.commands import (
    AssessIncident,
    IncidentFacts,
    NotifyIndividuals,
    PlanNotice,
    PortalReport,
    PublicNotice,
    RecordSent,
)
from confide.services.breaches.register import IncidentRegister, IncidentView, RegisterRow
from confide.services.breaches.reporting import BreachService

__all__ = [
    "AssessIncident",
    "BreachService",
    "IncidentFacts",
    "IncidentRegister",
    "IncidentView",
    "NotifyIndividuals",
    "PlanNotice",
    "PortalReport",
    "PublicNotice",
    "RecordSent",
    "RegisterRow",
]
