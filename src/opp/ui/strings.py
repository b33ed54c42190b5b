"""Interface texts in French and English (questionnaire texts live in the YAML files)."""

from __future__ import annotations

from typing import Any

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {
        "fr": "OPP — Observation du spectacle vivant",
        "en": "OPP — Live performance observation",
    },
    "app.tagline": {
        "fr": "Observation participative et partagée du spectacle vivant en Occitanie",
        "en": "Participatory and shared observation of live performance in Occitanie",
    },
    "nav.home": {"fr": "Accueil", "en": "Home"},
    "nav.answer": {"fr": "Répondre", "en": "Answer"},
    "nav.emploi": {"fr": "Emploi", "en": "Employment"},
    "nav.egalite": {"fr": "Égalité", "en": "Equality"},
    "nav.diffusion": {"fr": "Diffusion", "en": "Touring"},
    "nav.economie": {"fr": "Économie", "en": "Economy"},
    "nav.participation": {"fr": "Participation", "en": "Participation"},
    "nav.section.filieres": {"fr": "Filières", "en": "Branches"},
    "emploi.title": {"fr": "Emploi", "en": "Employment"},
    "emploi.intro": {
        "fr": "Emplois permanents, intermittents et bénévoles des structures répondantes, et "
        "masse salariale. Chaque chiffre indique le nombre de contributeurs sur lequel il "
        "repose ; les cases trop petites sont masquées (secret statistique).",
        "en": "Permanent jobs, intermittent workers and volunteers of the responding "
        "organisations, and payroll. Each figure says how many contributors it rests on; "
        "cells that are too small are hidden (statistical confidentiality).",
    },
    "nav.section.observe": {"fr": "Observer", "en": "Observe"},
    "nav.section.contribute": {"fr": "Contribuer", "en": "Contribute"},
    "lang.label": {"fr": "Langue", "en": "Language"},
    "viewer.label": {"fr": "Profil de démonstration", "en": "Demo profile"},
    "viewer.help": {
        "fr": "En attendant les comptes, choisissez qui vous êtes pour explorer l'application.",
        "en": "Until accounts exist, choose who you are to explore the application.",
    },
    "error.unexpected": {
        "fr": "Une erreur inattendue s'est produite ; elle a été enregistrée. Réessayez ou "
        "contactez l'équipe d'Occitanie en scène (référence : {ref}).",
        "en": "An unexpected error occurred and was logged. Try again or contact the Occitanie "
        "en scène team (reference: {ref}).",
    },
    "home.intro": {
        "fr": (
            "OPP est l'outil de l'**observation participative et partagée** du spectacle "
            "vivant en Occitanie. Les compagnies, lieux, festivals et artistes des filières "
            "arts de la rue, marionnette, cirque et musiques actuelles répondent chaque année "
            "à des questionnaires qu'ils construisent avec leurs réseaux. Les réseaux, le "
            "Coreps et l'agence Occitanie en scène en tirent des tableaux de bord sur "
            "l'emploi, l'égalité femmes-hommes et les conditions de diffusion ; chaque "
            "contributeur retrouve ses propres chiffres et garde la maîtrise de ses données. "
            "Aucun chiffre publié ne permet d'identifier une structure (secret statistique)."
        ),
        "en": (
            "OPP is the tool of **participatory and shared observation** of live "
            "performance in Occitanie. Companies, venues, festivals and artists of street "
            "arts, puppetry, circus and contemporary music answer questionnaires every year "
            "that they design with their networks. Networks, the Coreps and the Occitanie en "
            "scène agency draw dashboards on employment, gender equality and touring "
            "conditions from them; every contributor gets their own figures back and keeps "
            "control of their data. No published figure can identify an organisation "
            "(statistical confidentiality)."
        ),
    },
    "home.figures": {"fr": "La participation en chiffres", "en": "Participation in figures"},
    "home.structures": {"fr": "Structures inscrites", "en": "Registered organisations"},
    "home.artists": {"fr": "Artistes inscrit·es", "en": "Registered artists"},
    "home.submitted": {"fr": "Réponses envoyées", "en": "Submitted responses"},
    "home.departements": {"fr": "Départements couverts", "en": "Départements covered"},
    "home.by_filiere": {
        "fr": "Réponses envoyées par filière et année de référence",
        "en": "Submitted responses by branch and reference year",
    },
    "home.empty": {
        "fr": "Aucune donnée pour l'instant : lancez `make run` pour créer la région de "
        "démonstration.",
        "en": "No data yet: run `make run` to create the demo region.",
    },
    "col.filiere": {"fr": "Filière", "en": "Branch"},
    "col.year": {"fr": "Année de référence", "en": "Reference year"},
    "col.submitted": {"fr": "Envoyées", "en": "Submitted"},
    "col.drafts": {"fr": "Brouillons", "en": "Drafts"},
    "col.questionnaire": {"fr": "Questionnaire", "en": "Questionnaire"},
    "answer.title": {"fr": "Répondre au questionnaire", "en": "Answer the questionnaire"},
    "answer.not_contributor": {
        "fr": "Seule une structure contributrice répond aux questionnaires. Choisissez un "
        "profil « Contributeur·rice » dans la barre latérale.",
        "en": "Only a contributing organisation answers questionnaires. Choose a "
        "'Contributor' profile in the sidebar.",
    },
    "answer.no_campaign": {
        "fr": "Aucune campagne n'est ouverte pour votre filière en ce moment.",
        "en": "No campaign is open for your branch at the moment.",
    },
    "answer.campaign": {"fr": "Campagne", "en": "Campaign"},
    "answer.closes": {"fr": "Clôture le {date}", "en": "Closes on {date}"},
    "diffusion.title": {
        "fr": "Où se jouent les représentations ?",
        "en": "Where are the performances given?",
    },
    "diffusion.intro": {
        "fr": "Représentations déclarées par les compagnies, selon le lieu par rapport à "
        "leur siège. Les cellules reposant sur moins de 3 contributeurs sont masquées "
        "(secret statistique).",
        "en": "Performances declared by companies, by place relative to their seat. Cells "
        "resting on fewer than 3 contributors are hidden (statistical confidentiality).",
    },
    "diffusion.year": {"fr": "Année de référence", "en": "Reference year"},
    "diffusion.place": {"fr": "Lieu", "en": "Place"},
    "diffusion.performances": {"fr": "Représentations", "en": "Performances"},
    "diffusion.contributors": {"fr": "Contributeurs", "en": "Contributors"},
    "diffusion.secret": {"fr": "Secret statistique", "en": "Statistical confidentiality"},
    "diffusion.none": {
        "fr": "Pas encore de réponses envoyées pour cette année.",
        "en": "No submitted responses for this year yet.",
    },
}


def t(key: str, lang: str = "fr", **params: Any) -> str:
    entry = STRINGS[key]
    text = entry.get(lang) or entry["fr"]
    return text.format(**params) if params else text
