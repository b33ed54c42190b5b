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
    "I_TERRITORY_AND_DEPARTEMENT": {
        "fr": (
            "choisissez un département ({departement}) ou un territoire ({territoire}), pas "
            "les deux : retirez l'un des deux filtres."
        ),
        "en": (
            "choose a département ({departement}) or a territory ({territoire}), not both: "
            "remove one of the two filters."
        ),
    },
    "I_TERRITORY_ANSWERS": {
        "fr": (
            "le croisement avec une réponse n'est pas possible avec un filtre de territoire : "
            "retirez le territoire ou choisissez la ventilation de la page."
        ),
        "en": (
            "crossing with an answer is not available with a territory filter: remove the "
            "territory or choose the page's breakdown."
        ),
    },
}
