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
    "emploi.title": {"fr": "Emploi", "en": "Employment"},
    "emploi.intro": {
        "fr": "Emplois permanents, intermittents et bénévoles des structures répondantes, et "
        "masse salariale. Chaque chiffre indique le nombre de contributeurs sur lequel il "
        "repose ; les cases trop petites sont masquées (secret statistique).",
        "en": "Permanent jobs, intermittent workers and volunteers of the responding "
        "organisations, and payroll. Each figure says how many contributors it rests on; "
        "cells that are too small are hidden (statistical confidentiality).",
    },
    "emploi.q.jobs": {
        "fr": "Qui travaille dans les structures ?",
        "en": "Who works in the organisations?",
    },
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
    "diffusion.title": {
        "fr": "Où se jouent les représentations ?",
        "en": "Where are the performances given?",
    },
    "diffusion.intro": {
        "fr": "Représentations déclarées par les compagnies et bureaux de production : où elles "
        "se jouent par rapport au siège, combien par spectacle, à quel prix de cession et "
        "devant quel public. Les cases reposant sur moins de 3 contributeurs (5 pour les prix) "
        "sont masquées (secret statistique).",
        "en": "Performances declared by companies and production offices: where they are given "
        "relative to the seat, how many per show, at what fee and for which audience. Cells "
        "resting on fewer than 3 contributors (5 for fees) are hidden (statistical "
        "confidentiality).",
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
    # --- dashboard pages: titles, introductions, section questions, KPI titles
    "nav.filiere.arts_de_la_rue": {"fr": "Arts de la rue", "en": "Street arts"},
    "nav.filiere.marionnette": {"fr": "Marionnette", "en": "Puppetry"},
    "nav.filiere.cirque": {"fr": "Cirque", "en": "Circus"},
    "nav.filiere.musiques_actuelles": {"fr": "Musiques actuelles", "en": "Contemporary music"},
    # --- Égalité
    "egalite.title": {"fr": "Égalité femmes-hommes", "en": "Gender equality"},
    "egalite.intro": {
        "fr": "Place des femmes dans chaque famille de fonctions, écart de salaire et "
        "engagements des structures. Repères : parité à 50 %, seuil d'invisibilité à 33 %. "
        "Les parts par fonction et les salaires sont publiés à partir de 5 contributeurs.",
        "en": "Women's place in each role family, pay gap and organisations' commitments. "
        "Benchmarks: parity at 50%, invisibility threshold at 33%. Shares by role and pay "
        "are published from 5 contributors.",
    },
    "egalite.kpi.direction": {"fr": "Femmes à la direction", "en": "Women in management"},
    "egalite.kpi.scene": {
        "fr": "Femmes programmées ou sur scène",
        "en": "Women programmed or on stage",
    },
    "egalite.q.roles": {
        "fr": "Quelles fonctions les femmes occupent-elles ?",
        "en": "Which roles do women hold?",
    },
    "egalite.q.compare": {
        "fr": "Les écarts sont-ils les mêmes partout ?",
        "en": "Are the gaps the same everywhere?",
    },
    "egalite.compare": {"fr": "Comparer par", "en": "Compare by"},
    "egalite.q.trend": {
        "fr": "La situation évolue-t-elle d'une campagne à l'autre ?",
        "en": "Is it changing from one campaign to the next?",
    },
    "egalite.q.actions": {
        "fr": "Que font les structures pour l'égalité ?",
        "en": "What do organisations do for equality?",
    },
    # --- Diffusion
    "diffusion.kpi.median_fee": {"fr": "Prix de cession médian", "en": "Median fee"},
    "diffusion.q.where": {"fr": "Où jouent les équipes ?", "en": "Where do teams perform?"},
    "diffusion.q.map": {
        "fr": "Sur quels territoires ?",
        "en": "In which territories?",
    },
    "diffusion.q.fees": {
        "fr": "À quel prix les spectacles sont-ils vendus ?",
        "en": "At what price are shows sold?",
    },
    "diffusion.q.audience": {"fr": "Pour quels publics ?", "en": "For which audiences?"},
    # --- Économie
    "economie.title": {"fr": "Économie des structures", "en": "Organisations' finances"},
    "economie.intro": {
        "fr": "Budgets, origine des ressources et financements publics des structures "
        "répondantes. Les sommes en euros sont masquées quand deux structures font au moins "
        "85 % du total (secret statistique).",
        "en": "Budgets, origin of resources and public funding of the responding "
        "organisations. Sums in euros are hidden when two organisations make 85% or more of "
        "the total (statistical confidentiality).",
    },
    "economie.kpi.median_budget": {"fr": "Budget médian", "en": "Median budget"},
    "economie.q.resources": {
        "fr": "D'où viennent les ressources ?",
        "en": "Where do resources come from?",
    },
    "economie.q.budgets": {
        "fr": "Quelle taille ont les budgets ?",
        "en": "How large are budgets?",
    },
    # --- Participation
    "participation.title": {"fr": "Participation", "en": "Participation"},
    "participation.intro": {
        "fr": "Réponses envoyées rapportées aux structures invitées à chaque campagne. Ces "
        "chiffres disent qui participe, pas ce qui a été répondu : ils sont publiés sans "
        "seuil. Une campagne encore ouverte a un taux provisoire.",
        "en": "Submitted responses divided by organisations invited to each campaign. These "
        "figures say who takes part, not what was answered: they are published without a "
        "threshold. A campaign still open has a provisional rate.",
    },
    "participation.kpi_year": {
        "fr": "Participation {year}",
        "en": "Participation {year}",
    },
    "participation.q.filiere": {
        "fr": "Quelles filières répondent ?",
        "en": "Which branches answer?",
    },
    "participation.q.territoire": {
        "fr": "Quels territoires sont couverts ?",
        "en": "Which territories are covered?",
    },
    "participation.q.type": {
        "fr": "Quels types de structures répondent ?",
        "en": "Which kinds of organisations answer?",
    },
    "participation.q.trend": {
        "fr": "La participation progresse-t-elle ?",
        "en": "Is participation growing?",
    },
    "participation.size_ignored": {
        "fr": "La taille n'est connue que pour les structures qui ont répondu : le taux de "
        "participation est calculé sans le filtre de taille.",
        "en": "Size is only known for organisations that answered: the participation rate "
        "is computed without the size filter.",
    },
    # --- Filières
    "filiere.overview": {
        "fr": "La filière en chiffres clés",
        "en": "The branch in key figures",
    },
    "filiere.module": {
        "fr": "Questions propres à la filière",
        "en": "Branch-specific questions",
    },
    "filiere.kpi.direction": {"fr": "Femmes à la direction", "en": "Women in management"},
    "filiere.kpi.median_budget": {"fr": "Budget médian", "en": "Median budget"},
    "filiere.kpi.concerts_occitanie": {
        "fr": "Concerts des artistes en Occitanie",
        "en": "Artists' concerts in Occitanie",
    },
    "filiere.arts_de_la_rue.title": {
        "fr": "Art dans l'espace public / arts de la rue",
        "en": "Art in public space / street arts",
    },
    "filiere.arts_de_la_rue.intro": {
        "fr": "Vue d'ensemble des équipes des arts de la rue et réponses à leur module : "
        "représentations gratuites dans l'espace public, publics estimés, festivals, "
        "autorisations d'occuper l'espace public.",
        "en": "Overview of street-arts teams and answers to their module: free performances "
        "in public space, estimated audiences, festivals, permission to use public space.",
    },
    "filiere.marionnette.title": {
        "fr": "Marionnette et théâtre d'objets",
        "en": "Puppetry and object theatre",
    },
    "filiere.marionnette.intro": {
        "fr": "Vue d'ensemble des compagnies de marionnette et réponses à leur module : "
        "budgets de production, apports non monétaires, fabrication en atelier, jeune "
        "public.",
        "en": "Overview of puppetry companies and answers to their module: production "
        "budgets, non-monetary resources, workshop building, young audiences.",
    },
    "filiere.cirque.title": {"fr": "Arts du cirque", "en": "Circus arts"},
    "filiere.cirque.intro": {
        "fr": "Vue d'ensemble des compagnies de cirque et réponses à leur module : "
        "chapiteaux, artistes au plateau, itinérance.",
        "en": "Overview of circus companies and answers to their module: big tops, artists "
        "on stage, touring.",
    },
    "filiere.musiques_actuelles.title": {
        "fr": "Musiques actuelles",
        "en": "Contemporary popular music",
    },
    "filiere.musiques_actuelles.intro": {
        "fr": "Vue d'ensemble des lieux, festivals et structures des musiques actuelles, "
        "réponses à leur module (concerts, programmation, fréquentation) et questionnaire "
        "des artistes : d'où viennent leurs revenus, où ils jouent.",
        "en": "Overview of contemporary-music venues, festivals and organisations, answers "
        "to their module (concerts, programming, attendance) and the artists' "
        "questionnaire: where their income comes from, where they play.",
    },
    "filiere.artists": {
        "fr": "Les artistes : de quoi vivent-ils ?",
        "en": "Artists: what do they live on?",
    },
    "filiere.artists.intro": {
        "fr": "Réponses des artistes au questionnaire individuel. Leurs revenus cumulent "
        "souvent plusieurs sources : cachets, droits, enseignement, autre activité, "
        "allocations.",
        "en": "Artists' answers to the individual questionnaire. Their income often "
        "combines several sources: fees, rights, teaching, other work, benefits.",
    },
    "filiere.artists.filters": {
        "fr": "Les filtres de type de structure et de taille ne s'appliquent pas aux "
        "artistes : ces chiffres portent sur tous les artistes de la sélection.",
        "en": "The organisation type and size filters do not apply to artists: these "
        "figures cover every artist of the selection.",
    },
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
