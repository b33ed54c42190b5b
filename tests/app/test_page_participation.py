"""Participation dashboard: submitted responses divided by invited organisations."""

from __future__ import annotations

import json

import polars as pl
import pytest
from test_page_emploi import (
    apply_filters,
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
from opp.indicators.engine import Filters
from opp.ui.charts import NO_DATA

PAGE = "pages/participation.py"
PANELS = [
    "participation_filiere",
    "participation_departement",
    "participation_type",
    "participation_tendance",
]


@pytest.mark.parametrize("viewer_key", ["admin", "coreps"])
def test_page_participation__loads_with_every_panel(run_app, demo_file, viewer_key):
    at = run_app(demo_file, PAGE, viewer_key=viewer_key)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Participation"
    assert chart_keys(at) == PANELS
    years = frames_of(demo_file).years()
    assert list(metrics(at)) == [f"Participation {y}" for y in years[:3]]


def test_page_participation__rates_equal_the_service_and_a_hand_count(
    run_app, demo_file, monkeypatch
):
    files = record_downloads(monkeypatch)
    at = run_app(demo_file, PAGE, viewer_key="admin")
    year = latest_year(demo_file)
    rate = computed(demo_file, "taux_participation")
    assert metrics(at)[f"Participation {year}"] == shown_kpi(rate)
    # By hand: submitted responses / invited organisations of the year's campaigns.
    invited = frames_of(demo_file).participation.filter(pl.col("reference_year") == year)
    invited = invited.filter(pl.col("structure_type") != "artiste")
    exact = exact_total(demo_file, "taux_participation")
    assert exact["value"] == pytest.approx(100 * invited["submitted"].mean())
    # The map colours every département with a published rate (groups, not categories).
    by_departement = computed(demo_file, "taux_participation", breakdown="departement")
    chart = next(
        c for c in at.get("plotly_chart") if c.proto.id.endswith("participation_departement")
    )
    fills = [t for t in json.loads(chart.proto.spec)["data"] if t.get("fill") == "toself"]
    assert len(fills) == len(geo.DEPARTEMENTS)
    published = by_departement.table.filter(~pl.col("is_total") & pl.col("secret").is_null())
    assert sum(t["fillcolor"] != NO_DATA for t in fills) == published.height
    data = csv_matches_table(files, at, "participation_departement", 1)
    assert same_csv(data, by_departement)


def test_page_participation__filters_change_the_figures(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="admin")
    year = latest_year(demo_file)
    before = metrics(at)[f"Participation {year}"]
    filters = Filters(year, structure_type="festival")
    apply_filters(at, filters)
    assert not at.exception
    rate = computed(demo_file, "taux_participation", filters)
    assert metrics(at)[f"Participation {year}"] == shown_kpi(rate) != before


def test_page_participation__size_filter_is_explained_not_refused(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="admin")
    apply_filters(at, Filters(latest_year(demo_file), size_class="1-2"))
    assert not at.exception
    assert "La taille n'est connue" in at.info[0].value
    assert refusal_count(at) == 0
    assert chart_keys(at) == PANELS


def test_page_participation__refused_filter_shows_why_and_no_figure(run_app, demo_file):
    filters = refused_filters(demo_file, ["taux_participation"])
    at = run_app(demo_file, PAGE, viewer_key="admin")
    apply_filters(at, filters)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert metrics(at)[f"Participation {filters.reference_year}"] == "—"
    # One explanation for the page, the other refused panels refer to it.
    assert refusal_count(at) == 1
    trend = "taux_participation"
    assert refused_again_count(at) == expected_refused_again(demo_file, PANELS, trend, filters)
    assert set(chart_keys(at)) <= {"participation_tendance"}


def test_page_participation__filiere_names_are_the_same_on_the_chart_and_in_its_table(
    run_app, demo_file
):
    import json

    at = run_app(demo_file, "pages/participation.py", viewer_key="coreps")
    assert not at.exception
    on_chart: set[str] = set()
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec)["data"]:
            for axis in ("x", "y"):
                values = trace.get(axis)
                if isinstance(values, list) and values and isinstance(values[0], str):
                    on_chart |= set(values)
    table = next(d.value for d in at.dataframe if "Filière" in d.value.columns)
    in_table = set(table["Filière"]) - {"Ensemble"}
    # Before: "Arts de la rue" on the axis, "Art dans l'espace public / arts de la rue" below.
    assert in_table == {"Arts de la rue", "Marionnette", "Cirque", "Musiques actuelles"}
    assert in_table <= on_chart
