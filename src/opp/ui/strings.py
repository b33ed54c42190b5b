"""Interface texts in French and English (questionnaire texts live in the YAML files)."""

from __future__ import annotations

from typing import Any

from opp.ui.strings_access import ACCESS_STRINGS
from opp.ui.strings_admin import ADMIN_STRINGS
from opp.ui.strings_codesign import CODESIGN_STRINGS
from opp.ui.strings_explore import EXPLORE_STRINGS
from opp.ui.strings_mail import MAIL_STRINGS
from opp.ui.strings_releases import RELEASE_STRINGS
from opp.ui.strings_server import SERVER_STRINGS
from opp.ui.strings_space import SPACE_STRINGS

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {
        "fr": "OPP — Observation du spectacle vivant",
        "en": "OPP — Live performance observation",
    },
    "app.tagline": {
        "fr": "Observation participative et partagée du spectacle vivant en Occitanie",
        "en": "Participatory and shared observation of live performance in Occitanie",
    },
    "app.page_title": {"fr": "{page} · OPP", "en": "{page} · OPP"},
    "nav.home": {"fr": "Accueil", "en": "Home"},
    "nav.answer": {"fr": "Répondre", "en": "Answer"},
    "nav.emploi": {"fr": "Emploi", "en": "Employment"},
    "nav.egalite": {"fr": "Égalité", "en": "Equality"},
    "nav.diffusion": {"fr": "Diffusion", "en": "Touring"},
    "nav.economie": {"fr": "Économie", "en": "Economy"},
    "nav.participation": {"fr": "Participation", "en": "Participation"},
    "nav.section.filieres": {"fr": "Filières", "en": "Branches"},
    "nav.section.observe": {"fr": "Observer", "en": "Observe"},
    "nav.section.contribute": {"fr": "Contribuer", "en": "Contribute"},
    "lang.label": {"fr": "Langue", "en": "Language"},
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
    "home.submitted": {"fr": "Réponses publiées", "en": "Published responses"},
    "home.submitted_help": {
        "fr": "Réponses prises en compte dans la dernière publication des chiffres.",
        "en": "Responses included in the latest release of the figures.",
    },
    "home.departements": {"fr": "Départements couverts", "en": "Départements covered"},
    "home.empty": {
        "fr": "Aucune réponse envoyée pour l'instant : les chiffres apparaîtront ici dès les "
        "premières réponses aux campagnes.",
        "en": "No response submitted yet: figures will appear here with the first answers "
        "to the campaigns.",
    },
    "col.filiere": {"fr": "Filière", "en": "Branch"},
    "col.year": {"fr": "Année de référence", "en": "Reference year"},
    "col.submitted": {"fr": "Envoyées", "en": "Submitted"},
    "col.drafts": {"fr": "Brouillons", "en": "Drafts"},
    "col.questionnaire": {"fr": "Questionnaire", "en": "Questionnaire"},
    "answer.title": {"fr": "Répondre au questionnaire", "en": "Answer the questionnaire"},
    "answer.not_contributor": {
        "fr": "Seule une structure contributrice répond aux questionnaires : connectez-vous "
        "avec le compte de votre structure.",
        "en": "Only a contributing organisation answers questionnaires: sign in with your "
        "organisation's account.",
    },
    "answer.no_campaign": {
        "fr": "Aucune campagne n'est ouverte pour votre filière en ce moment.",
        "en": "No campaign is open for your branch at the moment.",
    },
    "answer.campaign": {"fr": "Campagne", "en": "Campaign"},
    "answer.closes": {"fr": "Clôture le {date}", "en": "Closes on {date}"},
    "diffusion.year": {"fr": "Année de référence", "en": "Reference year"},
    "diffusion.place": {"fr": "Lieu", "en": "Place"},
    "diffusion.performances": {"fr": "Représentations", "en": "Performances"},
    "diffusion.contributors": {"fr": "Contributeurs", "en": "Contributors"},
    "diffusion.secret": {"fr": "Secret statistique", "en": "Statistical confidentiality"},
    "diffusion.none": {
        "fr": "Pas encore de réponses envoyées pour cette année.",
        "en": "No submitted responses for this year yet.",
    },
    # --- filière names in the menu and on charts (the dashboard pages' own texts are in
    # their declarations, surveys/dashboards/)
    "nav.filiere.arts_de_la_rue": {"fr": "Arts de la rue", "en": "Street arts"},
    "nav.filiere.marionnette": {"fr": "Marionnette", "en": "Puppetry"},
    "nav.filiere.cirque": {"fr": "Cirque", "en": "Circus"},
    "nav.filiere.musiques_actuelles": {"fr": "Musiques actuelles", "en": "Contemporary music"},
}


STRINGS |= (
    ACCESS_STRINGS
    | SPACE_STRINGS
    | CODESIGN_STRINGS
    | RELEASE_STRINGS
    | SERVER_STRINGS
    | ADMIN_STRINGS
    | MAIL_STRINGS
    | EXPLORE_STRINGS
)


def t(key: str, lang: str = "fr", **params: Any) -> str:
    entry = STRINGS[key]
    text = entry.get(lang) or entry["fr"]
    return text.format(**params) if params else text
