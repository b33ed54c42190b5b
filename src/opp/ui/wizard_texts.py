"""Texts of the answering wizard, French and English."""

from __future__ import annotations

from typing import Any

STATUS_ICONS = {
    "complete": "✅",
    "incomplete": "🟠",
    "errors": "❌",
    "empty": "⚪",
}

_TEXTS: dict[str, dict[str, str]] = {
    "progress": {
        "fr": "{done} étape(s) complète(s) sur {total}",
        "en": "{done} of {total} step(s) complete",
    },
    "steps": {"fr": "Étapes du questionnaire", "en": "Questionnaire steps"},
    "legend": {
        "fr": "✅ complète · 🟠 incomplète · ❌ à corriger · ⚪ pas commencée",
        "en": "✅ complete · 🟠 incomplete · ❌ to fix · ⚪ not started",
    },
    "review": {"fr": "Relecture et envoi", "en": "Review and submit"},
    "review_help": {
        "fr": "Vérifiez vos réponses avant de les envoyer. Vous pourrez encore les modifier "
        "tant que la campagne est ouverte.",
        "en": "Check your answers before submitting. You can still change them while the "
        "campaign is open.",
    },
    "previous": {"fr": "Précédent", "en": "Previous"},
    "next": {"fr": "Enregistrer et continuer", "en": "Save and continue"},
    "saved": {"fr": "Brouillon enregistré", "en": "Draft saved"},
    "autosaved": {
        "fr": "Brouillon enregistré automatiquement à {time} : vos saisies survivent à un "
        "rechargement de la page.",
        "en": "Draft saved automatically at {time}: what you typed survives a page reload.",
    },
    "saved_incomplete": {
        "fr": "Brouillon enregistré ; des réponses obligatoires manquent à cette étape.",
        "en": "Draft saved; required answers are missing on this step.",
    },
    "fix_first": {
        "fr": "{n} réponse(s) à corriger : rien n'a été enregistré. Les messages sont affichés "
        "sous les questions concernées.",
        "en": "{n} answer(s) to fix: nothing was saved. The messages are shown under the "
        "questions concerned.",
    },
    "consent": {
        "fr": "Utilisation de vos réponses",
        "en": "Use of your answers",
    },
    "consent_help": {
        "fr": "Vous pouvez changer ce choix à tout moment.",
        "en": "You can change this choice at any time.",
    },
    "submit": {"fr": "Envoyer mes réponses", "en": "Submit my answers"},
    "resubmit": {"fr": "Enregistrer les modifications", "en": "Save the changes"},
    "incomplete": {
        "fr": "{n} réponse(s) manquent ou sont à corriger avant l'envoi (voir ci-dessus).",
        "en": "{n} answer(s) are missing or to fix before submitting (see above).",
    },
    "thanks": {
        "fr": "Merci ! Vos réponses sont enregistrées. Vous pouvez les modifier jusqu'à la "
        "clôture de la campagne.",
        "en": "Thank you! Your answers are saved. You can change them until the campaign closes.",
    },
    "status_draft": {"fr": "brouillon", "en": "draft"},
    "year": {"fr": "Données de l'année {year}", "en": "Data for {year}"},
    "status_submitted": {"fr": "envoyée", "en": "submitted"},
    "carried": {
        "fr": "Certaines réponses sont reprises de votre questionnaire {year} et marquées "
        "« à confirmer » : vérifiez-les, puis enregistrez l'étape.",
        "en": "Some answers come from your {year} questionnaire and are marked 'to confirm': "
        "check them, then save the step.",
    },
    "closed": {
        "fr": "La campagne est fermée : vos réponses sont en lecture seule.",
        "en": "The campaign is closed: your answers are read-only.",
    },
}


def wt(key: str, lang: str, **params: Any) -> str:
    text = _TEXTS[key].get(lang) or _TEXTS[key]["fr"]
    return text.format(**params) if params else text
