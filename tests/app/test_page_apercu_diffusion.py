"""Overview chart: performances by place, with cells under 3 contributors hidden."""

from __future__ import annotations

import polars as pl

from opp.access.viewer import Role, Viewer
from opp.indicators.overview import performances_by_place
from opp.store import open_store


def test_page_apercu_diffusion__chart_and_table_match_the_store(run_app, demo_file):
    at = run_app(demo_file, "pages/apercu_diffusion.py")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1
    year = at.selectbox(key="diffusion_year").value
    store = open_store(demo_file)
    try:
        expected = performances_by_place(store, Viewer(role=Role.COREPS), year)
    finally:
        store.close()
    shown = at.dataframe[0].value
    assert len(shown) == expected.height
    assert shown["Représentations"].sum() == expected["performances"].sum()


def test_indicator__cells_under_three_contributors_are_secret(make_questionnaire, tmp_store):
    from opp.indicators.disclosure import apply_min_contributors

    table = pl.DataFrame({"place": ["a", "b"], "performances": [10.0, 4.0], "contributors": [5, 2]})
    out = apply_min_contributors(table, value_columns=["performances"])
    assert out["performances"].to_list() == [10.0, None]
    assert out["secret"].to_list() == [None, "min_contributors"]
