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
    "T_SPAN": {
        "fr": (
            "période « {value} » impossible pour un échantillon constant : choisissez au "
            "moins deux années parmi {expected}."
        ),
        "en": (
            "period '{value}' is not available for a constant sample: choose at least two "
            "years among {expected}."
        ),
    },
    "T_SPAN_GAP": {
        "fr": (
            "aucune campagne pour {missing} dans cette publication : un échantillon constant "
            "suit des années consécutives. Choisissez une période sans trou."
        ),
        "en": (
            "no campaign for {missing} in this release: a constant sample follows "
            "consecutive years. Choose a period without a gap."
        ),
    },
    "T_NOT_FOLLOWED": {
        "fr": (
            "cet indicateur ne se suit pas sur un échantillon constant (il compte des "
            "invitations, pas des réponses) : affichez la tendance de toutes les réponses."
        ),
        "en": (
            "this indicator cannot be followed on a constant sample (it counts invitations, "
            "not responses): show the trend of all responses."
        ),
    },
    "T_TERRITORY": {
        "fr": (
            "l'échantillon constant n'est pas disponible avec un filtre de territoire : "
            "retirez le territoire ou choisissez un département."
        ),
        "en": (
            "the constant sample is not available with a territory filter: remove the "
            "territory or choose a département."
        ),
    },
    "T_PATH_YEAR": {
        "fr": (
            "parcours impossible depuis {value} : il faut les campagnes de cette année et de "
            "la suivante dans la publication. Années possibles : {expected}."
        ),
        "en": (
            "paths from {value} are not available: the release must hold that year's and "
            "the next year's campaigns. Possible years: {expected}."
        ),
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
