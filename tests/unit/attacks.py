"""The attacks of issue 12, scripted against the service layer as a page calls it.

Each function plays one attack class on a `World` (a release seen by a Coreps account,
which sees every filière) and returns an `Outcome`: the attacker's estimates of
individual structures' values beside the truth. Under the old design (suppression and
differencing only, live data) these recovered exact values; `test_attacks.py` asserts
that they no longer do, and `bench/attacks.py` reports the rates.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np
import polars as pl
from attack_kit import Outcome, World, least_squares, members, value_of

from opp.indicators.engine import TOTAL, Filters
from opp.indicators.model import FILTER_DIMENSIONS

MAGNITUDES = (
    "budget_total",
    "effectif_permanent_total",
    "masse_salariale",
    "representations_total",
)


def _with(filters: Filters, dimension: str, value: str) -> Filters:
    return Filters(**{**filters.__dict__, dimension: value})


def _who(people: pl.DataFrame) -> frozenset[str]:
    """A population as a set: two filters with the same members are the same figure."""
    return frozenset(people["response_id"].to_list())


def subtraction(world: World, indicator_ids: Iterable[str] = MAGNITUDES) -> Outcome:
    """Class 1 (and 4): a breakdown table hides one cell; total − published cells = it."""
    out = Outcome("1. hidden cell = total − published cells")
    for indicator_id in indicator_ids:
        truth = world.contributions(indicator_id)
        for filters in world.permitted(indicator_id):
            for breakdown in FILTER_DIMENSIONS:
                if breakdown in filters.active():
                    continue
                table = world.published(indicator_id, filters, breakdown).table
                total = table.filter(pl.col("is_total"))
                details = table.filter(~pl.col("is_total"))
                hidden = details.filter(pl.col("secret").is_not_null())
                if total.height != 1 or total["value"][0] is None or hidden.height != 1:
                    continue
                estimate = total["value"][0] - details["value"].drop_nulls().sum()
                group = hidden["group"][0]
                cell = members(truth, _with(filters, breakdown, group))
                key = (indicator_id, _who(members(truth, filters)), breakdown)
                out.add(estimate, cell["value"].sum(), key)
    return out


def linked_tables(world: World, indicator_ids: Iterable[str] = MAGNITUDES[:2]) -> Outcome:
    """Class 2: every KPI and breakdown cell under every permitted filter is an equation
    over the structures; solve them all and read the structures the system determines."""
    out = Outcome("2. KPI cards and tables as a system of equations")
    for indicator_id in indicator_ids:
        truth = world.contributions(indicator_id).with_row_index("_position")
        populations: list[list[int]] = []
        values: list[float] = []
        for filters in world.permitted(indicator_id):
            kpi = value_of(world.published(indicator_id, filters))
            if kpi and kpi["value"] is not None:
                populations.append(members(truth, filters)["_position"].to_list())
                values.append(kpi["value"])
            for breakdown in FILTER_DIMENSIONS:
                if breakdown in filters.active():
                    continue
                table = world.published(indicator_id, filters, breakdown).table
                for row in table.filter(~pl.col("is_total")).iter_rows(named=True):
                    if row["value"] is None:
                        continue
                    cell = members(truth, _with(filters, breakdown, row["group"]))
                    populations.append(cell["_position"].to_list())
                    values.append(row["value"])
        estimate, determined = least_squares(populations, values, truth.height)
        for position in np.flatnonzero(determined):
            out.add(estimate[position], truth["value"][int(position)])
    return out


YES_NO = ("presidence_femmes", "cir_chapiteau", "adr_difficultes_autorisations")


def shares(world: World, indicator_ids: Iterable[str] = YES_NO) -> Outcome:
    """Class 3: yes/no answers from shares × contributors under every permitted filter."""
    out = Outcome("3. yes/no answers from shares")
    for indicator_id in indicator_ids:
        truth = world.contributions(indicator_id).with_row_index("_position")
        populations: list[list[int]] = []
        values: list[float] = []
        for filters in world.permitted(indicator_id):
            for breakdown in (None, *FILTER_DIMENSIONS):
                if breakdown in filters.active():
                    continue
                table = world.published(indicator_id, filters, breakdown).table
                for row in table.iter_rows(named=True):
                    if row["value"] is None:
                        continue
                    cell = filters
                    if not row["is_total"]:
                        cell = _with(filters, breakdown or "", row["group"])
                    populations.append(members(truth, cell)["_position"].to_list())
                    values.append(row["value"] / 100 * row["contributors"])
        estimate, determined = least_squares(populations, values, truth.height)
        for position in np.flatnonzero(determined):
            out.add(estimate[position], truth["value"][int(position)])
    return out


def dominant_ratios(world: World) -> Outcome:
    """Class 4: a ratio cell where one structure makes most of the money publishes that
    structure's own ratio."""
    out = Outcome("4. ratios of a dominant structure")
    for indicator_id in ("part_ressources_propres", "part_masse_salariale_budget"):
        indicator = world.indicators.get(indicator_id)
        series = indicator.series[0]
        numerators = world.contributions(indicator_id)
        frame = world.frames.for_indicator(indicator)
        for filters in world.permitted(indicator_id):
            for breakdown in (None, *FILTER_DIMENSIONS):
                if breakdown in filters.active():
                    continue
                table = world.published(indicator_id, filters, breakdown).table
                for row in table.filter(pl.col("value").is_not_null()).iter_rows(named=True):
                    cell = (
                        filters
                        if row["is_total"]
                        else _with(filters, breakdown or "", row["group"])
                    )
                    people = members(numerators, cell)
                    rows = members(
                        frame.filter(pl.col("reference_year") == world.year), cell
                    ).filter(pl.col("response_id").is_in(people["response_id"].implode()))
                    den = rows.select(
                        pl.sum_horizontal([pl.col(q) for q in series.denominator or []])
                    ).to_series()
                    if den.sum() <= 0 or den.max() < 0.85 * den.sum():
                        continue
                    big = rows[int(den.arg_max())]
                    own = sum(big[q][0] or 0 for q in series.numerator or []) / den.max()
                    out.add(row["value"], own * indicator.scale, (indicator_id, _who(people)))
    return out


