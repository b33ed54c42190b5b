"""Économie dashboard: budgets, origin of resources, public funders."""

from __future__ import annotations

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

from opp.indicators.engine import Filters

PAGE = "pages/economie.py"
PANELS = ["ressources", "financeurs", "ressources_propres_type", "budgets_type", "budgets_tendance"]


@pytest.mark.parametrize("viewer_key", ["admin", "coreps"])
def test_page_economie__loads_with_every_panel(run_app, demo_file, viewer_key):
    at = run_app(demo_file, PAGE, viewer_key=viewer_key)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Économie des structures"
    assert chart_keys(at) == PANELS
    assert len(at.dataframe) == len(PANELS)


def test_page_economie__kpis_equal_the_service_and_a_hand_count(run_app, demo_file, monkeypatch):
    files = record_downloads(monkeypatch)
    at = run_app(demo_file, PAGE, viewer_key="admin")
    total = computed(demo_file, "budget_total")
    median = computed(demo_file, "budget_median")
    assert metrics(at)["Budget cumulé"] == shown_kpi(total)
    assert metrics(at)["Budget médian"] == shown_kpi(median)
    assert based_on(median) in [c.value for c in at.caption]
    # By hand: the sum and the median of the organisations' budgets.
    budgets = frames_of(demo_file).responses.filter(
        (pl.col("reference_year") == latest_year(demo_file))
        & (pl.col("structure_type") != "artiste")
    )["budget_total"]
    assert exact_total(demo_file, "budget_total")["value"] == budgets.sum()
    assert exact_total(demo_file, "budget_median")["value"] == budgets.drop_nulls().median()
    assert median.total()["value"] != budgets.drop_nulls().median()
    data = csv_matches_table(files, at, "financeurs", PANELS.index("financeurs"))
    assert same_csv(data, computed(demo_file, "financements_publics", breakdown="filiere"))
    data = csv_matches_table(files, at, "budgets_type", PANELS.index("budgets_type"))
    assert same_csv(data, computed(demo_file, "budget_median", breakdown="structure_type"))


def test_page_economie__filters_change_the_figures(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coreps")
    before = metrics(at)["Budget médian"]
    filters = Filters(latest_year(demo_file), departement="34")
    apply_filters(at, filters)
    assert not at.exception
    median = computed(demo_file, "budget_median", filters)
    assert metrics(at)["Budget médian"] == shown_kpi(median) != before
    assert based_on(median) in [c.value for c in at.caption]


def test_page_economie__refused_filter_shows_why_and_no_figure(run_app, demo_file):
    ids = [
        "budget_total",
        "budget_median",
        "part_ressources_propres",
        "part_masse_salariale_budget",
        "structure_ressources",
        "financements_publics",
    ]
    filters = refused_filters(demo_file, ids)
    at = run_app(demo_file, PAGE, viewer_key="admin")
    apply_filters(at, filters)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert set(metrics(at).values()) == {"—"}
    # One explanation for the page, the other refused panels refer to it.
    assert refusal_count(at) == 1
    trend = "budget_median"
    assert refused_again_count(at) == expected_refused_again(demo_file, PANELS, trend, filters)
    assert set(chart_keys(at)) <= {"budgets_tendance"}
