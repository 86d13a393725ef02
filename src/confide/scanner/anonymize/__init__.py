"""Anonymizers: operators on found values, document rewriting, table k-anonymity."""

from confide.scanner.anonymize.document import AnonymizedText, Replacement, anonymize_text
from confide.scanner.anonymize.operators import (
    Encrypt,
    Fake,
    Generalize,
    Mask,
    Operator,
    Pseudonym,
    Redact,
    ReplaceWithType,
    decrypt,
    operator_named,
)

__all__ = [
    "AnonymizedText",
    "Encrypt",
    "Fake",
    "Generalize",
    "Mask",
    "Operator",
    "Pseudonym",
    "Redact",
    "ReplaceWithType",
    "Replacement",
    "anonymize_text",
    "decrypt",
    "operator_named",
]
