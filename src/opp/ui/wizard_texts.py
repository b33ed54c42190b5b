"""Texts of the answering wizard, French and English."""

from __future__ import annotations

from typing import Any

# One icon per state of a step (opp.questionnaire.progress.StepState).
STATUS_ICONS = {
    "answered": "✅",
    "confirmed_empty": "➖",
    "to_confirm": "🔵",
    "incomplete": "🟠",
    "errors": "❌",
    "empty": "⚪",
}

_TEXTS: dict[str, dict[str, str]] = {
    "progress": {
        "fr": "{done} étape(s) terminée(s) sur {total}",
        "en": "{done} of {total} step(s) done",
    },
    "state_answered": {"fr": "{n} répondue(s)", "en": "{n} answered"},
    "state_confirmed_empty": {"fr": "{n} rien à déclarer", "en": "{n} nothing to declare"},
    "state_to_confirm": {"fr": "{n} à confirmer", "en": "{n} to confirm"},
    "state_incomplete": {"fr": "{n} incomplète(s)", "en": "{n} incomplete"},
    "state_errors": {"fr": "{n} à corriger", "en": "{n} to fix"},
    "state_empty": {"fr": "{n} vide(s)", "en": "{n} empty"},
    "nothing": {
        "fr": "Rien à déclarer pour cette section",
        "en": "Nothing to declare for this section",
    },
    "nothing_help": {
        "fr": "Cochez si aucune question de cette étape ne vous concerne : l'étape compte "
        "alors comme terminée.",
        "en": "Tick if no question of this step applies to you: the step then counts as done.",
    },
    "saved_empty": {
        "fr": "Brouillon enregistré ; cette étape est vide. Répondez aux questions ou cochez "
        "« Rien à déclarer pour cette section » en bas de l'étape.",
        "en": "Draft saved; this step is empty. Answer the questions or tick 'Nothing to "
        "declare for this section' at the bottom of the step.",
    },
    "steps_left": {
        "fr": "Avant l'envoi, {n} étape(s) à terminer : {sections}. Répondez-y, cochez "
        "« Rien à déclarer pour cette section » ou confirmez les réponses reprises.",
        "en": "Before submitting, {n} step(s) to finish: {sections}. Answer them, tick "
        "'Nothing to declare for this section' or confirm the carried answers.",
    },
    "steps": {"fr": "Étapes du questionnaire", "en": "Questionnaire steps"},
    "legend": {
        "fr": "✅ répondue · ➖ rien à déclarer · 🔵 réponses reprises à confirmer · "
        "🟠 incomplète · ❌ à corriger · ⚪ vide",
        "en": "✅ answered · ➖ nothing to declare · 🔵 carried answers to confirm · "
        "🟠 incomplete · ❌ to fix · ⚪ empty",
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
