"""A readable summary of a policy, in English or French, and its JSON form.

What ``confide policy show`` prints: the organization and privacy officer, whom
the policy applies to, each purpose with its consent footing and categories,
recipients, exceptions, retention, locations and the legal rule values.
"""

from __future__ import annotations

from typing import Any

from confide.domain.policy import Policy, Text
from confide.policy.loader import LoadedPolicy
from confide.policy.schema import policy_adapter

_LABELS: dict[str, tuple[str, str]] = {
    "version": ("Version", "Version"),
    "effective": ("Effective", "En vigueur le"),
    "hash": ("Content hash", "Empreinte du contenu"),
    "complaints": ("Complaints", "Plaintes"),
    "subjects": ("Applies to", "S'applique à"),
    "categories": ("Categories of personal information", "Catégories de renseignements personnels"),
    "exclusions": ("Not protected personal information", "Renseignements non protégés"),
    "purposes": ("Purposes", "Fins"),
    "recipients": ("May be disclosed to", "Peuvent être communiqués à"),
    "exceptions": ("Exceptions to consent", "Exceptions au consentement"),
    "retention": ("Retention", "Conservation"),
    "locations": ("Where information is processed", "Lieux de traitement"),
    "notices": ("Changes are announced by", "Les modifications sont annoncées par"),
    "rules": ("Legal rule values", "Valeurs fixées par la loi"),
    "products": ("Product policies", "Politiques de produits"),
    "consent": ("consent", "consentement"),
    "channels": ("channels", "moyens"),
    "days": ("days", "jours"),
    "from": ("from", "à compter de"),
    "bases": ("bases", "fondements"),
    "off_by_default": ("off by default", "désactivé par défaut"),
    "gpc": ("Global Privacy Control opts out", "le signal GPC désactive"),
    "no_opt_out": ("no opt-out while the service continues", "aucun retrait pendant le service"),
    "sensitivity": ("sensitivity", "sensibilité"),
    "safeguards": ("safeguards", "mesures de protection"),
}


def _label(key: str, lang: str) -> str:
    en, fr = _LABELS[key]
    return fr if lang.startswith("fr") else en


def _t(text: Text | None, lang: str) -> str:
    return text.in_language(lang) if text is not None else ""


def summary_text(loaded: LoadedPolicy, lang: str = "en") -> str:
    """A privacy officer's summary of the loaded policy in ``lang`` (``en`` or ``fr``)."""
    policy = loaded.policy
    lines: list[str] = [
        f"{_t(policy.title, lang)} — {policy.organization.name} ({policy.id})",
        f"{_label('version', lang)}: {policy.version}    "
        f"{_label('effective', lang)}: {policy.effective_date.isoformat()}",
        f"{_label('hash', lang)}: {loaded.content_hash}",
    ]
    officer = policy.organization.privacy_officer
    lines.append(f"{_t(officer.title, lang)}: {officer.name} <{officer.email}>")
    lines.append(
        f"{_label('complaints', lang)}: {_t(policy.organization.complaint_contact, lang)} "
        f"{_t(policy.organization.complaint_escalation, lang)}".rstrip()
    )
    _section(
        lines,
        _label("subjects", lang),
        [
            f"{s.id}"
            + (f" (→ {s.acts_for})" if s.acts_for else "")
            + f": {_t(s.description, lang)}"
            for s in policy.subject_types
        ],
    )
    _section(
        lines,
        _label("categories", lang),
        [
            f"{c.id} [{_label('sensitivity', lang)}: {c.sensitivity}]: {_t(c.description, lang)}"
            for c in policy.categories
        ],
    )
    _section(
        lines,
        _label("exclusions", lang),
        [f"{e.id} ({e.treatment}): {_t(e.description, lang)}" for e in policy.exclusions],
    )
    purpose_lines: list[str] = []
    for p in policy.purposes:
        flags = [f"{_label('consent', lang)}: {p.consent}"]
        if p.channels:
            flags.append(f"{_label('channels', lang)}: {', '.join(p.channels)}")
        if p.privacy_by_default_off:
            flags.append(_label("off_by_default", lang))
        if p.gpc_opt_out:
            flags.append(_label("gpc", lang))
        if not p.opt_out_allowed:
            flags.append(_label("no_opt_out", lang))
        purpose_lines.append(f"{p.id} [{'; '.join(flags)}]: {_t(p.description, lang)}")
        purpose_lines.append(f"    → {', '.join(p.categories)}")
    _section(lines, _label("purposes", lang), purpose_lines)
    _section(
        lines,
        _label("recipients", lang),
        [
            f"{r.id} [{_label('bases', lang)}: {', '.join(r.bases)}]: {_t(r.description, lang)}\n"
            f"    → {', '.join(r.categories)}"
            for r in policy.recipient_classes
        ],
    )
    _section(
        lines,
        _label("exceptions", lang),
        [f"{e.id}: {_t(e.description, lang)}" for e in policy.exceptions],
    )
    _section(
        lines,
        _label("retention", lang),
        [
            f"{r.category}: {r.min_days}–{r.max_days} {_label('days', lang)} "
            f"{_label('from', lang)} {r.counted_from}, {r.disposal}"
            for r in policy.retention
        ],
    )
    _section(
        lines,
        _label("locations", lang),
        [
            f"{loc.id} ({loc.country}{'-' + loc.province if loc.province else ''}): "
            f"{_t(loc.description, lang)}"
            + (
                f"\n    {_label('safeguards', lang)}: {_t(loc.safeguards, lang)}"
                if loc.safeguards
                else ""
            )
            for loc in policy.processing_locations
        ],
    )
    _section(
        lines,
        _label("notices", lang),
        [f"{n.id}: {_t(n.description, lang)}" for n in policy.notice_channels],
    )
    rules = policy_adapter().dump_python(policy, mode="json")["rules"]
    _section(lines, _label("rules", lang), [f"{name}: {value}" for name, value in rules.items()])
    if loaded.products:
        _section(
            lines,
            _label("products", lang),
            [f"{p.id} {p.version}: {_t(p.title, lang)}" for p in loaded.products],
        )
    return "\n".join(lines)


def _section(lines: list[str], title: str, items: list[str]) -> None:
    lines.append("")
    lines.append(f"{title}:")
    lines.extend(f"  {item}" for item in items)


def summary_json(loaded: LoadedPolicy) -> dict[str, Any]:
    """The merged policy as JSON-ready data, with the version's identity (POL-1)."""
    return {
        "content_hash": loaded.content_hash,
        "path": str(loaded.path),
        "products": [p.id for p in loaded.products],
        "policy": policy_as_json(loaded.policy),
    }


def policy_as_json(policy: Policy) -> dict[str, Any]:
    data: dict[str, Any] = policy_adapter().dump_python(policy, mode="json")
    return data
