"""Charts a reader can trust at a glance: each filière keeps its colour (colour-blind
safe) whatever the filters or row order, and trends of counts start at zero."""

from __future__ import annotations

from pathlib import Path

import pytest

from opp.indicators.catalogue import load_indicators
from opp.indicators.engine import Filters, compute
from opp.indicators.service import build_frames
from opp.questionnaire.catalogue import load_catalogue
from opp.referentiel import FILIERES
from opp.store import open_store
from opp.ui import charts
from opp.ui.dashboard import labelled


@pytest.fixture(scope="module")
def drawn(demo_file: Path):
    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    store = open_store(demo_file)
    try:
        frames = build_frames(store, surveys, indicators)
    finally:
        store.close()

    def result(indicator_id: str, breakdown: str):
        indicator = indicators.get(indicator_id)
        found = compute(
            frames.for_indicator(indicator), indicator, Filters(frames.years()[0]), breakdown
        )
        return labelled(found, "fr"), found

    return result


def test_palette__every_filiere_has_its_own_colour_in_both_languages() -> None:
    colours = {charts.FILIERE_PALETTE[code] for code in FILIERES}
    assert len(colours) == len(FILIERES)
    for code, names in FILIERES.items():
        for name in names.values():
            assert charts.FILIERE_COLOURS[name] == charts.FILIERE_PALETTE[code]


def test_palette__a_filiere_keeps_its_colour_whatever_the_row_order(drawn) -> None:
    frame, result = drawn("part_femmes_par_fonction", "filiere")
    straight = charts.parity(frame, result, "fr", color="group_label")
    reversed_ = charts.parity(frame.reverse(), result, "fr", color="group_label")

    def colours(fig) -> dict[str, str]:
        return {trace.name: trace.marker.color for trace in fig.data}

    assert colours(straight) == colours(reversed_)
    assert set(colours(straight)) & set(charts.FILIERE_COLOURS)
    for name, colour in colours(straight).items():
        if name in charts.FILIERE_COLOURS:
            assert colour == charts.FILIERE_COLOURS[name]


def test_trend__a_median_count_is_drawn_from_zero(drawn) -> None:
    frame, result = drawn("effectif_permanent_median", "reference_year")
    fig = charts.trend(frame, result, "fr")
    assert fig.layout.yaxis.rangemode == "tozero"