def release_difference(
    before: World, after: World, newcomer: str, *, averaged: bool = False
) -> Outcome:
    """Class 5: the same KPIs in two releases that differ by one new response; with
    `averaged`, the attacker averages every difference into one estimate per variable
    (each population holding the newcomer is another look at its value)."""
    out = Outcome("5. difference of two releases" + (", averaged" if averaged else ""))
    for indicator_id in MAGNITUDES[:2]:
        truth = after.contributions(indicator_id)
        mine = truth.filter(pl.col("response_id") == newcomer)
        if mine.is_empty():
            continue
        value = mine["value"][0]
        looks = Outcome(out.name)
        for filters in after.permitted(indicator_id):
            if members(mine, filters).is_empty():
                continue
            new = value_of(after.published(indicator_id, filters))
            old = value_of(before.published(indicator_id, filters))
            if new and old and new["value"] is not None and old["value"] is not None:
                key = (indicator_id, _who(members(truth, filters)))
                looks.add(new["value"] - old["value"], value, key)
        if averaged and looks.attempts:
            out.add(float(np.mean([e for e, _ in looks.pairs])), value)
        elif not averaged:
            out.pairs += looks.pairs
    return out


def open_data_remainder(world: World, open_ids: set[str]) -> Outcome:
    """Class 6: a small population minus its members whose answers are open data."""
    out = Outcome("6. aggregate − open-data members")
    for indicator_id in MAGNITUDES[:2]:
        truth = world.contributions(indicator_id)
        for filters in world.permitted(indicator_id):
            people = members(truth, filters)
            closed = people.filter(~pl.col("response_id").is_in(list(open_ids)))
            if people.height > 8 or closed.height != 1:
                continue
            kpi = value_of(world.published(indicator_id, filters))
            if kpi and kpi["value"] is not None:
                known = people.filter(pl.col("response_id").is_in(list(open_ids)))["value"].sum()
                out.add(kpi["value"] - known, closed["value"][0], (indicator_id, _who(people)))
    return out


def series_populations(world: World) -> Outcome:
    """Class 7: two permitted populations differ by several structures, but one series
    (an optional question the others left blank) by exactly one."""
    out = Outcome("7. per-series populations")
    for indicator_id in (
        "permanents_par_contrat",
        "intermittents_employes",
        "financements_publics",
    ):
        indicator = world.indicators.get(indicator_id)
        for series in indicator.series:
            truth = world.contributions(indicator_id, series.id)
            permitted = world.permitted(indicator_id)
            for wide in permitted:
                for dimension in FILTER_DIMENSIONS:
                    if dimension in wide.active():
                        continue
                    for value in truth[dimension].drop_nulls().unique().to_list():
                        narrow = _with(wide, dimension, value)
                        if narrow not in permitted:
                            continue
                        outside = members(truth, wide).filter(
                            (pl.col(dimension) != value) | pl.col(dimension).is_null()
                        )
                        if outside.height != 1:
                            continue
                        a = value_of(world.published(indicator_id, wide), series=series.id)
                        b = value_of(world.published(indicator_id, narrow), series=series.id)
                        if a and b and a["value"] is not None and b["value"] is not None:
                            key = (
                                indicator_id,
                                series.id,
                                _who(members(truth, wide)),
                                _who(members(truth, narrow)),
                            )
                            out.add(a["value"] - b["value"], outside["value"][0], key)
    return out


