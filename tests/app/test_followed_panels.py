"""The dashboards' constant-sample trends and territory filter (issue 17, items 4–5)."""

from __future__ import annotations

from test_page_emploi import frames_of, latest_year

from opp.access.viewer import Role, Viewer
from opp.indicators import trends
from opp.indicators.catalogue import load_indicators
from opp.indicators.engine import Filters
from opp.indicators.service import result

COREPS = Viewer(role=Role.COREPS, account_id="coreps")


def _captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_trend_panel__constant_sample_option_shows_the_sample_and_its_figures(run_app, demo_file):
    at = run_app(demo_file, "pages/emploi.py", viewer_key="coreps")
    assert not any("Échantillon constant" in c for c in _captions(at))
    at.toggle(key="constant:tendance_permanents").set_value(True).run()
    assert not at.exception, at.exception
    frames = frames_of(demo_file)
    years = tuple(sorted(frames.years()))
    expected = trends.constant_sample(
        None,
        COREPS,
        "effectif_permanent_median",
        years,
        Filters(latest_year(demo_file)),
        frames=frames,
        indicators=load_indicators(),
    )
    size = expected.table["contributors"].max()
    wanted = f"les {size} structures qui ont répondu chaque année de {years[0]} à {years[-1]}"
    assert any(wanted in c for c in _captions(at)), _captions(at)


def test_territory_filter__a_grouping_is_the_population_of_every_panel(run_app, demo_file):
    at = run_app(demo_file, "pages/emploi.py", viewer_key="coreps")
    at.selectbox(key="filter_territoire").set_value("departements_ruraux").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    frames = frames_of(demo_file)
    rural = result(
        frames,
        load_indicators().get("effectif_permanent_total"),
        Filters(latest_year(demo_file), territoire="departements_ruraux"),
        None,
        COREPS,
    )
    everyone = result(
        frames,
        load_indicators().get("effectif_permanent_total"),
        Filters(latest_year(demo_file)),
        None,
        COREPS,
    )
    assert not rural.refused
    assert rural.total()["value"] < everyone.total()["value"]
    assert rural.total()["contributors"] < everyone.total()["contributors"]
