"""Every answer comes back (issue 17): each question of the filière modules and of the
artists' questionnaire feeds an indicator declared on its filière page or is explorable
in the Explorer; the indicators a network publishes (artists' incomes by gender and by
career stage, shows directed by women, young-audience and school performances, circus
accidents, big tops and itinerancy, non-monetary production resources, free
public-space performances) compute what a hand computation gives, and pass the
disclosure layer with the policy's threshold."""

from __future__ import annotations

import polars as pl
import pytest

from opp.indicators import explore
from opp.indicators.catalogue import load_indicators
from opp.indicators.dashboards import load_dashboards
from opp.indicators.engine import Filters, compute, exact_cells
from opp.questionnaire.catalogue import load_catalogue

SURVEYS = load_catalogue()
INDICATORS = load_indicators(surveys=SURVEYS)
DASHBOARDS = load_dashboards(INDICATORS)
MODULES = {
    "cirque": "filiere_cirque",
    "marionnette": "filiere_marionnette",
    "arts_de_la_rue": "filiere_arts_de_la_rue",
    "musiques_actuelles": "filiere_musiques_actuelles",
    "artistes_musiques_actuelles": "filiere_musiques_actuelles",
}
# What a network publishes, and the page that shows it.
PUBLISHED = {
    "art_revenus_genre": "filiere_musiques_actuelles",
    "art_revenus_stade": "filiere_musiques_actuelles",
    "spectacles_mise_en_scene": "egalite",
    "representations_jeune_public": "diffusion",
    "cir_accidents_travail": "filiere_cirque",
    "cir_securite_accroches": "filiere_cirque",
    "cir_chapiteau_jauge": "filiere_cirque",
    "cir_chapiteau_proprietaire": "filiere_cirque",
    "cir_itinerance": "filiere_cirque",
    "mar_types_apports": "filiere_marionnette",
    "mar_apports_non_monetaires": "filiere_marionnette",
    "adr_part_gratuit": "filiere_arts_de_la_rue",
    "adr_gratuite_espace_public": "filiere_arts_de_la_rue",
}


def _on_page(page: str) -> set[str]:
    """The questions feeding an indicator the page declares."""
    used: set[str] = set()
    for indicator_id, _ in DASHBOARDS.get(page).figures():
        indicator = INDICATORS.get(indicator_id)
        used |= indicator.used_questions()
        used |= {s.repeat for s in indicator.series if s.repeat}
    return used


def test_modules__every_question_is_on_its_page_or_in_the_explorer():
    on_page = 0
    for questionnaire_id, page in MODULES.items():
        questionnaire = SURVEYS.get(questionnaire_id)
        shown = _on_page(page)
        explorable = {e.question_id for e in explore.explorable(questionnaire)}
        for section, question, _parent in questionnaire.iter_questions():
            if section.origin and section.origin != questionnaire.id:
                continue  # the common core: the thematic pages
            where = (questionnaire_id, question.id)
            if question.id in shown:
                on_page += 1
            elif explore.never_reason(question) is None:
                assert question.id in explorable, where
            else:  # free text, or personal and in no published aggregate
                assert question.personal or question.type in ("text", "long_text"), where
    # Most module questions now feed a figure of their page (before issue 17: 23).
    assert on_page >= 55


def test_modules__published_indicators_are_declared_on_their_page():
    for indicator_id, page in PUBLISHED.items():
        assert indicator_id in {i for i, _ in DASHBOARDS.get(page).figures()}, indicator_id


def test_modules__thresholds_follow_the_disclosure_policy():
    # Artists' incomes: people, pay, quantiles: the sensitive threshold (5).
    for indicator_id in ("art_revenus_genre", "art_revenus_stade", "art_activite"):
        assert INDICATORS.get(indicator_id).disclosure.min_contributors == 5
    assert INDICATORS.get("cir_accidents_travail").disclosure.min_contributors == 5
    # Counts of shows and performances: the common threshold (3).
    for indicator_id in ("spectacles_mise_en_scene", "representations_jeune_public"):
        assert INDICATORS.get(indicator_id).disclosure.min_contributors == 3
    # Sums of money keep the dominance and p % rules.
    apports = INDICATORS.get("mar_apports_non_monetaires").disclosure
    assert apports.dominance is not None
    assert apports.p_percent is not None


# --- hand computations on a small population ------------------------------------------------

REVENUS = [
    "art_rev_cachets",
    "art_rev_droits_auteur",
    "art_rev_droits_voisins",
    "art_rev_enregistrements",
    "art_rev_merchandising",
    "art_rev_enseignement",
    "art_rev_autre_activite",
    "art_rev_are",
    "art_rev_minima_sociaux",
]
# genre, stade, cachets, ARE, enseignement (other sources blank)
ARTISTS = [
    ("femme", "emergence", 4_000, 6_000, None),  # 10 000
    ("femme", "emergence", 8_000, None, 2_000),  # 10 000
    ("femme", "confirme", 12_000, 8_000, None),  # 20 000
    ("femme", "developpement", 10_000, 4_000, 2_000),  # 16 000
    ("femme", "confirme", 20_000, 10_000, None),  # 30 000
    ("homme", "emergence", 5_000, None, None),  # 5 000
    ("homme", "confirme", 25_000, 5_000, None),  # 30 000
    ("homme", "developpement", 9_000, 9_000, None),  # 18 000
    ("autre", "developpement", 7_000, 7_000, None),  # 14 000: one person
    (None, "emergence", 3_000, None, None),  # gender not given: in no gender series
]