def map_places(world: World) -> Outcome:
    """Class 10: performances by département, all structures vs one type: the places
    where the two populations differ by one structure give its performances there."""
    out = Outcome("10. maps: places that differ by one structure")
    indicator_id = "representations_par_departement"
    truth = world.contributions(indicator_id)
    permitted = world.permitted(indicator_id)
    for wide in permitted:
        for dimension in FILTER_DIMENSIONS:
            if dimension in wide.active():
                continue
            for value in truth[dimension].drop_nulls().unique().to_list():
                narrow = _with(wide, dimension, value)
                if narrow not in permitted:
                    continue
                a = world.published(indicator_id, wide).table
                b = world.published(indicator_id, narrow).table
                for row in a.filter(pl.col("is_total")).iter_rows(named=True):
                    other = b.filter(pl.col("category") == row["category"])
                    here = members(truth, wide).filter(pl.col("category") == row["category"])
                    outside = here.filter(
                        (pl.col(dimension) != value) | pl.col(dimension).is_null()
                    )
                    if outside.height != 1 or row["value"] is None:
                        continue
                    narrow_value = other["value"][0] if other.height else 0.0
                    if narrow_value is None:
                        continue
                    key = (_who(here), _who(members(truth, narrow)), row["category"])
                    out.add(row["value"] - narrow_value, outside["value"][0], key)
    return out


def total_of(world: World, indicator_id: str) -> float:
    return world.contributions(indicator_id)["value"].sum()


GROUP_TOTAL = TOTAL


ANSWERS = ("forme_juridique", "convention_collective", "charte_egalite", "referent_vhss")


def _answers_of(world: World, truth: pl.DataFrame, question_id: str) -> pl.DataFrame:
    """The truth with each structure's answer to `question_id` (None: left blank)."""
    answers = world.frames.responses.select(
        "response_id", pl.col(question_id).cast(pl.String).alias("_answer")
    )
    return truth.join(answers, on="response_id", how="left")


def _cell(people: pl.DataFrame, value: str | None) -> pl.DataFrame:
    if value is None:
        return people.filter(pl.col("_answer").is_null())
    return people.filter(pl.col("_answer") == value)


def answer_subtraction(
    world: World, indicator_ids: Iterable[str] = MAGNITUDES[:2], questions=ANSWERS
) -> Outcome:
    """Class 1 with breakdowns by answers: total − published answer cells = the hidden
    one (e.g. the only SCOP of a département). Graded on the hidden cells of one or two
    structures, whose value is a structure's own (a cell hidden because it holds all
    but a few structures is a large aggregate; its complement is `answer_differences`)."""
    out = Outcome("1b. hidden answer cell = total − published cells")
    for indicator_id in indicator_ids:
        truth = world.contributions(indicator_id)
        for question_id in questions:
            known = _answers_of(world, truth, question_id)
            for filters in world.permitted(indicator_id):
                table = world.published(indicator_id, filters, question_id).table
                total = table.filter(pl.col("is_total"))
                details = table.filter(~pl.col("is_total"))
                hidden = details.filter(pl.col("secret").is_not_null())
                if total.height != 1 or total["value"][0] is None or hidden.height != 1:
                    continue
                estimate = total["value"][0] - details["value"].drop_nulls().sum()
                people = _cell(members(known, filters), hidden["group"][0])
                if people.height > 2:
                    continue
                key = (indicator_id, question_id, _who(people))
                out.add(estimate, people["value"].sum(), key)
    return out


def answer_differences(
    world: World, indicator_ids: Iterable[str] = MAGNITUDES[:2], questions=ANSWERS
) -> Outcome:
    """Differencing across breakdowns: two published cells (of two questions, or a
    filter population and an answer cell) whose populations differ by one structure."""
    out = Outcome("7b. answer cells one structure apart")
    for indicator_id in indicator_ids:
        truth = world.contributions(indicator_id)
        for filters in world.permitted(indicator_id):
            people = members(truth, filters)
            cells: list[tuple[frozenset[str], float, pl.DataFrame]] = []
            kpi = value_of(world.published(indicator_id, filters))
            if kpi and kpi["value"] is not None:
                cells.append((_who(people), kpi["value"], people))
            for question_id in questions:
                known = _answers_of(world, people, question_id)
                table = world.published(indicator_id, filters, question_id).table
                for row in table.filter(~pl.col("is_total")).iter_rows(named=True):
                    if row["value"] is None:
                        continue
                    mine = _cell(known, row["group"])
                    cells.append((_who(mine), row["value"], mine))
            for (a, va, pa), (b, vb, _) in itertools.combinations(cells, 2):
                big, small, sign = (a, b, 1.0) if len(a) > len(b) else (b, a, -1.0)
                if not small < big or len(big - small) != 1:
                    continue
                (alone,) = big - small
                value = pa.filter(pl.col("response_id") == alone)["value"]
                if value.is_empty():
                    value = people.filter(pl.col("response_id") == alone)["value"]
                out.add(sign * (va - vb), value[0], (indicator_id, big, small))
    return out
