"""The register as a regulator asks for it (BRE-1): one row per incident with the contents
Québec's regulation (s. 7) and the PIPEDA breach regulations (s. 6) list, for CSV and PDF, and
as entries for the JSON-LD export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from confide.domain.access import Action, Principal
from confide.domain.breaches.contents import occurrence_text
from confide.domain.breaches.model import NoticeKind
from confide.services.ports.breaches import RegisterFilter

if TYPE_CHECKING:
    from confide.services.breaches import BreachService, IncidentView

COLUMNS = {
    "en": {
        "reference": "Reference",
        "title": "Title",
        "status": "Status",
        "reported_by": "Reported by",
        "aware_on": "Aware on",
        "occurred": "When it happened",
        "circumstances": "Circumstances",
        "information": "Information involved",
        "systems": "Systems",
        "affected": "People affected",
        "quebec": "Of whom in Québec",
        "sensitivity": "Sensitivity",
        "probability": "Probability of misuse",
        "real_risk": "Real risk of significant harm",
        "serious_injury": "Risk of serious injury",
        "measures": "Measures taken",
        "opc_report": "Commissioner reported on",
        "cai_notice": "Commission notified on",
        "individuals": "People notified on",
        "public": "Public notice",
        "organizations": "Organizations notified",
        "closed_on": "Closed on",
        "keep_until": "Kept until",
    },
    "fr": {
        "reference": "Référence",
        "title": "Titre",
        "status": "État",
        "reported_by": "Signalé par",
        "aware_on": "Connu le",
        "occurred": "Moment de l'incident",
        "circumstances": "Circonstances",
        "information": "Renseignements visés",
        "systems": "Systèmes",
        "affected": "Personnes concernées",
        "quebec": "Dont au Québec",
        "sensitivity": "Sensibilité",
        "probability": "Probabilité d'utilisation abusive",
        "real_risk": "Risque réel de préjudice grave",
        "serious_injury": "Risque de préjudice sérieux",
        "measures": "Mesures prises",
        "opc_report": "Commissariat avisé le",
        "cai_notice": "Commission avisée le",
        "individuals": "Personnes avisées le",
        "public": "Avis public",
        "organizations": "Organismes avisés",
        "closed_on": "Fermé le",
        "keep_until": "Conservé jusqu'au",
    },
}
_YES = {"en": ("yes", "no"), "fr": ("oui", "non")}


def _views(service: BreachService, principal: Principal) -> list[IncidentView]:
    principal.require(Action.INCIDENTS_EXPORT)
    rows = service.register(principal, RegisterFilter(), limit=1000)
    return [service.view(principal, r.incident.id) for r in rows]


def _facts(v: IncidentView, lang: str, names: dict[str, str]) -> dict[str, str]:
    inc, a = v.incident, v.assessment
    yes, no = _YES["fr" if lang == "fr" else "en"]

    def flag(value: bool | None) -> str:
        return "" if value is None else (yes if value else no)

    def sent(kind: NoticeKind) -> str:
        return ", ".join(
            n.sent_on.isoformat() for n in v.notices if n.kind is kind and n.sent_on is not None
        )

    affected = v.affected or inc.affected_estimate
    return {
        "reference": inc.reference,
        "title": inc.title,
        "status": inc.status.value,
        "reported_by": inc.reported_by.value,
        "aware_on": inc.aware_on.isoformat(),
        "occurred": occurrence_text(inc, lang),
        "circumstances": inc.circumstances,
        "information": "; ".join(names.get(c, c) for c in inc.categories)
        or inc.unknown_information,
        "systems": ", ".join(inc.systems),
        "affected": "" if affected is None else str(affected),
        "quebec": str(v.affected_quebec) if v.affected else "",
        "sensitivity": a.sensitivity.value if a else "",
        "probability": a.probability.value if a else "",
        "real_risk": flag(a.real_risk if a else None),
        "serious_injury": flag(a.serious_injury if a else None),
        "measures": inc.measures,
        "opc_report": sent(NoticeKind.OPC_REPORT),
        "cai_notice": sent(NoticeKind.CAI_NOTICE),
        "individuals": sent(NoticeKind.INDIVIDUALS),
        "public": "; ".join(
            f"{n.party} ({n.sent_on})" for n in v.notices if n.kind is NoticeKind.PUBLIC
        ),
        "organizations": "; ".join(
            f"{n.party} ({n.sent_on})"
            for n in v.notices
            if n.kind is NoticeKind.ORGANIZATION and n.sent_on
        ),
        "closed_on": inc.closed_at.date().isoformat() if inc.closed_at else "",
        "keep_until": inc.keep_until.isoformat() if inc.keep_until else "",
    }


def register_rows(service: BreachService, principal: Principal, lang: str) -> list[dict[str, str]]:
    """One row per incident, newest first, with headings in ``lang``."""
    lang = "fr" if lang == "fr" else "en"
    names = service.names(principal, lang)
    heads = COLUMNS[lang]
    return [
        {heads[k]: value for k, value in _facts(v, lang, names).items()}
        for v in _views(service, principal)
    ]


def register_entries(service: BreachService, principal: Principal) -> list[dict[str, object]]:
    """One entry per incident with plain keys (for the JSON-LD export)."""
    names = service.names(principal, "en")
    out: list[dict[str, object]] = []
    for v in _views(service, principal):
        entry: dict[str, object] = dict(_facts(v, "en", names))
        entry["reported_at"] = v.incident.reported_at.isoformat()
        entry["categories"] = list(v.incident.categories)
        out.append(entry)
    return out
