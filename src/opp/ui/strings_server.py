"""Interface texts of the server's own states (warm-up, unavailable); merged into STRINGS."""

from __future__ import annotations

SERVER_STRINGS: dict[str, dict[str, str]] = {
    "data.preparing": {
        "fr": "Préparation des données des tableaux de bord… (quelques secondes, une seule "
        "fois après chaque mise à jour des réponses)",
        "en": "Preparing the dashboards' data… (a few seconds, once after each update of the "
        "answers)",
    },
    "data.computing": {
        "fr": "Calcul des indicateurs…",
        "en": "Computing the indicators…",
    },
    "unavailable.retry": {"fr": "Réessayer", "en": "Try again"},
}
