"""Filière pages: the branch's key figures and questionnaire module, for its network."""

from __future__ import annotations

import polars as pl
import pytest
from test_page_emploi import (
    INDICATORS,
    apply_filters,
    based_on,
    chart_keys,
    computed,
    csv_matches_table,
    exact_total,
    frames_of,
    latest_year,
    metrics,
    record_downloads,
    refusal_count,
    refused_again_count,
    refused_filters,
    same_csv,
    shown_kpi,
    trend_refused,
)

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.indicators.dashboards import load_dashboards
from opp.indicators.engine import Filters
from opp.referentiel import FILIERES, label
from opp.store import open_store, stats

PANELS = {
    "arts_de_la_rue": [
        "lieux",
        "gratuites",
        "festivals",
        "autorisations",
        "autorisations_tendance",
        "part_gratuit",
        "creation",
    ],
    "marionnette": [
        "lieux",
        "budget_production",
        "apports",
        "atelier",
        "jeune_public",
        "types_apports",
        "production",
        "jeune_public_scolaires",
    ],
    "cirque": [
        "lieux",
        "chapiteau",
        "itinerance",
        "artistes_plateau",
        "chapiteau_proprietaire",
        "chapiteau_jauge",
        "itinerance_activite",
        "accidents",
        "accroches",
        "reseau",
    ],
    "musiques_actuelles": [
        "frequentation",
        "artistes_region",
        "direction_femme",
        "accompagnement",
        "revenus_sources",
        "nombre_sources",
        "revenu_artistique",
        "concerts_artistes",
        "revenus_genre",
        "revenus_stade",
        "activite_artistes",
    ],
}
TITLES = {
    "arts_de_la_rue": "Art dans l'espace public / arts de la rue",
    "marionnette": "Marionnette et théâtre d'objets",
    "cirque": "Arts du cirque",
    "musiques_actuelles": "Musiques actuelles",
}
DECLARED = load_dashboards(INDICATORS).get("filiere_cirque")
COMMON = ["representations_total", "effectif_permanent_total", "budget_median"]


def page(filiere: str) -> str:
    return f"pages/filiere_{filiere}.py"


def coordinator(filiere: str) -> Viewer:
    return Viewer(role=Role.COORDINATEUR, filiere=filiere)


@pytest.mark.parametrize("viewer_key", ["admin", "coreps"])
@pytest.mark.parametrize("filiere", list(PANELS))
def test_page_filieres__load_with_every_panel(run_app, demo_file, filiere, viewer_key):
    at = run_app(demo_file, page(filiere), viewer_key=viewer_key)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == TITLES[filiere]
    assert chart_keys(at) == PANELS[filiere]
    # The filière is fixed in the filter bar; the headline figures are the filière's.
    shown = f"Filière  \n**{label(FILIERES, filiere, 'fr')}**"
    assert shown in [m.value for m in at.markdown]
    jobs = computed(demo_file, "effectif_permanent_total", Filters(latest_year(demo_file), filiere))
    assert metrics(at)["Emplois permanents"] == shown_kpi(jobs)


def test_page_filieres__own_coordinator_sees_the_module(run_app, demo_file, monkeypatch):
    files = record_downloads(monkeypatch)
    at = run_app(demo_file, page("cirque"), viewer_key="coord:cirque")
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    big_tops = computed(demo_file, "cir_chapiteau", viewer=coordinator("cirque"))
    assert metrics(at)["Compagnies disposant d'un chapiteau"] == shown_kpi(big_tops)
    assert based_on(big_tops) in [c.value for c in at.caption]
    # By hand: the share of circus organisations that have a big top.
    answers = (
        frames_of(demo_file)
        .responses.filter(
            (pl.col("reference_year") == latest_year(demo_file))
            & (pl.col("filiere") == "cirque")
            & (pl.col("structure_type") != "artiste")
        )["cir_chapiteau"]
        .drop_nulls()
    )
    exact = exact_total(demo_file, "cir_chapiteau", viewer=coordinator("cirque"))
    assert exact["value"] == pytest.approx(100 * answers.cast(pl.Float64).mean())
    data = csv_matches_table(files, at, "chapiteau", PANELS["cirque"].index("chapiteau"))
    expected = computed(
        demo_file, "cir_chapiteau", breakdown="size_class", viewer=coordinator("cirque")
    )
    assert same_csv(data, expected)


