"""Attacks on what issue 17 adds to the lattice: constant samples and groupings of
départements, scripted against the service as a page calls it (a Coreps account).

- Constant sample vs all respondents: the two totals of a year under the same filters
  differ by the structures that did not answer every year; with 1 … t−1 of them, the
  difference would be their figure. No such pair is published; without the sample's
  differencing check (control), pairs are published.
- A grouping minus its published départements is its hidden départements' figure: no
  grouping is published whose hidden départements make 1 … t−1 structures; without
  the linked-tables rule (control), such groupings are published.
"""

from __future__ import annotations

import functools

import polars as pl
import pytest
from attack_kit import Outcome, World, members

from opp import geo
from opp.indicators import territories, trends
from opp.indicators.engine import Filters

INDICATORS = ("effectif_permanent_total", "budget_total")


@pytest.fixture(scope="module")
def world(module_demo_store):
    """The demo region, on DuckDB then on PostgreSQL (`module_demo_store`)."""
    return World(module_demo_store)


def _narrow(filters: list[Filters]) -> list[Filters]:
    """Filters of at most two dimensions (the populations where the risk is)."""
    return [f for f in filters if len(f.active()) <= 2]


def sample_differences(world: World) -> Outcome:
    out = Outcome("constant sample vs all respondents")
    year = world.year
    minimum = 3
    for indicator_id in INDICATORS:
        truth = world.contributions(indicator_id)
        long = world.frames.for_indicator(world.indicators.get(indicator_id))
        for span in [s for s in trends.spans(world.frames.years()) if year in s]:
            followed = _followed(long, span)
            for filters in _narrow(world.permitted(indicator_id)):
                everyone = world.published(indicator_id, filters).total()
                sample = trends.constant_sample(
                    None,
                    world.viewer,
                    indicator_id,
                    span,
                    filters,
                    frames=world.frames,
                    indicators=world.indicators,
                )
                cell = sample.table.filter(pl.col("group") == str(year))
                if everyone is None or everyone["value"] is None or cell.is_empty():
                    continue
                if cell["value"][0] is None:
                    continue
                population = members(truth, filters)
                left = population.filter(~pl.col("organisation_id").is_in(followed))
                if not 0 < left.height < minimum:
                    continue
                out.add(
                    everyone["value"] - cell["value"][0],
                    left["value"].sum(),
                    (indicator_id, span, frozenset(population["response_id"])),
                )
    return out


def _followed(frame: pl.DataFrame, span: tuple[int, ...]) -> list[str]:
    years = frame.filter(pl.col("reference_year").is_in(span))
    counted = years.group_by("organisation_id").agg(pl.col("reference_year").n_unique())
    return counted.filter(pl.col("reference_year") == len(span))["organisation_id"].to_list()


def grouping_remainders(world: World) -> Outcome:
    out = Outcome("grouping − its published départements")
    minimum = 3
    for indicator_id in INDICATORS:
        truth = world.contributions(indicator_id)
        for filters in _narrow(world.permitted(indicator_id)):
            if filters.departement is not None:
                continue
            by_departement = world.published(indicator_id, filters, "departement").table
            shown = {
                row["group"]: row["value"]
                for row in by_departement.iter_rows(named=True)
                if not row["is_total"] and row["value"] is not None
            }
            for family in geo.grouping_families():
                table = world.published(indicator_id, filters, family.id).table
                for row in table.iter_rows(named=True):
                    if row["is_total"] or row["value"] is None:
                        continue
                    grouping = geo.groupings()[row["group"]]
                    hidden = [d for d in grouping.departements if d not in shown]
                    population = members(truth, filters)
                    rest = population.filter(pl.col("departement").is_in(hidden))
                    if not 0 < rest.height < minimum:
                        continue
                    estimate = row["value"] - sum(
                        shown[d] for d in grouping.departements if d in shown
                    )
                    key = (indicator_id, frozenset(rest["response_id"]))
                    out.add(estimate, rest["value"].sum(), key)
    return out


def test_attack_constant_sample_minus_all_respondents__never_published(world, monkeypatch):
    assert sample_differences(world).attempts == 0
    # Control: without the sample's place in the lattice, such pairs are published.
    monkeypatch.setattr(trends, "admitted", lambda *args, **kwargs: True)
    assert sample_differences(World(world.store)).attempts > 0


def test_attack_grouping_minus_its_departements__never_published(world, monkeypatch):
    assert grouping_remainders(world).attempts == 0
    # Control: without the linked-tables rule, groupings isolating 1–2 structures of
    # hidden départements are published (and the remainder estimates them).
    monkeypatch.setattr(
        territories, "permitted", functools.partial(territories.permitted, linked=False)
    )
    assert grouping_remainders(World(world.store)).attempts > 0
