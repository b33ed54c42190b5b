"""Breakdowns by answers (`opp.indicators.breakdowns`): any single-choice or yes/no
question of the common core breaks a figure down, inside the differencing rule."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.indicators import breakdowns, disclosure, service
from opp.indicators.catalogue import load_indicators
from opp.indicators.engine import AnswerAxis, Filters, compute, exact_cells
from opp.indicators.frames import LazyFrames
from opp.indicators.model import Indicator
from opp.indicators.rows import _atoms, contributions
from opp.questionnaire.catalogue import load_catalogue

COREPS = Viewer(role=Role.COREPS, account_id="coreps")
FORMS = AnswerAxis("forme_juridique", ("association", "scop", "societe"))


def _frame(forms: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "response_id": f"r{i}",
                "reference_year": 2025,
                "filiere": "cirque",
                "departement": "31" if i % 2 else "34",
                "structure_type": "compagnie",
                "size_class": "3-9",
                "effectif_permanent": float(i + 1),
                "forme_juridique": form,
            }
            for i, form in enumerate(forms)
        ]
    )


STAFF = Indicator.model_validate(
    {
        "id": "t",
        "domain": "emploi",
        "label": "T",
        "definition": "T",
        "kind": "sum",
        "question": "effectif_permanent",
    }
)


def test_answer_breakdown__cells_are_computed_by_hand():
    frame = _frame(["association"] * 4 + ["scop"] * 4 + [None] * 3)
    exact = exact_cells(frame, STAFF, Filters(2025), "forme_juridique", FORMS)
    by_group = {row["group"]: row for row in exact.iter_rows(named=True)}
    assert by_group["association"]["value"] == 1 + 2 + 3 + 4
    assert by_group["scop"]["value"] == 5 + 6 + 7 + 8
    assert by_group[None]["value"] == 9 + 10 + 11  # left blank: one more cell
    assert by_group["__total__"]["n"] == 11


def test_answer_breakdown__a_cell_one_structure_away_from_the_total_is_hidden():
    # Nine of ten are associations: "associations" = everyone minus one structure.
    result = compute(
        _frame(["association"] * 9 + ["scop"]), STAFF, Filters(2025), "forme_juridique", axis=FORMS
    )
    rows = {row["group"]: row for row in result.table.iter_rows(named=True)}
    assert rows["association"]["secret"] == "differencing"
    assert rows["association"]["value"] is None
    assert rows["scop"]["secret"] == "min_contributors"
    assert rows["__total__"]["secret"] is None
    # Control: with five of each, both cells are far from the total and from each other.
    even = compute(
        _frame(["association"] * 5 + ["scop"] * 5),
        STAFF,
        Filters(2025),
        "forme_juridique",
        axis=FORMS,
    )
    assert even.table["secret"].null_count() == even.table.height


def test_answer_breakdown__a_cell_one_away_from_a_filter_population_is_hidden():
    # Département 31 holds the odd rows (5 of 10). The associations are four of them and
    # one structure of 34: two structures away from the population "département 31".
    forms = [
        "scop",
        "association",
        "scop",
        "association",
        "scop",
        "association",
        "scop",
        "association",
        "association",
        "scop",
    ]
    frame = _frame(forms)
    result = compute(frame, STAFF, Filters(2025), "forme_juridique", axis=FORMS)
    rows = {row["group"]: row for row in result.table.iter_rows(named=True)}
    assert rows["association"]["secret"] == "differencing"


def test_answer_breakdown__filter_refusals_do_not_depend_on_the_breakdown(module_demo_store):
    """The filter populations are admitted first: a filter refused (or not) without a
    breakdown by answers is refused (or not) with one."""
    store = module_demo_store
    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    frames = LazyFrames(store, surveys, indicators)
    indicator = indicators.get("budget_total")
    year = frames.years()[0]
    for question_id in ("forme_juridique", "convention_collective", "charte_egalite"):
        found = breakdowns.known()[question_id]
        answers = frames.answer_column(question_id, found.kind).cast(pl.String)
        frame = frames.for_indicator(indicator)
        frame = frame.with_columns(answers.gather(frame["_rid"]).alias(question_id))
        long = contributions(
            frame.filter(pl.col("reference_year") == year), indicator, (question_id,)
        )
        minimum = indicator.disclosure.min_contributors
        alone = disclosure.permitted_combinations(_atoms(long), minimum)
        joint = disclosure.permitted_combinations(
            _atoms(long, found.axis), minimum, extra_axis=True
        )
        assert np.array_equal(alone, joint[..., 0]), question_id
        assert joint[..., 1:].any()  # some answer cells are published


def test_answer_breakdown__service_offers_common_core_questions_and_refuses_others(
    module_demo_store,
):
    store = module_demo_store
    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    frames = LazyFrames(store, surveys, indicators)
    year = frames.years()[0]
    known = breakdowns.known()
    assert {"forme_juridique", "convention_collective", "charte_egalite"} <= set(known)
    assert "cir_chapiteau" not in known  # a filière module's question
    assert "art_genre" not in known  # personal
    result = service.result(
        frames, indicators.get("budget_total"), Filters(year), "forme_juridique", COREPS
    )
    groups = result.table.filter(~pl.col("is_total"))["group"].to_list()
    assert set(groups) <= {*known["forme_juridique"].axis.values, None}
    assert "association" in groups
    with pytest.raises(OppError) as unknown:
        service.result(
            frames, indicators.get("budget_total"), Filters(year), "nom_structure", COREPS
        )
    assert "forme_juridique" in unknown.value.message("fr")
    artists = next(i for i in indicators.indicators.values() if i.audience == "artiste")
    with pytest.raises(OppError):
        service.result(frames, artists, Filters(year), "forme_juridique", COREPS)


def test_answer_breakdown__not_by_the_question_an_indicator_is_computed_from(module_demo_store):
    """The share of female presidencies by presidency is refused with the possible
    breakdowns, never a traceback; the Explorer does not offer a question by itself."""
    store = module_demo_store
    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    frames = LazyFrames(store, surveys, indicators)
    year = frames.years()[0]
    presidency = indicators.get("presidence_femmes")
    assert "presidence_genre" not in breakdowns.options_for(presidency)
    with pytest.raises(OppError) as refused:
        service.result(frames, presidency, Filters(year), "presidence_genre", COREPS)
    assert refused.value.code == "I_BREAKDOWN"
    assert "forme_juridique" in refused.value.message("fr")
