"""Interface texts of the Explorer page."""

from __future__ import annotations

EXPLORE_STRINGS: dict[str, dict[str, str]] = {
    "nav.explorer": {"fr": "Explorateur", "en": "Explorer"},
    "explorer.title": {"fr": "Explorateur des réponses", "en": "Answers explorer"},
    "explorer.intro": {
        "fr": (
            "Toute question des questionnaires, sauf les textes libres et les données "
            "personnelles : choisissez un questionnaire, une question et une ventilation. "
            "Les chiffres suivent les mêmes règles de secret statistique que les tableaux "
            "de bord."
        ),
        "en": (
            "Any question of the questionnaires, except free text and personal data: choose "
            "a questionnaire, a question and a breakdown. Figures follow the same "
            "statistical confidentiality rules as the dashboards."
        ),
    },
    "explorer.questionnaire": {"fr": "Questionnaire", "en": "Questionnaire"},
    "explorer.question": {"fr": "Question", "en": "Question"},
    "explorer.measure": {"fr": "Mesure", "en": "Measure"},
    "explorer.breakdown": {"fr": "Ventiler par", "en": "Break down by"},
    "explorer.no_breakdown": {"fr": "Aucune ventilation", "en": "No breakdown"},
    "explorer.item_of": {"fr": "élément de « {group} »", "en": "item of '{group}'"},
    "explorer.none": {
        "fr": "Aucun questionnaire à explorer pour votre filière.",
        "en": "No questionnaire to explore for your branch.",
    },
}
