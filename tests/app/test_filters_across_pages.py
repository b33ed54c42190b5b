"""Filters chosen on one dashboard apply to the next one from its first render."""

from __future__ import annotations

from test_page_emploi import computed, frames_of, latest_year, metrics, shown_kpi

from opp.indicators.engine import Filters


def test_filters__a_year_chosen_on_emploi_applies_on_the_first_render_of_economie(
    run_app, demo_file
):
    years = frames_of(demo_file).years()
    older = years[-1]
    assert older != latest_year(demo_file)
    at = run_app(demo_file, "pages/emploi.py", viewer_key="coreps")
    at.selectbox(key="filter_year").set_value(older).run()
    at.switch_page("pages/economie.py").run()
    assert not at.exception
    assert at.selectbox(key="filter_year").value == older
    expected = computed(demo_file, "budget_total", Filters(reference_year=older))
    latest = computed(demo_file, "budget_total")
    assert shown_kpi(expected) != shown_kpi(latest)
    shown = metrics(at)
    assert shown_kpi(expected) in shown.values(), shown
