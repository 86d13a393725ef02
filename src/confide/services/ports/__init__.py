"""The ports: what the use cases need from the outside world, as protocols, one module per area.

Adapters implement them (``confide.adapters``) and fakes imitate them (``confide.testing``).
``store`` has the unit of work, which owns the transaction; the plain records the ports carry
(recorded decisions, audit records, staff accounts, disclosure rows) live in the domain beside
their rules.

    common      Clock, Cipher               store      UnitOfWork, UnitOfWorkFactory
    subjects    subjects, personal info     consent    the ledger, decisions, read model
    disclosures recipients, ledger, notices policies   policy versions
    staff       staff accounts, tokens      audit      the audit log
    sources     the data map, connectors    jobs       the task queue
    mail        SMTP                        requests   requests and codes
    holds       legal holds                 outbox     messages owed and their delivery
"""