def _artists() -> pl.DataFrame:
    rows = []
    for i, (genre, stade, cachets, are, teaching) in enumerate(ARTISTS):
        row = {
            "response_id": f"a{i}",
            "organisation_id": f"o{i}",
            "reference_year": 2025,
            "filiere": "musiques_actuelles",
            "departement": "31",
            "structure_type": "artiste",
            "size_class": None,
            "art_genre": genre,
            "art_stade_carriere": stade,
            **dict.fromkeys(REVENUS),
        }
        row |= {"art_rev_cachets": float(cachets), "art_rev_are": are and float(are)}
        row["art_rev_enseignement"] = teaching and float(teaching)
        rows.append(row)
    return pl.DataFrame(rows, infer_schema_length=None)


def _exact(frame: pl.DataFrame, indicator_id: str, breakdown: str | None = None) -> dict:
    exact = exact_cells(frame, INDICATORS.get(indicator_id), Filters(2025), breakdown)
    return {r["series"]: r for r in exact.filter(pl.col("is_total")).iter_rows(named=True)}


def test_modules__artists_incomes_by_gender_equal_a_hand_computation():
    cells = _exact(_artists(), "art_revenus_genre")
    women = cells["femme"]
    assert women["n"] == 5
    # 10 000, 10 000, 16 000, 20 000, 30 000: median 16 000, linear quartiles.
    assert women["value"] == pytest.approx(16_000)
    assert women["q1"] == pytest.approx(10_000)
    assert women["q3"] == pytest.approx(20_000)
    assert cells["homme"]["n"] == 3
    assert cells["homme"]["value"] == pytest.approx(18_000)
    assert cells["autre"]["n"] == 1
    assert "non_declare" not in cells  # nobody ticked it; the blank gender counts nowhere
    published = compute(_artists(), INDICATORS.get("art_revenus_genre"), Filters(2025))
    table = {r["series"]: r for r in published.table.iter_rows(named=True)}
    assert table["femme"]["secret"] is None  # 5 women: published (perturbed)
    assert table["femme"]["q1"] <= table["femme"]["value"] <= table["femme"]["q3"]
    for small in ("homme", "autre"):  # 3 men, 1 other: under the threshold of 5
        assert table[small]["value"] is None
        assert table[small]["secret"] == "min_contributors"


def test_modules__artists_incomes_by_career_stage_equal_a_hand_computation():
    cells = _exact(_artists(), "art_revenus_stade")
    # Emerging: 10 000, 10 000, 5 000, 3 000 → median 7 500.
    assert cells["emergence"]["n"] == 4
    assert cells["emergence"]["value"] == pytest.approx(7_500)
    assert cells["developpement"]["n"] == 3  # 16 000, 18 000, 14 000
    assert cells["developpement"]["value"] == pytest.approx(16_000)
    assert cells["confirme"]["value"] == pytest.approx(30_000)  # 20 000, 30 000, 30 000


# genre of the direction: femme, homme, mixte; young audience, school; accidents
COMPANIES = [
    (2, 1, 0, 20, 8, 0),
    (1, 2, 1, 12, 12, 1),
    (0, 3, 0, 0, 0, 0),
    (3, 0, 1, 30, 10, 2),
    (1, 1, 1, None, None, None),
]


def _companies() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "response_id": f"c{i}",
                "organisation_id": f"o{i}",
                "reference_year": 2025,
                "filiere": "cirque",
                "departement": "31" if i < 3 else "34",
                "structure_type": "compagnie",
                "size_class": "3-9",
                "spectacles_direction_femme": float(f),
                "spectacles_direction_homme": float(h),
                "spectacles_direction_mixte": float(m),
                "representations_jeune_public": None if y is None else float(y),
                "representations_scolaires": None if s is None else float(s),
                "cir_accidents_travail": None if a is None else float(a),
            }
            for i, (f, h, m, y, s, a) in enumerate(COMPANIES)
        ]
    )


def test_modules__shows_directed_by_women_equal_a_hand_computation():
    cells = _exact(_companies(), "spectacles_mise_en_scene")
    assert cells["femme"]["value"] == 7
    assert cells["homme"]["value"] == 7
    assert cells["mixte"]["value"] == 3
    assert cells["femme"]["n"] == 5
    # Published as a composition: the parts' shares, women 7 of 17 shows (before noise).
    published = compute(_companies(), INDICATORS.get("spectacles_mise_en_scene"), Filters(2025))
    shares = {r["series"]: r["share"] for r in published.table.iter_rows(named=True)}
    assert sum(shares.values()) == pytest.approx(100, abs=0.5)
    assert 25 < shares["femme"] < 60


def test_modules__young_audience_and_accidents_equal_a_hand_computation():
    young = _exact(_companies(), "representations_jeune_public")
    assert young["jeune_public"]["value"] == 62
    assert young["scolaires"]["value"] == 30
    assert young["jeune_public"]["n"] == 4  # the company that left it blank is not counted
    accidents = _exact(_companies(), "cir_accidents_travail")
    assert accidents["valeur"]["value"] == 3
    assert accidents["valeur"]["n"] == 4
    # 4 companies answered, the threshold for accidents is 5: the population is refused
    # (with the threshold to explain it), nothing is published.
    published = compute(_companies(), INDICATORS.get("cir_accidents_travail"), Filters(2025))
    assert published.refused
    assert published.minimum == 5
    assert published.table.is_empty()
