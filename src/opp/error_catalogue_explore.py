"""Messages of the Explorer (kept apart to keep modules small)."""

from __future__ import annotations

EXPLORE_ERRORS: dict[str, dict[str, str]] = {
    "X_QUESTION_UNKNOWN": {
        "fr": (
            "question « {value} » absente du questionnaire « {questionnaire} ». "
            "Choisissez une question de la liste."
        ),
        "en": (
            "question '{value}' is not in questionnaire '{questionnaire}'. Choose a question "
            "from the list."
        ),
    },
    "X_NOT_EXPLORABLE": {
        "fr": (
            "la question « {value} » ({reason}) n'est jamais montrée dans l'explorateur : "
            "choisissez une question à choix, oui/non, numérique ou une liste d'éléments."
        ),
        "en": (
            "question '{value}' ({reason}) is never shown in the Explorer: choose a "
            "choice, yes/no, number or list question."
        ),
    },
    "X_MEASURE": {
        "fr": "mesure « {value} » impossible pour cette question. Possibles : {expected}.",
        "en": "measure '{value}' is not available for this question. Possible: {expected}.",
    },
}

# Dashboard declarations (surveys/dashboards/*.yaml).
EXPLORE_ERRORS |= {
    "D_NOT_FOUND": {
        "fr": (
            "tableau de bord « {value} » non déclaré. Tableaux déclarés : {expected} "
            "(un fichier surveys/dashboards/<nom>.yaml par page)."
        ),
        "en": (
            "dashboard '{value}' is not declared. Declared dashboards: {expected} "
            "(one file surveys/dashboards/<name>.yaml per page)."
        ),
    },
    "D_FILIERE": {
        "fr": "filière « {value} » inconnue. Filières possibles : {expected}.",
        "en": "unknown branch '{value}'. Possible branches: {expected}.",
    },
    "D_SERIES": {
        "fr": (
            "série « {value} » absente de l'indicateur « {indicator} ». Séries possibles : "
            "{expected}."
        ),
        "en": (
            "series '{value}' is not a series of indicator '{indicator}'. Possible series: "
            "{expected}."
        ),
    },
}
