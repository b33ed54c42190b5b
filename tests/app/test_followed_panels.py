"""The dashboards' constant-sample trends and territory filter (issue 17, items 4–5)."""

from __future__ import annotations

import polars as pl
from test_page_emploi import (
    NOT_TRENDS,
    PANELS,
    apply_filters,
    chart_keys,
    computed,
    frames_of,
    latest_year,
    refusal_count,
    refused_again_count,
    refused_filters,
)

from opp.access.viewer import Role, Viewer
from opp.indicators import trends
from opp.indicators.catalogue import load_indicators
from opp.indicators.engine import Filters
from opp.indicators.service import result
from opp.ui.dashboard import t

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


def test_career_paths__shown_on_the_musiques_actuelles_page_as_the_service_publishes_them(
    run_app, demo_file
):
    from opp.indicators import paths
    from opp.indicators.frames import LazyFrames
    from opp.questionnaire.catalogue import load_catalogue
    from opp.store import open_store

    at = run_app(demo_file, "pages/filiere_musiques_actuelles.py", viewer_key="coreps")
    assert not at.exception, at.exception
    year = latest_year(demo_file)
    heading = f"Parcours des artistes de {year - 1} à {year}"
    assert any(heading in m.value for m in at.markdown)
    store = open_store(demo_file)
    try:
        surveys = load_catalogue()
        published = paths.transitions(
            store,
            COREPS,
            year - 1,
            frames=LazyFrames(store, surveys, load_indicators(surveys=surveys)),
            surveys=surveys,
        )
    finally:
        store.close()
    assert published.table.height > 0
    shown = [
        d.value
        for d in at.dataframe
        if "Stade l'année N" in getattr(d.value, "columns", [])
        or "Stade l'année N" in getattr(getattr(d.value, "data", None), "columns", [])
    ]
    assert len(shown) == 1


def test_explorer__a_question_by_former_region_and_within_a_grouping(run_app, demo_file):
    from opp.indicators import explore
    from opp.indicators.frames import LazyFrames
    from opp.questionnaire.catalogue import load_catalogue
    from opp.store import open_store

    at = run_app(demo_file, "pages/explorer.py", viewer_key="coreps")
    at.selectbox(key="explorer_breakdown").set_value("territoire_ancienne_region").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    shown = at.dataframe[0].value
    table = shown.data if hasattr(shown, "data") else shown
    assert "Ancienne région" in table.columns
    labels = set(table["Ancienne région"])
    assert {"Languedoc-Roussillon", "Midi-Pyrénées"} <= labels
    # The service gives the same cells, and a grouping works as a filter.
    store = open_store(demo_file)
    try:
        surveys = load_catalogue()
        data = LazyFrames(store, surveys, load_indicators(surveys=surveys))
        year = latest_year(demo_file)
        entry = explore.explorable(surveys.get("cirque"))[0]
        by_region = explore.distribution(
            store,
            COREPS,
            "cirque",
            entry.question_id,
            Filters(year),
            "territoire_ancienne_region",
            frames=data,
            surveys=surveys,
        )
        groups = set(by_region.table["group"].to_list())
        assert {"languedoc_roussillon", "midi_pyrenees"} <= groups
        within = explore.distribution(
            store,
            COREPS,
            "cirque",
            entry.question_id,
            Filters(year, territoire="midi_pyrenees"),
            frames=data,
            surveys=surveys,
        )
        assert within.filters.territoire == "midi_pyrenees"
    finally:
        store.close()


def test_territory_filter__kept_on_the_first_render_of_the_next_page(run_app, demo_file):
    from test_page_emploi import computed, metrics, shown_kpi

    at = run_app(demo_file, "pages/emploi.py", viewer_key="coreps")
    at.selectbox(key="filter_territoire").set_value("midi_pyrenees").run()
    at.switch_page("pages/economie.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="filter_territoire").value == "midi_pyrenees"
    expected = computed(
        demo_file, "budget_total", Filters(latest_year(demo_file), territoire="midi_pyrenees")
    )
    assert shown_kpi(expected) in metrics(at).values(), metrics(at)


def test_explorer__a_territory_with_an_answer_breakdown_says_what_to_change(run_app, demo_file):
    at = run_app(demo_file, "pages/explorer.py", viewer_key="coreps")
    at.selectbox(key="filter_territoire").set_value("midi_pyrenees").run()
    at.selectbox(key="explorer_breakdown").set_value("forme_juridique").run()
    assert not at.exception, at.exception
    shown = " ".join(e.value for e in [*at.error, *at.warning, *at.info])
    assert "filtre de territoire" in shown
    assert "retirez le territoire" in shown


def test_explorer__a_question_year_by_year_on_the_constant_sample(run_app, demo_file):
    from opp.indicators import explore
    from opp.indicators.frames import LazyFrames
    from opp.questionnaire.catalogue import load_catalogue
    from opp.store import open_store

    at = run_app(demo_file, "pages/explorer.py", viewer_key="coreps")
    at.selectbox(key="explorer_breakdown").set_value("reference_year").run()
    questionnaire = at.selectbox(key="explorer_questionnaire").value
    question = at.selectbox(key=f"explorer_question:{questionnaire}").value
    toggles = [t for t in at.toggle if t.key.startswith("constant:explorer:")]
    assert len(toggles) == 1
    toggles[0].set_value(True).run()
    assert not at.exception, at.exception
    store = open_store(demo_file)
    try:
        surveys = load_catalogue()
        years = tuple(sorted(frames_of(demo_file).years()))
        expected = explore.constant_sample(
            store,
            COREPS,
            questionnaire,
            question,
            years,
            Filters(latest_year(demo_file)),
            frames=LazyFrames(store, surveys, load_indicators(surveys=surveys)),
            surveys=surveys,
        )
    finally:
        store.close()
    size = expected.table["contributors"].max()
    wanted = f"les {size} structures qui ont répondu chaque année de {years[0]} à {years[-1]}"
    assert any(wanted in c for c in _captions(at)), _captions(at)


def _trend_refused_filters(db) -> Filters:
    """A filter refused for the page's panels and for every year of its trend."""
    for filters in _refused_candidates(db):
        trend = computed(db, "effectif_permanent_median", filters, "reference_year")
        if trend.table.filter(pl.col("secret").is_null()).is_empty():
            return filters
    raise AssertionError("no filter refused for every year of the trend")


def _refused_candidates(db):
    yield refused_filters(db, NOT_TRENDS)
    year = latest_year(db)
    for departement in ("48", "09", "46", "32", "12", "65", "82", "81", "11", "66"):
        yield Filters(year, "cirque", departement, "festival")


def test_trend_panel__a_refused_filter_gets_the_page_s_one_explanation(run_app, demo_file):
    # Issue 17, item 7: one refused filter shows one explanation; the trend (over all
    # respondents, then on the constant sample) refers to it instead of "no data".
    filters = _trend_refused_filters(demo_file)
    at = apply_filters(run_app(demo_file, "pages/emploi.py", viewer_key="admin"), filters)
    assert not at.exception, at.exception
    no_data = t("no_data", "fr")
    assert refusal_count(at) == 1
    assert refused_again_count(at) == len(PANELS) - 1  # every panel but the first
    assert not any(no_data in i.value for i in at.info), [i.value for i in at.info]
    assert "tendance_permanents" not in chart_keys(at)
    at.toggle(key="constant:tendance_permanents").set_value(True).run()
    assert not at.exception, at.exception
    assert refusal_count(at) == 1
    assert refused_again_count(at) == len(PANELS) - 1
    assert not any(no_data in i.value for i in at.info), [i.value for i in at.info]
