"""``authorized_representative``: to a person the company reasonably believes is the
individual's authorized representative (DIS-2).

Evidence: the reference of the authorization on record (power of attorney,
mandate, authorized-user designation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from confide.domain.disclosure.exceptions.base import Evidence, ExceptionRule


@dataclass(frozen=True)
class RepresentativeAuthorization(Evidence):
    kind: ClassVar[str] = "authorization_reference"

    authorization_reference: str


class AuthorizedRepresentativeRule(ExceptionRule):
    code = "authorized_representative"
    evidence_type = RepresentativeAuthorization
    required_fields = ("authorization_reference",)
