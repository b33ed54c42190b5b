"""Messages of releases and statistical disclosure (kept apart to keep modules small)."""

from __future__ import annotations

# Not errors but states a page explains (shown as information, not as an error box).
NOTICE_CODES = frozenset({"RELEASE_NONE"})

RELEASE_ERRORS: dict[str, dict[str, str]] = {
    "RELEASE_EMPTY": {
        "fr": (
            "aucune campagne à publier : aucune n'est close et aucune campagne ouverte n'a "
            "été choisie. Choisissez au moins une campagne ouverte à publier à titre "
            "provisoire, ou attendez la clôture d'une campagne."
        ),
        "en": (
            "no campaign to release: none is closed and no open campaign was chosen. Choose "
            "at least one open campaign to release provisionally, or wait for one to close."
        ),
    },
    "RELEASE_NOT_OPEN": {
        "fr": (
            "campagne(s) « {value} » non ouverte(s) au {date} : seules les campagnes ouvertes "
            "peuvent être publiées à titre provisoire (les campagnes closes le sont toujours)."
        ),
        "en": (
            "campaign(s) '{value}' not open on {date}: only open campaigns can be released "
            "provisionally (closed ones always are)."
        ),
    },
    "RELEASE_NONE": {
        "fr": (
            "aucune publication des chiffres pour l'instant : les tableaux de bord "
            "apparaîtront à la clôture de la première campagne (ou quand l'agence publiera "
            "des chiffres provisoires)."
        ),
        "en": (
            "no release of the figures yet: dashboards will appear when the first campaign "
            "closes (or when the agency publishes provisional figures)."
        ),
    },
    "DISCLOSURE_POLICY": {
        "fr": "paramètre du secret statistique invalide : {reason}. Corrigez {file}.",
        "en": "invalid statistical-confidentiality setting: {reason}. Fix {file}.",
    },
}
