"""Canadian bank account numbers: transit (5), institution (3), account (7 to 12 digits).

Written "12345-003-1234567" (branch form) or "0003-12345" routing with the account apart.
The institution number must be a known member of Payments Canada; context is required
for the account number written alone.
"""

from __future__ import annotations

from confide.scanner.context import folded_set
from confide.scanner.model import Entity
from confide.scanner.recognizers.base import Pattern, Recognizer
from confide.scanner.recognizers.registry import register

# Institution numbers of common Canadian financial institutions (Payments Canada list).
INSTITUTIONS = frozenset(
    {
        "001",
        "002",
        "003",
        "004",
        "006",
        "010",
        "016",
        "030",
        "039",
        "117",
        "177",
        "219",
        "260",
        "320",
        "326",
        "328",
        "340",
        "509",
        "540",
        "614",
        "621",
        "623",
        "704",
        "809",
        "815",
        "828",
        "829",
        "837",
        "839",
        "865",
        "869",
        "879",
        "889",
        "899",
    }
)


@register
class BankAccountRecognizer(Recognizer):
    name = "ca_bank_account"
    entity = Entity.BANK_ACCOUNT
    patterns = (
        Pattern("transit_institution_account", r"\b[0-9]{5}[ -][0-9]{3}[ -][0-9]{7,12}\b"),
        Pattern("account_number", r"\b[0-9]{7,12}\b"),
    )
    context = folded_set(
        [
            "bank",
            "banque",
            "account",
            "compte",
            "transit",
            "institution",
            "chequing",
            "chèque",
            "cheque",
            "savings",
            "épargne",
            "deposit",
            "dépôt",
            "direct",
            "folio",
            "bancaire",
            "pad",
            "prélèvement",
        ]
    )

    def validate(
        self, value: str, pattern: Pattern, text: str, start: int, end: int
    ) -> float | None:
        if pattern.name == "transit_institution_account":
            return 0.55 if value[6:9] in INSTITUTIONS else None
        window = text[max(0, start - 40) : start].lower()
        if not any(w in window for w in ("account", "compte", "folio", "acct")):
            return None  # a bare run of digits is an account number only when called one
        return 0.3