@pytest.mark.parametrize(
    ("viewer_key", "filiere"),
    [("coord:arts_de_la_rue", "cirque"), ("coord:cirque", "musiques_actuelles")],
)
def test_page_filieres__another_network_is_refused(run_page_alone, demo_file, viewer_key, filiere):
    # The menu does not offer it; the page, reached by its address, refuses by itself.
    at = run_page_alone(demo_file, page(filiere), viewer_key=viewer_key)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert "Accès refusé" in at.warning[0].value
    assert "voir les chiffres d'une autre filière" in at.warning[0].value
    assert not at.metric
    assert not chart_keys(at)
    assert not at.dataframe
    assert not at.get("download_button")


def test_page_filieres__a_contributor_of_another_filiere_is_refused(run_page_alone, demo_file):
    store = open_store(demo_file)
    try:
        profiles = stats.demo_profiles(store, clock.today())
    finally:
        store.close()
    cirque = next(p for p in profiles if p["filiere"] == "cirque")
    at = run_page_alone(demo_file, page("marionnette"), viewer_key=f"org:{cirque['id']}")
    assert not at.exception
    assert "Accès refusé" in at.warning[0].value
    assert not at.metric
    assert not chart_keys(at)


def test_page_filieres__filters_change_the_figures(run_app, demo_file):
    at = run_app(demo_file, page("arts_de_la_rue"), viewer_key="admin")
    label = "Représentations gratuites dans l'espace public"
    before = metrics(at)[label]
    filters = Filters(latest_year(demo_file), "arts_de_la_rue", departement="31")
    apply_filters(at, filters)
    assert not at.exception
    free = computed(demo_file, "adr_gratuite_espace_public", filters)
    assert metrics(at)[label] == shown_kpi(free) != before
    assert based_on(free) in [c.value for c in at.caption]


def test_page_filieres__refused_filter_shows_why_and_no_figure(run_app, demo_file):
    # Every figure of the page (its declaration): a filter refused for all of them.
    ids = list(dict.fromkeys(i for i, _ in DECLARED.figures()))
    filters = refused_filters(demo_file, ids, filiere="cirque")
    at = run_app(demo_file, page("cirque"), viewer_key="admin")
    apply_filters(at, filters)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert set(metrics(at).values()) == {"—"}
    # One explanation for the page, the other refused panels refer to it.
    assert refusal_count(at) == 1
    # A trend refers to it too when the filter is refused every year (issue 17: one
    # refused filter, one explanation; it said "no data").
    trends = [p for p in DECLARED.panels() if p.breakdown == "reference_year"]
    shown = [p for p in trends if not trend_refused(demo_file, p.indicator, filters)]
    assert refused_again_count(at) == len(PANELS["cirque"]) - len(shown) - 1
    assert not chart_keys(at)


def test_page_filieres__artists_income_by_source(run_app, demo_file, monkeypatch):
    files = record_downloads(monkeypatch)
    at = run_app(demo_file, page("musiques_actuelles"), viewer_key="coord:musiques_actuelles")
    assert not at.exception
    index = PANELS["musiques_actuelles"].index("revenus_sources")
    data = csv_matches_table(files, at, "revenus_sources", index)
    income = computed(demo_file, "art_revenus_sources", viewer=coordinator("musiques_actuelles"))
    assert same_csv(data, income)
    shares = income.table["share"].drop_nulls()
    assert shares.len() == len(income.indicator.series)
    assert shares.sum() == pytest.approx(100)
    # Organisation type and size do not apply to artists: said, and not a refusal.
    apply_filters(at, Filters(latest_year(demo_file), structure_type="lieu"))
    assert not at.exception
    assert any("ne s'appliquent pas aux artistes" in i.value for i in at.info)
    assert {"revenus_sources", "concerts_artistes"} <= set(chart_keys(at))
