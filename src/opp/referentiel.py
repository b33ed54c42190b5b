"""Shared vocabularies of the sector: filières, structure types, consent levels, roles.

Kept in one place so questionnaires, the demo generator, indicators and pages agree.
"""

from __future__ import annotations

from typing import Final

Labels = dict[str, dict[str, str]]

FILIERES: Final[Labels] = {
    "arts_de_la_rue": {
        "fr": "Art dans l'espace public / arts de la rue",
        "en": "Art in public space / street arts",
    },
    "marionnette": {
        "fr": "Marionnette et théâtre d'objets",
        "en": "Puppetry and object theatre",
    },
    "cirque": {"fr": "Arts du cirque", "en": "Circus arts"},
    "musiques_actuelles": {"fr": "Musiques actuelles", "en": "Contemporary popular music"},
}

# The short names of the filières: chart axes, legends, tables and the menu say the same
# (before: "Arts de la rue" on a chart's axis, "Art dans l'espace public / arts de la
# rue" in the table under it).
FILIERE_SHORT: Final[Labels] = {
    "arts_de_la_rue": {"fr": "Arts de la rue", "en": "Street arts"},
    "marionnette": {"fr": "Marionnette", "en": "Puppetry"},
    "cirque": {"fr": "Cirque", "en": "Circus"},
    "musiques_actuelles": {"fr": "Musiques actuelles", "en": "Contemporary music"},
}

COMMON_CORE: Final = "commun"
FILIERE_OR_CORE: Final[Labels] = {
    COMMON_CORE: {"fr": "Socle commun (toutes filières)", "en": "Common core (all branches)"},
    **FILIERES,
}

STRUCTURE_TYPES: Final[Labels] = {
    "compagnie": {"fr": "Compagnie / équipe artistique", "en": "Company / artistic team"},
    "lieu": {"fr": "Lieu de diffusion", "en": "Venue"},
    "festival": {"fr": "Festival", "en": "Festival"},
    "bureau_production": {
        "fr": "Bureau de production / d'accompagnement",
        "en": "Production / support office",
    },
    "ecole": {"fr": "École / centre de formation", "en": "School / training centre"},
    "reseau": {"fr": "Fédération ou réseau", "en": "Federation or network"},
    "collectivite": {"fr": "Collectivité (lieu en régie)", "en": "Local authority venue"},
    "artiste": {"fr": "Artiste (personne)", "en": "Artist (individual)"},
}

# Labels and multi-year agreements of a structure: the choices of the common core's
# `labels` question (a test keeps both lists equal), "aucun" aside.
LABELS: Final[Labels] = {
    "cnarep": {
        "fr": "CNAREP (Centre national des arts de la rue et de l'espace public)",
        "en": "CNAREP (national centre for street arts and art in public space)",
    },
    "pnc": {"fr": "Pôle national cirque (PNC)", "en": "National circus centre (PNC)"},
    "cnma": {
        "fr": "CNMa (Centre national de la marionnette)",
        "en": "CNMa (national puppetry centre)",
    },
    "smac": {
        "fr": "SMAC (Scène de musiques actuelles)",
        "en": "SMAC (popular music venue label)",
    },
    "scene_nationale": {"fr": "Scène nationale", "en": "Scène nationale (national stage)"},
    "scene_conventionnee": {
        "fr": "Scène conventionnée d'intérêt national",
        "en": "Scène conventionnée d'intérêt national",
    },
    "cdn_ccn": {
        "fr": "CDN ou CCN (centre dramatique ou chorégraphique national)",
        "en": "CDN or CCN (national drama or choreographic centre)",
    },
    "conventionnement_region": {
        "fr": "Conventionnement pluriannuel avec la Région Occitanie",
        "en": "Multi-year agreement with the Occitanie Region",
    },
    "conventionnement_drac": {
        "fr": "Conventionnement avec la DRAC Occitanie",
        "en": "Multi-year agreement with the DRAC Occitanie",
    },
}

