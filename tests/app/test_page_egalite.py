"""Égalité dashboard: women's share by role, pay gap, chairs, commitments."""

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

PAGE = "pages/egalite.py"
PANELS = [
    "parite",
    "parite_comparaison",
    "ecart_salaire",
    "parite_tendance",
    "engagements",
    "mise_en_scene",
]
DIRECTION = "Femmes à la direction"


@pytest.mark.parametrize("viewer_key", ["admin", "coreps"])
def test_page_egalite__loads_with_every_panel(run_app, demo_file, viewer_key):
    at = run_app(demo_file, PAGE, viewer_key=viewer_key)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Égalité femmes-hommes"
    assert list(metrics(at)) == [
        DIRECTION,
        "Femmes programmées ou sur scène",
        "Écart de salaire femmes-hommes",
        "Présidences occupées par une femme",
    ]
    assert chart_keys(at) == PANELS
    assert len(at.dataframe) == len(PANELS)


def test_page_egalite__kpis_equal_the_service_and_a_hand_count(run_app, demo_file, monkeypatch):
    files = record_downloads(monkeypatch)
    at = run_app(demo_file, PAGE, viewer_key="admin")
    shares = computed(demo_file, "part_femmes_par_fonction")
    shown = metrics(at)
    assert shown[DIRECTION] == shown_kpi(shares, "direction")
    assert shown["Femmes programmées ou sur scène"] == shown_kpi(shares, "scene")
    assert shown["Écart de salaire femmes-hommes"] == shown_kpi(
        computed(demo_file, "ecart_salaire")
    )
    assert based_on(shares, "direction") in [c.value for c in at.caption]
    # By hand: women among managers, over organisations that gave a headcount.
    year = frames_of(demo_file).responses.filter(
        (pl.col("reference_year") == latest_year(demo_file))
        & (pl.col("structure_type") != "artiste")
    )
    people = pl.sum_horizontal(
        pl.col("direction_femmes"), pl.col("direction_hommes"), pl.col("direction_autres")
    )
    answered = year.filter(pl.col("direction_femmes").is_not_null() & (people > 0))
    women = answered["direction_femmes"].sum()
    total = answered.select(people)["direction_femmes"].sum()
    exact = exact_total(demo_file, "part_femmes_par_fonction", series="direction")
    assert exact["value"] == pytest.approx(100 * women / total)
    # Downloads: exactly the table under the chart.
    data = csv_matches_table(files, at, "parite", PANELS.index("parite"))
    assert same_csv(data, shares)
    data = csv_matches_table(files, at, "ecart_salaire", PANELS.index("ecart_salaire"))
    assert same_csv(data, computed(demo_file, "ecart_salaire", breakdown="filiere"))


def test_page_egalite__comparison_follows_the_chosen_dimension(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="admin")
    at.button_group(key="egalite_compare").set_value("size_class").run()
    assert not at.exception
    expected = computed(demo_file, "part_femmes_par_fonction", breakdown="size_class")
    assert at.dataframe[1].value.columns[0] == "Taille"
    assert len(at.dataframe[1].value) == expected.table.height


def test_page_egalite__filters_change_the_figures(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coreps")
    before = metrics(at)[DIRECTION]
    filters = Filters(latest_year(demo_file), filiere="musiques_actuelles")
    at.selectbox(key="filter_filiere").set_value("musiques_actuelles").run()
    assert not at.exception
    shares = computed(demo_file, "part_femmes_par_fonction", filters)
    assert metrics(at)[DIRECTION] == shown_kpi(shares, "direction") != before
    assert based_on(shares, "direction") in [c.value for c in at.caption]


def test_page_egalite__refused_filter_shows_why_and_no_figure(run_app, demo_file):
    ids = ["part_femmes_par_fonction", "ecart_salaire", "presidence_femmes", "engagements_egalite"]
    ids += ["spectacles_mise_en_scene"]
    filters = refused_filters(demo_file, ids)
    at = run_app(demo_file, PAGE, viewer_key="admin")
    apply_filters(at, filters)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert set(metrics(at).values()) == {"—"}
    # One explanation for the page, the other refused panels refer to it.
    assert refusal_count(at) == 1
    trend = "part_femmes_par_fonction"
    assert refused_again_count(at) == expected_refused_again(demo_file, PANELS, trend, filters)
    assert set(chart_keys(at)) <= {"parite_tendance"}


def test_page_egalite__in_english(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="admin", lang="en")
    assert not at.exception
    assert at.title[0].value == "Gender equality"
    assert "Women in management" in metrics(at)


def test_page_egalite__says_when_a_question_was_not_asked_that_year(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coreps")
    assert not [c.value for c in at.caption if "n'était pas posée" in c.value]
    earliest = min(frames_of(demo_file).years())
    at.selectbox(key="filter_year").set_value(earliest)
    at.run()
    assert not at.exception, at.exception
    notes = [c.value for c in at.caption if "n'était pas posée" in c.value]
    assert len(notes) == 2
    assert any("référent" in n and str(earliest) in n for n in notes)
