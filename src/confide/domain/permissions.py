"""Who may do what: one table from action to the roles allowed to do it (deny by default).

Every use case names its :class:`Action` (``principal.require(Action.SUBJECTS_READ)``) and every
API route declares the action it performs (``allow(Action.SUBJECTS_READ)``); the roles come from
:data:`PERMISSIONS` alone, so changing who may do something is one line here. An action missing
from the table is allowed to nobody. The route-table test proves, route by route, that exactly
the action's roles get through; a unit test proves the table is complete and used.

A new register adds its actions here (``breaches.record``, ``breaches.read`` ...) and names them
in its service and routes: nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from confide.domain.roles import ALL_STAFF, Role

OFFICER = frozenset({Role.PRIVACY_OFFICER})
_OFFICER_AGENT = frozenset({Role.PRIVACY_OFFICER, Role.AGENT})
_OFFICER_AUDITOR = frozenset({Role.PRIVACY_OFFICER, Role.AUDITOR})
_OFFICER_INTEGRATION = frozenset({Role.PRIVACY_OFFICER, Role.INTEGRATION})
_OPERATIONS = frozenset({Role.PRIVACY_OFFICER, Role.AGENT, Role.INTEGRATION})
"""Staff and systems that act on a person's information (not the auditor, who changes nothing)."""
_READERS_NOT_INTEGRATION = frozenset({Role.PRIVACY_OFFICER, Role.AGENT, Role.AUDITOR})


