"""Consent receipts for the individual: an ISO/IEC TS 27560 consent record and a
Kantara Consent Receipt v1.1, as plain JSON-ready dicts (issue 4, item 8).

Both are built from one ``ConsentGiven`` event, the policy it was given under
and the organization. The 27560 record is laid out in the standard's sections
(record metadata, PII principal and controller, processing: purposes, PII
categories, legal basis; the consent event and its status history); field names
follow the DPV guide for 27560. The Kantara receipt uses that specification's
field names (``consentReceiptID``, ``piiPrincipalId``, ``services``...).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from confide.domain.consent.errors import UnknownPurpose
from confide.domain.consent.events import ConsentExpired, ConsentGiven, ConsentRenewed
from confide.domain.consent.events import ConsentWithdrawn as _Withdrawn
from confide.domain.policy import Category, Policy, Purpose, Sensitivity

KANTARA_VERSION = "KI-CR-v1.1.0"
ISO_27560_SCHEMA = "ISO/IEC TS 27560:2023"

StatusEvent = _Withdrawn | ConsentExpired | ConsentRenewed


def _purpose(policy: Policy, purpose_id: str) -> Purpose:
    purpose = policy.purpose(purpose_id)
    if purpose is None:
        raise UnknownPurpose(purpose_id)
    return purpose


def _categories(policy: Policy, purpose: Purpose) -> list[Category]:
    return [c for c in (policy.category(i) for i in purpose.categories) if c is not None]


def _jurisdiction(policy: Policy) -> str:
    return ", ".join(
        "CA-QC" if j == "QC" else ("CA" if j == "federal" else f"CA-{j}")
        for j in policy.organization.jurisdictions
    )


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def _status(
    consent: ConsentGiven, later: Iterable[StatusEvent]
) -> tuple[str, list[dict[str, object]]]:
    history: list[dict[str, object]] = [
        {"event_type": "given", "event_time": consent.at.isoformat()}
    ]
    status = "given"
    for event in sorted(later, key=lambda e: e.at):
        if isinstance(event, _Withdrawn):
            covers = event.purpose_id == consent.purpose_id and event.channel in (
                None,
                consent.channel,
            )
            if not covers:
                continue
            status = "withdrawn"
        elif event.consent_id != consent.event_id:
            continue
        elif isinstance(event, ConsentExpired):
            status = "expired"
        else:
            status = "renewed"
        history.append({"event_type": status, "event_time": event.at.isoformat()})
    return status, history


def iso_27560_record(
    consent: ConsentGiven,
    policy: Policy,
    *,
    later_events: Iterable[StatusEvent] = (),
    policy_url: str | None = None,
) -> dict[str, object]:
    """The consent record of ``consent`` following ISO/IEC TS 27560 (JSON-ready)."""
    purpose = _purpose(policy, consent.purpose_id)
    categories = _categories(policy, purpose)
    org = policy.organization
    language = consent.language
    status, history = _status(consent, later_events)
    return {
        "schema_version": ISO_27560_SCHEMA,
        "record_id": consent.event_id,
        "pii_principal_id": consent.subject_id,
        "created_at": consent.at.isoformat(),
        "language": language,
        "jurisdiction": _jurisdiction(policy),
        "pii_controller": {
            "name": org.name,
            "contact": {
                "name": org.privacy_officer.name,
                "title": org.privacy_officer.title.in_language(language),
                "email": org.privacy_officer.email,
                "phone": org.privacy_officer.phone,
                "address": org.privacy_officer.address,
            },
        },
        "notice": {
            "policy_id": policy.id,
            "policy_version": consent.policy_version,
            "policy_url": policy_url,
            "language": language,
        },
        "processing": [
            {
                "purposes": [
                    {
                        "id": purpose.id,
                        "description": purpose.description.in_language(language),
                        "marketing": purpose.marketing,
                    }
                ],
                "pii_categories": [
                    {
                        "id": c.id,
                        "description": c.description.in_language(language),
                        "sensitive": c.sensitivity is Sensitivity.HIGH,
                    }
                    for c in categories
                ],
                "legal_basis": "consent",
                "channel": consent.channel,
            }
        ],
        "consent": {
            "type": f"{consent.kind}_consent",
            "status": status,
            "method": str(consent.method),
            "given_at": consent.at.isoformat(),
            "expires_at": _iso(consent.expires_at),
            "given_by": "guardian" if consent.by_guardian else "pii_principal",
            "recorded_by": consent.recorded_by,
            "evidence_ref": consent.evidence_ref,
            "history": history,
        },
    }


def kantara_receipt(
    consent: ConsentGiven,
    policy: Policy,
    *,
    policy_url: str,
    later_events: Iterable[StatusEvent] = (),
) -> dict[str, object]:
    """A Kantara Initiative Consent Receipt v1.1 for ``consent`` (JSON-ready)."""
    purpose = _purpose(policy, consent.purpose_id)
    categories = _categories(policy, purpose)
    org = policy.organization
    language = consent.language
    sensitive = [c for c in categories if c.sensitivity is Sensitivity.HIGH]
    status, _ = _status(consent, later_events)
    recipients = [
        r.description.in_language(language)
        for r in policy.recipient_classes
        if purpose.id in r.purposes
    ]
    termination = (
        f"Until withdrawn; expires {consent.expires_at.isoformat()}"
        if consent.expires_at
        else "Until withdrawn"
    )
    return {
        "version": KANTARA_VERSION,
        "jurisdiction": _jurisdiction(policy),
        "consentTimestamp": int(consent.at.timestamp()),
        "collectionMethod": str(consent.method),
        "consentReceiptID": consent.event_id,
        "language": language,
        "piiPrincipalId": consent.subject_id,
        "piiControllers": [
            {
                "piiController": org.name,
                "contact": org.privacy_officer.name,
                "address": org.privacy_officer.address or "",
                "email": org.privacy_officer.email,
                "phone": org.privacy_officer.phone or "",
            }
        ],
        "policyUrl": policy_url,
        "services": [
            {
                "service": policy.title.in_language(language),
                "purposes": [
                    {
                        "purpose": purpose.description.in_language(language),
                        "purposeCategory": [purpose.id],
                        "consentType": "EXPLICIT" if consent.kind == "express" else "IMPLIED",
                        "piiCategory": [c.description.in_language(language) for c in categories],
                        "primaryPurpose": not purpose.marketing,
                        "termination": termination,
                        "thirdPartyDisclosure": bool(recipients),
                        "thirdPartyName": ", ".join(recipients),
                    }
                ],
            }
        ],
        "sensitive": bool(sensitive),
        "spiCat": [c.id for c in sensitive],
        "status": status,
        "policyVersion": consent.policy_version,
    }
