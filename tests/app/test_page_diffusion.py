"""Diffusion dashboard: places, runs, fees, maps of départements and regions, audience."""

from __future__ import annotations

import json
from dataclasses import replace

import polars as pl
import pytest
from test_page_emploi import (
    apply_filters,
    based_on,
    chart_keys,
    computed,
    csv_matches_table,
    exact_total,
    expected_refused_again,
    frames_of,
    latest_year,
    metrics,
    record_downloads,
    refusal_count,
    refused_again_count,
    refused_filters,
    same_csv,
    shown_kpi,
)

from opp import geo
from opp.indicators.engine import Filters, Result
from opp.ui.charts import NO_DATA

PAGE = "pages/diffusion.py"
PANELS = [
    "lieux",
    "tendance_exploitation",
    "carte_departements",
    "carte_departements_habitants",
    "carte_regions",
    "prix_cession",
    "prix_representation",
    "spectateurs",
    "jeune_public",
]


def placed(result: Result) -> Result:
    return replace(result, table=result.table.filter(pl.col("category").is_not_null()))


def map_areas(at, key: str) -> dict[str, str]:
    """Hover text → fill colour of the areas of a map."""
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-chart:{key}"))
    spec = json.loads(chart.proto.spec)
    return {t["name"]: t["fillcolor"] for t in spec["data"] if t.get("fill") == "toself"}


@pytest.mark.parametrize("viewer_key", ["admin", "coreps"])
def test_page_diffusion__loads_with_every_panel(run_app, demo_file, viewer_key):
    at = run_app(demo_file, PAGE, viewer_key=viewer_key)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Où se jouent les représentations ?"
    assert chart_keys(at) == PANELS
    assert len(at.dataframe) == len(PANELS)


def test_page_diffusion__kpis_equal_the_service_and_a_hand_count(run_app, demo_file, monkeypatch):
    files = record_downloads(monkeypatch)
    at = run_app(demo_file, PAGE, viewer_key="admin")
    performances = computed(demo_file, "representations_total")
    fee = computed(demo_file, "prix_cession")
    assert metrics(at)["Représentations"] == shown_kpi(performances)
    assert metrics(at)["Prix de cession médian"] == shown_kpi(fee)
    assert based_on(fee) in [c.value for c in at.caption]
    # By hand: performances summed, and the median of the companies' average fees.
    year = frames_of(demo_file).responses.filter(
        (pl.col("reference_year") == latest_year(demo_file))
        & (pl.col("structure_type") != "artiste")
    )
    exact = exact_total(demo_file, "representations_total")["value"]
    assert exact == year["representations_total"].sum()
    assert exact_total(demo_file, "prix_cession")["value"] == (
        year["prix_cession_moyen"].drop_nulls().median()
    )
    assert performances.total()["value"] != exact
    # Downloads: exactly the table under the chart (shares included).
    data = csv_matches_table(files, at, "lieux", PANELS.index("lieux"))
    assert same_csv(data, computed(demo_file, "representations_par_lieu", breakdown="filiere"))
    assert "Part (%)" in data.decode("utf-8-sig").splitlines()[0]


def test_page_diffusion__maps_colour_exactly_the_published_places(run_app, demo_file, monkeypatch):
    files = record_downloads(monkeypatch)
    at = run_app(demo_file, PAGE, viewer_key="admin")
    by_departement = placed(computed(demo_file, "representations_par_departement"))
    published = by_departement.table.filter(pl.col("secret").is_null())
    areas = map_areas(at, "carte_departements")
    assert len(areas) == len(geo.DEPARTEMENTS)
    assert sum(colour != NO_DATA for colour in areas.values()) == published.height
    # The table lists places only (no row for performances played outside Occitanie).
    data = csv_matches_table(files, at, "carte_departements", PANELS.index("carte_departements"))
    assert same_csv(data, by_departement)
    regions = placed(computed(demo_file, "representations_hors_region"))
    outlined = [f["properties"]["code"] for f in geo.geojson("regions")["features"]]
    drawn = regions.table.filter(
        pl.col("secret").is_null() & pl.col("category").is_in([f"FR-{c}" for c in outlined])
    )
    coloured = sum(colour != NO_DATA for colour in map_areas(at, "carte_regions").values())
    assert coloured == drawn.height > 0
    data = csv_matches_table(files, at, "carte_regions", PANELS.index("carte_regions"))
    assert same_csv(data, regions)  # countries abroad are in the table


def test_page_diffusion__filters_change_the_figures(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="admin")
    before = metrics(at)["Représentations"]
    filters = Filters(latest_year(demo_file), structure_type="compagnie")
    apply_filters(at, filters)
    assert not at.exception
    performances = computed(demo_file, "representations_total", filters)
    assert metrics(at)["Représentations"] == shown_kpi(performances) != before
    assert based_on(performances) in [c.value for c in at.caption]


def test_page_diffusion__refused_filter_shows_why_and_no_figure(run_app, demo_file):
    ids = [
        "representations_total",
        "representations_par_spectacle",
        "prix_cession",
        "representations_espace_public",
        "representations_par_lieu",
        "representations_par_departement",
        "representations_hors_region",
        "prix_cession_representation",
        "spectateurs",
        "representations_jeune_public",
    ]
    filters = refused_filters(demo_file, ids)
    at = run_app(demo_file, PAGE, viewer_key="admin")
    apply_filters(at, filters)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert set(metrics(at).values()) == {"—"}
    # One explanation for the page, the other refused panels refer to it.
    assert refusal_count(at) == 1
    trend = "representations_par_spectacle"
    assert refused_again_count(at) == expected_refused_again(demo_file, PANELS, trend, filters)
    assert set(chart_keys(at)) <= {"tendance_exploitation"}
