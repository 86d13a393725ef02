"""Errors of the scanner and the anonymizers (messages name fields and ids, never values)."""

from __future__ import annotations

from confide.domain.errors import ConfideError, NotFound, ValidationFailed


class ScannerError(ConfideError):
    """Root of the scanner's own errors."""

    code = "scanner_error"
    title = "PII scanner error"


class UnknownRecognizer(NotFound):
    """A recognizer name that is not in the registry."""

    def __init__(self, name: str) -> None:
        super().__init__("recognizer", name)


class UnknownOperator(NotFound):
    """An anonymization operator name that does not exist."""

    def __init__(self, name: str) -> None:
        super().__init__("anonymization operator", name)


class DuplicateRecognizer(ScannerError):
    """Two recognizers registered under one name."""

    code = "duplicate_recognizer"

    def __init__(self, name: str) -> None:
        super().__init__(f"recognizer {name} is registered twice", recognizer=name)


class KeyRequired(ValidationFailed):
    """An operator that needs a key (pseudonym, encryption) was given none or a short one."""

    def __init__(self, operator: str) -> None:
        super().__init__(
            f"operator {operator} needs a key of at least 16 bytes",
        )
        self.fields["operator"] = operator


class DecryptionFailed(ScannerError):
    """A token could not be decrypted with the key given (wrong key or altered token)."""

    code = "decryption_failed"

    def __init__(self) -> None:
        super().__init__("token could not be decrypted with this key")


class AnonymityTargetUnreachable(ScannerError):
    """The table cannot reach the k asked for even with every quasi-identifier fully generalized."""

    code = "anonymity_target_unreachable"

    def __init__(self, k: int, reached: int) -> None:
        super().__init__(f"k={k} cannot be reached; best is k={reached}", k=k, reached=reached)


class UnknownColumn(ValidationFailed):
    """A quasi-identifier or sensitive column that the table does not have."""

    def __init__(self, column: str) -> None:
        super().__init__(f"column {column} is not in the table")
        self.fields["column"] = column