# Legal forms: the choices of the common core's `forme_juridique` question.
LEGAL_FORMS: Final[Labels] = {
    "association": {"fr": "Association loi 1901", "en": "Non-profit association (loi 1901)"},
    "scop": {
        "fr": "SCOP (société coopérative et participative)",
        "en": "SCOP (workers' cooperative)",
    },
    "scic": {
        "fr": "SCIC (société coopérative d'intérêt collectif)",
        "en": "SCIC (multi-stakeholder cooperative)",
    },
    "societe": {
        "fr": "Société commerciale (SARL, SAS, EURL…)",
        "en": "Company (SARL, SAS, EURL…)",
    },
    "epcc": {
        "fr": "EPCC (établissement public de coopération culturelle)",
        "en": "EPCC (public cultural cooperation body)",
    },
    "regie": {
        "fr": "Régie municipale ou intercommunale",
        "en": "Municipal or inter-municipal direct management (régie)",
    },
    "micro_entreprise": {
        "fr": "Micro-entreprise (entreprise individuelle)",
        "en": "Micro-enterprise (sole trader)",
    },
    "autre": {"fr": "Autre forme juridique", "en": "Other legal form"},
}

SIZE_CLASSES: Final[Labels] = {
    "0": {"fr": "Aucun permanent", "en": "No permanent staff"},
    "1-2": {"fr": "1 à 2 permanents", "en": "1 to 2 permanent staff"},
    "3-9": {"fr": "3 à 9 permanents", "en": "3 to 9 permanent staff"},
    "10+": {"fr": "10 permanents ou plus", "en": "10 or more permanent staff"},
}


def size_class(permanent_headcount: float | None) -> str | None:
    """Size class from the permanent headcount at 31 December."""
    if permanent_headcount is None:
        return None
    if permanent_headcount <= 0:
        return "0"
    if permanent_headcount < 3:
        return "1-2"
    if permanent_headcount < 10:
        return "3-9"
    return "10+"


CONSENT_LEVELS: Final[Labels] = {
    "agrege": {
        "fr": "Agrégé : mes réponses ne servent qu'aux statistiques publiées",
        "en": "Aggregated: my answers are only used in published statistics",
    },
    "reseau": {
        "fr": "Réseau : ma coordination de filière peut voir mes réponses",
        "en": "Network: my branch coordinators may see my answers",
    },
    "ouvert": {
        "fr": "Ouvert : mes réponses non personnelles peuvent être publiées en données ouvertes",
        "en": "Open: my non-personal answers may be published as open data",
    },
}

RESPONSE_STATUSES: Final[Labels] = {
    "draft": {"fr": "Brouillon", "en": "Draft"},
    "submitted": {"fr": "Envoyée", "en": "Submitted"},
}


def label(vocabulary: Labels, code: str | None, lang: str = "fr") -> str:
    """Human label of a code, or the code itself when unknown."""
    if code is None:
        return "—"
    entry = vocabulary.get(code)
    if not entry:
        return str(code)
    return entry.get(lang) or entry["fr"]


# What follows a value of each unit, by language ("144 ETP", "144 FTE").
UNIT_SUFFIXES: Labels = {
    "percent": {"fr": " %", "en": " %"},
    "eur": {"fr": " €", "en": " €"},
    "fte": {"fr": " ETP", "en": " FTE"},
    "points": {"fr": " pts", "en": " pts"},
}


def unit_suffix(unit: str | None, lang: str = "fr") -> str:
    """The suffix of a value in this unit ("" for counts and unknown units)."""
    entry = UNIT_SUFFIXES.get(unit or "")
    return (entry.get(lang) or entry["fr"]) if entry else ""


def dimension_label(dimension: str | None, code: str, lang: str = "fr") -> str:
    """Readable label of a code of one of the dashboards' dimensions (filière,
    département, structure type, size class, a family of groupings of départements, or a
    breakdown by answers); other codes are
    shown as they are. One place for pages, API and exports."""
    from opp import geo

    if dimension == "filiere":
        return label(FILIERES, code, lang)
    if dimension == "departement":
        return geo.place_label(code, lang)
    if dimension == "structure_type":
        return label(STRUCTURE_TYPES, code, lang)
    if dimension == "size_class":
        return label(SIZE_CLASSES, code, lang)
    family = geo.grouping_family(dimension or "")
    if family is not None:
        grouping = geo.groupings().get(code)
        return grouping.name(lang) if grouping is not None else str(code)
    from opp.indicators import breakdowns

    answers = breakdowns.known().get(dimension or "")
    if answers is not None:
        return answers.value_label(code, lang)
    return str(code)