class Action(StrEnum):
    """Everything a principal may be allowed to do; the value is the name shown in refusals."""

    # staff, keys, demo
    STAFF_ME = "staff.me"
    USERS_ADD = "users.add"
    USERS_LIST = "users.list"
    TOKENS_CREATE = "tokens.create"
    TOKENS_REVOKE = "tokens.revoke"
    KEYS_ROTATE = "keys.rotate"
    DEMO_GENERATE = "demo.generate"
    # policy
    POLICY_READ = "policy.read"
    POLICY_ACTIVATE = "policy.activate"
    # subjects and their information
    SUBJECTS_REGISTER = "subjects.register"
    SUBJECTS_IMPORT = "subjects.import"
    SUBJECTS_READ = "subjects.read"
    SUBJECTS_READ_SEALED = "subjects.read_sealed"
    PERSONAL_INFO_RECORD = "personal_info.record"
    PERSONAL_INFO_CORRECT = "personal_info.correct"
    # consent and decisions
    CONSENT_GIVE = "consent.give"
    CONSENT_WITHDRAW = "consent.withdraw"
    CONSENT_RELATIONSHIP = "consent.relationship"
    CONSENT_CHANNEL = "consent.channel"
    CONSENT_DO_NOT_CALL = "consent.do_not_call"
    CONSENT_ACKNOWLEDGE = "consent.acknowledge"
    CONSENT_READ = "consent.read"
    CONSENT_SYSTEMS = "consent.systems"
    CONSENT_RECONSENT = "consent.reconsent"
    CONSENT_REBUILD_STATE = "consent.rebuild_state"
    CONSENT_MAINTAIN_STATE = "consent.maintain_state"
    CONSENT_NATIONAL_DNC = "consent.national_dnc"
    DECISIONS_DECIDE = "decisions.decide"
    DECISIONS_READ = "decisions.read"
    AUDIENCE_COMPUTE = "audience.compute"
    # disclosures and recipients
    DISCLOSURES_DECIDE = "disclosures.decide"
    DISCLOSURES_DISCLOSE = "disclosures.disclose"
    DISCLOSURES_BULK = "disclosures.bulk"
    DISCLOSURES_ACCOUNT = "disclosures.account"
    DISCLOSURES_CROSS_BORDER = "disclosures.cross_border"
    DISCLOSURES_IMPORT_HISTORY = "disclosures.import_history"
    DISCLOSURES_NOTICES = "disclosures.notices"
    DISCLOSURES_NOTICES_CLOSE = "disclosures.notices.close"
    RECIPIENTS_ADD = "recipients.add"
    RECIPIENTS_READ = "recipients.read"
    RECIPIENTS_CORRECTION_ENDPOINT = "recipients.correction_endpoint"
    RECIPIENTS_CORRECTION_SECRET = "recipients.correction_secret"
    # requests (ACC-1..11), corrections, access files, holds
    REQUESTS_SUBMIT = "requests.submit"
    REQUESTS_READ = "requests.read"
    REQUESTS_LIST = "requests.list"
    REQUESTS_SEND_CODE = "requests.send_code"
    REQUESTS_VERIFY = "requests.verify"
    REQUESTS_PREPARE = "requests.prepare"
    REQUESTS_READ_FILE = "requests.read_file"
    REQUESTS_RESPONSE = "requests.response"
    REQUESTS_REVIEW = "requests.review"
    REQUESTS_RELEASE = "requests.release"
    REQUESTS_RESPOND = "requests.respond"
    REQUESTS_REFUSE = "requests.refuse"
    REQUESTS_CLOSE = "requests.close"
    REQUESTS_EXTEND = "requests.extend"
    REQUESTS_ESTIMATE_FEE = "requests.estimate_fee"
    REQUESTS_ACCEPT_FEE = "requests.accept_fee"
    REQUESTS_TICK = "requests.tick"
    CORRECTIONS_ACCEPT = "corrections.accept"
    CORRECTIONS_REFUSE = "corrections.refuse"
    CORRECTIONS_DISAGREEMENTS = "corrections.disagreements"
    ACCESS_FILE_ASSEMBLE = "access_file.assemble"
    HOLDS_READ = "holds.read"
    HOLDS_OPEN = "holds.open"
    HOLDS_CLOSE = "holds.close"
    # retention and disposal (RET-1..3)
    RETENTION_READ = "retention.read"
    RETENTION_EVENTS = "retention.events"
    RETENTION_PLAN = "retention.plan"
    RETENTION_APPROVE = "retention.approve"
    RETENTION_CANCEL = "retention.cancel"
    RETENTION_EXECUTE = "retention.execute"
    RETENTION_TICK = "retention.tick"
    RETENTION_SCHEDULE = "retention.schedule"
    RETENTION_CERTIFICATES = "retention.certificates"
    RETENTION_TASKS_CLOSE = "retention.tasks_close"
    # the breach register
    INCIDENTS_READ = "incidents.read"
    INCIDENTS_RECORD = "incidents.record"
    INCIDENTS_MANAGE = "incidents.manage"
    INCIDENTS_EXPORT = "incidents.export"
    INCIDENTS_DISPOSE = "incidents.dispose"
    INCIDENTS_TICK = "incidents.tick"
    # complaints
    COMPLAINTS_READ = "complaints.read"
    COMPLAINTS_RECORD = "complaints.record"
    COMPLAINTS_HANDLE = "complaints.handle"
    COMPLAINTS_MANAGE = "complaints.manage"
    COMPLAINTS_TICK = "complaints.tick"
    # the outbox and background jobs
    OUTBOX_DELIVER = "outbox.deliver"
    OUTBOX_READ = "outbox.read"
    OUTBOX_RETRY = "outbox.retry"
    OUTBOX_LETTERS = "outbox.letters"
    JOBS_READ = "jobs.read"
    JOBS_RETRY = "jobs.retry"
    JOBS_DISCARD = "jobs.discard"
    # data sources and the scanner
    SOURCES_REGISTER = "sources.register"
    SOURCES_REMOVE = "sources.remove"
    SOURCES_READ = "sources.read"
    SOURCES_TEST = "sources.test"
    SOURCES_LOOKUP = "sources.lookup"
    SOURCES_CORRECT = "sources.correct"
    SOURCES_SAMPLE = "sources.sample"
    SCANNER_SCAN_TEXT = "scanner.scan_text"
    SCANNER_ANONYMIZE = "scanner.anonymize"
    SCANNER_SCAN_FILES = "scanner.scan_files"
    SCANNER_DISCOVER_SOURCE = "scanner.discover_source"
    # the audit trail
    AUDIT_READ_CHECKPOINTS = "audit.read_checkpoints"
    AUDIT_PROVE = "audit.prove"
    AUDIT_CHECKPOINT = "audit.checkpoint"
    AUDIT_READ_ENTRIES = "audit.read_entries"
    AUDIT_EXPORT = "audit.export"
    AUDIT_VERIFY = "audit.verify"
    AUDIT_ERASE_SUBJECT = "audit.erase_subject"
    # the staff console's pages
    CONSOLE_SUBJECTS = "console.subjects"
    CONSOLE_REQUESTS = "console.requests"
    CONSOLE_WORK = "console.work"


