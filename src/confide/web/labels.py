"""The portal's words, in English and French (CON-7: plain language in both)."""

from __future__ import annotations

from confide.web.i18n import Language

PORTAL_LABELS: dict[Language, dict[str, str]] = {
    "en": {
        "portal": "Privacy portal",
        "home": "Home",
        "policy": "Our privacy policy",
        "switch": "Français",
        "welcome": "Your personal information, your choices",
        "intro": "Here you can read how we handle your personal information, ask to see or "
        "correct what we hold about you, and reach our Privacy Officer.",
        "read_policy": "Read our privacy policy in plain language",
        "make_request": "Ask to see, correct or receive a copy of your information",
        "contact": "Privacy Officer",
        "contact_intro": "Questions or concerns about your personal information? Write to our "
        "Privacy Officer:",
        "complain": "If you are not satisfied with our answer, you may complain to the Office of "
        "the Privacy Commissioner of Canada or, in Québec, to the Commission d'accès à "
        "l'information.",
        "version": "Version",
        "effective": "in effect since",
        "essential": "What we need to provide the service",
        "essential_note": "These uses are needed to provide the service; you cannot opt out of them "
        "without ending the service.",
        "optional": "Uses you may refuse or withdraw at any time",
        "purpose": "Use",
        "consent": "Consent",
        "information": "Information used",
        "channels": "Channels",
        "off_by_default": "off until you turn it on",
        "consent_implied": "implied by your use of the service",
        "consent_express": "only with your express consent",
        "consent_service_essential": "needed to provide the service",
        "consent_legal_obligation": "required by law",
        "categories": "What we collect",
        "sensitivity": "Sensitivity",
        "sensitivity_low": "low",
        "sensitivity_medium": "medium",
        "sensitivity_high": "high — encrypted when stored",
        "recipients": "Who we may share it with",
        "retention": "How long we keep it",
        "kept_up_to": "Kept at most",
        "days": "days",
        "versions": "Versions of this policy",
        "added": "new uses",
        "not_found": "Page not found",
        "not_found_text": "There is no such page. Start again from the portal's home page.",
    },
    "fr": {
        "portal": "Portail de confidentialité",
        "home": "Accueil",
        "policy": "Notre politique de confidentialité",
        "switch": "English",
        "welcome": "Vos renseignements personnels, vos choix",
        "intro": "Vous pouvez lire ici comment nous traitons vos renseignements personnels, "
        "demander à consulter ou à faire corriger ceux que nous détenons à votre sujet, et joindre "
        "notre responsable de la protection des renseignements personnels.",
        "read_policy": "Lire notre politique de confidentialité en langage clair",
        "make_request": "Demander à consulter, à corriger ou à recevoir une copie de vos "
        "renseignements",
        "contact": "Responsable de la protection des renseignements personnels",
        "contact_intro": "Des questions ou des préoccupations au sujet de vos renseignements "
        "personnels? Écrivez à notre responsable :",
        "complain": "Si notre réponse ne vous satisfait pas, vous pouvez porter plainte auprès du "
        "Commissariat à la protection de la vie privée du Canada ou, au Québec, de la Commission "
        "d'accès à l'information.",
        "version": "Version",
        "effective": "en vigueur depuis le",
        "essential": "Ce dont nous avons besoin pour fournir le service",
        "essential_note": "Ces utilisations sont nécessaires au service; vous ne pouvez vous y "
        "opposer qu'en mettant fin au service.",
        "optional": "Utilisations que vous pouvez refuser ou retirer en tout temps",
        "purpose": "Utilisation",
        "consent": "Consentement",
        "information": "Renseignements utilisés",
        "channels": "Canaux",
        "off_by_default": "désactivé tant que vous ne l'activez pas",
        "consent_implied": "implicite, du fait de votre utilisation du service",
        "consent_express": "seulement avec votre consentement exprès",
        "consent_service_essential": "nécessaire pour fournir le service",
        "consent_legal_obligation": "exigé par la loi",
        "categories": "Ce que nous recueillons",
        "sensitivity": "Sensibilité",
        "sensitivity_low": "faible",
        "sensitivity_medium": "moyenne",
        "sensitivity_high": "élevée — chiffrés lorsqu'ils sont conservés",
        "recipients": "À qui nous pouvons les communiquer",
        "retention": "Combien de temps nous les conservons",
        "kept_up_to": "Conservés au plus",
        "days": "jours",
        "versions": "Versions de cette politique",
        "added": "nouvelles utilisations",
        "not_found": "Page introuvable",
        "not_found_text": "Cette page n'existe pas. Recommencez à partir de l'accueil du portail.",
    },
}
