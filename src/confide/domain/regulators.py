"""The regulators an individual may complain to, as every letter and notice names them: the
Office of the Privacy Commissioner of Canada (PIPEDA) and, for Québec residents, the Commission
d'accès à l'information (Law 25)."""

from __future__ import annotations

OPC = {
    "en": "the Office of the Privacy Commissioner of Canada (www.priv.gc.ca, 1-800-282-1376)",
    "fr": "le Commissariat à la protection de la vie privée du Canada (www.priv.gc.ca, "
    "1-800-282-1376)",
}
CAI = {
    "en": "the Commission d'accès à l'information du Québec (www.cai.gouv.qc.ca, 1-888-528-7741)",
    "fr": "la Commission d'accès à l'information du Québec (www.cai.gouv.qc.ca, 1-888-528-7741)",
}