PERMISSIONS: Mapping[Action, frozenset[Role]] = MappingProxyType(
    {
        Action.STAFF_ME: ALL_STAFF,
        Action.USERS_ADD: OFFICER,
        Action.USERS_LIST: OFFICER,
        Action.TOKENS_CREATE: OFFICER,
        Action.TOKENS_REVOKE: OFFICER,
        Action.KEYS_ROTATE: OFFICER,
        Action.DEMO_GENERATE: OFFICER,
        Action.POLICY_READ: ALL_STAFF,
        Action.POLICY_ACTIVATE: OFFICER,
        Action.SUBJECTS_REGISTER: _OPERATIONS,
        Action.SUBJECTS_IMPORT: _OPERATIONS,
        Action.SUBJECTS_READ: _OPERATIONS,
        Action.SUBJECTS_READ_SEALED: OFFICER,
        Action.PERSONAL_INFO_RECORD: _OPERATIONS,
        Action.PERSONAL_INFO_CORRECT: _OFFICER_AGENT,
        Action.CONSENT_GIVE: _OPERATIONS,
        Action.CONSENT_WITHDRAW: _OPERATIONS,
        Action.CONSENT_RELATIONSHIP: _OPERATIONS,
        Action.CONSENT_CHANNEL: _OPERATIONS,
        Action.CONSENT_DO_NOT_CALL: _OPERATIONS,
        Action.CONSENT_ACKNOWLEDGE: _OPERATIONS,
        Action.CONSENT_READ: ALL_STAFF,
        Action.CONSENT_SYSTEMS: OFFICER,
        Action.CONSENT_RECONSENT: OFFICER,
        Action.CONSENT_REBUILD_STATE: OFFICER,
        Action.CONSENT_MAINTAIN_STATE: _OFFICER_INTEGRATION,
        Action.CONSENT_NATIONAL_DNC: OFFICER,
        Action.DECISIONS_DECIDE: _OPERATIONS,
        Action.DECISIONS_READ: ALL_STAFF,
        Action.AUDIENCE_COMPUTE: _OFFICER_INTEGRATION,
        Action.DISCLOSURES_DECIDE: _OPERATIONS,
        Action.DISCLOSURES_DISCLOSE: _OPERATIONS,
        Action.DISCLOSURES_BULK: _OFFICER_INTEGRATION,
        Action.DISCLOSURES_ACCOUNT: _READERS_NOT_INTEGRATION,
        Action.DISCLOSURES_CROSS_BORDER: _OFFICER_AUDITOR,
        Action.DISCLOSURES_IMPORT_HISTORY: OFFICER,
        Action.DISCLOSURES_NOTICES: ALL_STAFF,
        Action.DISCLOSURES_NOTICES_CLOSE: _OFFICER_AGENT,
        Action.RECIPIENTS_ADD: OFFICER,
        Action.RECIPIENTS_READ: ALL_STAFF,
        Action.RECIPIENTS_CORRECTION_ENDPOINT: OFFICER,
        Action.RECIPIENTS_CORRECTION_SECRET: OFFICER,
        Action.REQUESTS_SUBMIT: _OPERATIONS,
        Action.REQUESTS_READ: _OFFICER_AGENT,
        Action.REQUESTS_LIST: _OFFICER_AGENT,
        Action.REQUESTS_SEND_CODE: _OFFICER_AGENT,
        Action.REQUESTS_VERIFY: _OFFICER_AGENT,
        Action.REQUESTS_PREPARE: _OFFICER_AGENT,
        Action.REQUESTS_READ_FILE: _OFFICER_AGENT,
        Action.REQUESTS_RESPONSE: _OFFICER_AGENT,
        Action.REQUESTS_REVIEW: OFFICER,
        Action.REQUESTS_RELEASE: OFFICER,
        Action.REQUESTS_RESPOND: OFFICER,
        Action.REQUESTS_REFUSE: OFFICER,
        Action.REQUESTS_CLOSE: OFFICER,
        Action.REQUESTS_EXTEND: OFFICER,
        Action.REQUESTS_ESTIMATE_FEE: OFFICER,
        Action.REQUESTS_ACCEPT_FEE: _OFFICER_AGENT,
        Action.REQUESTS_TICK: _OFFICER_INTEGRATION,
        Action.CORRECTIONS_ACCEPT: _OFFICER_AGENT,
        Action.CORRECTIONS_REFUSE: _OFFICER_AGENT,
        Action.CORRECTIONS_DISAGREEMENTS: _OPERATIONS,
        Action.ACCESS_FILE_ASSEMBLE: _OFFICER_AGENT,
        Action.HOLDS_READ: _READERS_NOT_INTEGRATION,
        Action.HOLDS_OPEN: OFFICER,
        Action.HOLDS_CLOSE: OFFICER,
        Action.RETENTION_READ: _OFFICER_AUDITOR,
        Action.RETENTION_EVENTS: _OPERATIONS,
        Action.RETENTION_PLAN: OFFICER,
        Action.RETENTION_APPROVE: OFFICER,
        Action.RETENTION_CANCEL: OFFICER,
        # Only runs the privacy officer (or the officer's schedule) approved can be executed;
        # the workers execute them as the integration role.
        Action.RETENTION_EXECUTE: _OFFICER_INTEGRATION,
        Action.RETENTION_TICK: _OFFICER_INTEGRATION,
        Action.RETENTION_SCHEDULE: OFFICER,
        Action.RETENTION_CERTIFICATES: _OFFICER_AUDITOR,
        Action.RETENTION_TASKS_CLOSE: OFFICER,
        Action.INCIDENTS_READ: _OFFICER_AUDITOR,
        Action.INCIDENTS_RECORD: _OFFICER_AGENT,
        Action.INCIDENTS_MANAGE: OFFICER,
        Action.INCIDENTS_EXPORT: _OFFICER_AUDITOR,
        Action.INCIDENTS_DISPOSE: OFFICER,
        Action.INCIDENTS_TICK: _OFFICER_INTEGRATION,
        Action.COMPLAINTS_READ: _READERS_NOT_INTEGRATION,
        Action.COMPLAINTS_RECORD: _OFFICER_AGENT,
        Action.COMPLAINTS_HANDLE: _OFFICER_AGENT,
        Action.COMPLAINTS_MANAGE: OFFICER,
        Action.COMPLAINTS_TICK: _OFFICER_INTEGRATION,
        Action.OUTBOX_DELIVER: _OFFICER_INTEGRATION,
        Action.OUTBOX_READ: OFFICER,
        Action.OUTBOX_RETRY: OFFICER,
        Action.OUTBOX_LETTERS: _OFFICER_AGENT,
        Action.JOBS_READ: OFFICER,
        Action.JOBS_RETRY: OFFICER,
        Action.JOBS_DISCARD: OFFICER,
        Action.SOURCES_REGISTER: OFFICER,
        Action.SOURCES_REMOVE: OFFICER,
        Action.SOURCES_READ: _OFFICER_AUDITOR,
        Action.SOURCES_TEST: OFFICER,
        Action.SOURCES_LOOKUP: _OFFICER_AGENT,
        Action.SOURCES_CORRECT: OFFICER,
        Action.SOURCES_SAMPLE: OFFICER,
        Action.SCANNER_SCAN_TEXT: ALL_STAFF,
        Action.SCANNER_ANONYMIZE: ALL_STAFF,
        Action.SCANNER_SCAN_FILES: OFFICER,
        Action.SCANNER_DISCOVER_SOURCE: OFFICER,
        Action.AUDIT_READ_CHECKPOINTS: ALL_STAFF,
        Action.AUDIT_PROVE: ALL_STAFF,
        Action.AUDIT_CHECKPOINT: frozenset({Role.PRIVACY_OFFICER, Role.AUDITOR, Role.INTEGRATION}),
        Action.AUDIT_READ_ENTRIES: _OFFICER_AUDITOR,
        Action.AUDIT_EXPORT: _OFFICER_AUDITOR,
        Action.AUDIT_VERIFY: _OFFICER_AUDITOR,
        Action.AUDIT_ERASE_SUBJECT: OFFICER,
        Action.CONSOLE_SUBJECTS: _OFFICER_AGENT,
        Action.CONSOLE_REQUESTS: _OFFICER_AGENT,
        Action.CONSOLE_WORK: OFFICER,
    }
)


def roles_for(action: Action) -> frozenset[Role]:
    """The roles allowed to do ``action``; none for an action missing from the table."""
    return PERMISSIONS.get(action, frozenset())


def is_allowed(roles: frozenset[Role], action: Action) -> bool:
    return bool(roles & roles_for(action))
