"""Errors of the consent area. Messages name ids, fields and rules, never personal values."""

from __future__ import annotations

from confide.domain.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from confide.domain.policy import Text


class UnknownPurpose(NotFound):
    def __init__(self, purpose_id: str) -> None:
        super().__init__("purpose", purpose_id)


class UnknownChannel(NotFound):
    def __init__(self, channel_id: str) -> None:
        super().__init__("channel", channel_id)


class UnknownCategory(NotFound):
    def __init__(self, category_id: str) -> None:
        super().__init__("category", category_id)


class UnknownPolicyVersion(NotFound):
    def __init__(self, version: str) -> None:
        super().__init__("policy version", version)


class TimeInFuture(ValidationFailed):
    def __init__(self, field: str) -> None:
        super().__init__(f"{field}: must not be in the future")
        self.field = field


class ChannelNotForPurpose(ValidationFailed):
    def __init__(self, purpose_id: str, channel_id: str) -> None:
        super().__init__(f"channel {channel_id} is not a channel of purpose {purpose_id}")
        self.purpose_id = purpose_id
        self.channel_id = channel_id


class ChannelRequired(ValidationFailed):
    def __init__(self, purpose_id: str) -> None:
        super().__init__(f"purpose {purpose_id} is a marketing purpose: a channel is required")
        self.purpose_id = purpose_id


class PolicyVersionMismatch(ValidationFailed):
    def __init__(self, version: str, expected: str) -> None:
        super().__init__(f"policy version {version} is not the version in force ({expected})")


class ConsentNotNeeded(NotAllowed):
    """Consent is not the basis of this purpose (service essential or legal obligation)."""

    def __init__(self, purpose_id: str) -> None:
        super().__init__(
            f"purpose {purpose_id} does not rest on consent", rule="CON-6", purpose_id=purpose_id
        )


class MethodNotAccepted(NotAllowed):
    def __init__(self, purpose_id: str, method: str) -> None:
        super().__init__(
            f"method {method} is not accepted for purpose {purpose_id}",
            rule="CON-1",
            purpose_id=purpose_id,
        )


class ExpressConsentRequired(NotAllowed):
    def __init__(self, purpose_id: str, rule: str = "CON-3") -> None:
        super().__init__(
            f"purpose {purpose_id} needs express consent", rule=rule, purpose_id=purpose_id
        )


class BundledConsentRefused(NotAllowed):
    """Québec: consent is asked separately for each specific purpose (CON-8)."""

    def __init__(self, purpose_ids: tuple[str, ...]) -> None:
        super().__init__(
            f"one consent per purpose is required; got {len(purpose_ids)} purposes together",
            rule="CON-8",
        )


class GuardianConsentRequired(NotAllowed):
    """Québec: a minor under 14 consents through a parent or tutor (CON-8)."""

    def __init__(self, subject_id: str) -> None:
        super().__init__(
            f"subject {subject_id} is a minor: a parent or tutor must consent",
            rule="CON-8",
            subject_id=subject_id,
        )


class ServiceEssentialOptOutRefused(NotAllowed):
    """Opting out of a service-essential purpose: terminating the service is the way (CON-6).

    ``explanation`` is the plain-language answer to give the individual.
    """

    def __init__(self, purpose_id: str, explanation: Text) -> None:
        super().__init__(
            f"purpose {purpose_id} is essential to the service: it ends when the service is"
            " terminated",
            rule="CON-6",
            purpose_id=purpose_id,
        )
        self.purpose_id = purpose_id
        self.explanation = explanation


class NothingToWithdraw(Conflict):
    def __init__(self, purpose_id: str, channel: str | None) -> None:
        where = f" on channel {channel}" if channel else ""
        super().__init__(
            f"no consent in force for purpose {purpose_id}{where}",
            purpose_id=purpose_id,
            channel=channel,
        )
