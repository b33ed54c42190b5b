"""Shared vocabularies of the sector: filières, structure types, consent levels, roles.

Kept in one place so questionnaires, the demo generator, indicators and pages agree.
"""

from __future__ import annotations

from typing import Final

from opp.i18n import Vocabulary

Labels = Vocabulary

# The codes are here; their labels are catalogue messages (`ref.filiere.cirque`…, see
# opp.i18n.Vocabulary), so adding a language touches no Python.
FILIERES: Final = Vocabulary(
    "ref.filiere", ("arts_de_la_rue", "marionnette", "cirque", "musiques_actuelles")
)

# The short names of the filières: chart axes, legends, tables and the menu say the same
# (before: "Arts de la rue" on a chart's axis, "Art dans l'espace public / arts de la
# rue" in the table under it). One message per filière, `nav.filiere.<code>`, read by the
# menu and the charts alike.
FILIERE_SHORT: Final = Vocabulary("nav.filiere", FILIERES.codes)

COMMON_CORE: Final = "commun"
FILIERE_OR_CORE: Final = Vocabulary("ref.filiere", (COMMON_CORE, *FILIERES.codes))

STRUCTURE_TYPES: Final = Vocabulary(
    "ref.structure_type",
    (
        "compagnie",
        "lieu",
        "festival",
        "bureau_production",
        "ecole",
        "reseau",
        "collectivite",
        "artiste",
    ),
)

# Labels and multi-year agreements of a structure: the choices of the common core's
# `labels` question (a test keeps both lists equal), "aucun" aside.
LABELS: Final = Vocabulary(
    "ref.label",
    (
        "cnarep",
        "pnc",
        "cnma",
        "smac",
        "scene_nationale",
        "scene_conventionnee",
        "cdn_ccn",
        "conventionnement_region",
        "conventionnement_drac",
    ),
)

# Legal forms: the choices of the common core's `forme_juridique` question.
LEGAL_FORMS: Final = Vocabulary(
    "ref.legal_form",
    ("association", "scop", "scic", "societe", "epcc", "regie", "micro_entreprise", "autre"),
)

SIZE_CLASSES: Final = Vocabulary("ref.size_class", ("0", "1-2", "3-9", "10+"))


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


CONSENT_LEVELS: Final = Vocabulary("ref.consent", ("agrege", "reseau", "ouvert"))

RESPONSE_STATUSES: Final = Vocabulary("ref.response_status", ("draft", "submitted"))


def label(vocabulary: Vocabulary, code: str | None, lang: str = "fr") -> str:
    """Human label of a code, or the code itself when unknown."""
    return vocabulary.label(code, lang)


# What follows a value of each unit, by language ("144 ETP", "144 FTE").
UNIT_SUFFIXES: Final = Vocabulary("unit.suffix", ("percent", "eur", "fte", "points"))


def unit_suffix(unit: str | None, lang: str = "fr") -> str:
    """The suffix of a value in this unit ("" for counts and unknown units)."""
    return UNIT_SUFFIXES.label(unit, lang) if unit in UNIT_SUFFIXES else ""


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
