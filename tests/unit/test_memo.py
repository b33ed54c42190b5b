"""The memo of indicator-years (`opp.indicators.memo`): figures computed from it are the
figures computed without it, whatever the filters, breakdown or scope; it is bounded."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opp.errors import OppError
from opp.indicators import rows
from opp.indicators.catalogue import load_indicators
from opp.indicators.engine import Filters, compute
from opp.indicators.frames import LazyFrames
from opp.indicators.memo import DEFAULT_MB, Memo, budget_bytes
from opp.indicators.population import UNIVERSE
from opp.questionnaire.catalogue import load_catalogue
from opp.store import open_store


@pytest.fixture(scope="module")
def release(demo_file):
    store = open_store(demo_file)
    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    yield LazyFrames(store, surveys, indicators), indicators
    store.close()


def _figures(frames: LazyFrames, indicator, filters: Filters, breakdown, memo) -> pl.DataFrame:
    """The published table (or the refusal) as one comparable frame."""
    try:
        result = compute(frames.for_indicator(indicator), indicator, filters, breakdown, memo=memo)
    except OppError as err:
        return pl.DataFrame({"refused": [err.code]})
    return result.table.with_columns(refused=pl.lit(result.refused))


def test_memo__keeps_entries_within_its_budget_least_recently_used_first():
    memo: Memo[str] = Memo(budget=100)
    memo.put("a", "A", 40)
    memo.put("b", "B", 40)
    assert memo.get("a") == "A"  # now the most recently used
    memo.put("c", "C", 40)  # 120 bytes: the least recently used ("b") goes
    assert memo.get("b") is None
    assert (memo.get("a"), memo.get("c")) == ("A", "C")
    assert memo.used == 80
    memo.put("huge", "H", 101)  # larger than the whole budget: not kept, nothing evicted
    assert memo.get("huge") is None
    assert len(memo) == 2
    memo.put("a", "A2", 10)  # replacing an entry counts its new size only
    assert memo.used == 50
    assert memo.get("a") == "A2"


def test_memo__budget_from_the_environment(monkeypatch):
    monkeypatch.setenv("OPP_MEMO_MB", "1.5")
    assert budget_bytes() == int(1.5 * 1024 * 1024)
    monkeypatch.setenv("OPP_MEMO_MB", "0")  # turned off: nothing is kept
    memo: Memo[str] = Memo()
    memo.put("a", "A", 1)
    assert memo.get("a") is None
    monkeypatch.setenv("OPP_MEMO_MB", "beaucoup")  # unreadable: the default
    assert budget_bytes() == DEFAULT_MB * 1024 * 1024


def test_memo__a_new_filter_or_breakdown_reuses_the_year_contributions(release, monkeypatch):
    """The second selection of a year recomputes the cells only, and publishes exactly
    what a computation without the memo publishes; a trend reuses each year's rows."""
    frames, indicators = release
    indicator = indicators.get("intermittents_employes")
    year = frames.years()[0]
    calls = []
    original = rows.contributions

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(rows, "contributions", counted)
    memo: Memo[rows.YearRows] = Memo(budget=64 * 1024 * 1024)
    selections = [
        (Filters(year), None),
        (Filters(year, structure_type="compagnie"), None),
        (Filters(year), "departement"),
        (Filters(year, filiere="cirque"), "structure_type"),
    ]
    for filters, breakdown in selections:
        with_memo = _figures(frames, indicator, filters, breakdown, memo)
        assert with_memo.equals(_figures(frames, indicator, filters, breakdown, None))
    # Once for the memo, then once per computation without it.
    assert len(calls) == 1 + len(selections)
    calls.clear()
    trend = _figures(frames, indicator, Filters(year), "reference_year", memo)
    assert len(calls) == len(frames.years()) - 1  # the year already in the memo is reused
    assert trend.equals(_figures(frames, indicator, Filters(year), "reference_year", None))
    assert trend["group"].to_list() == sorted(trend["group"].to_list())


_values = {d: st.sampled_from([None, *[v for v in UNIVERSE[d] if v is not None]]) for d in UNIVERSE}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    chosen=st.fixed_dictionaries(_values),
    breakdown=st.sampled_from([None, "filiere", "departement", "structure_type", "reference_year"]),
    name=st.sampled_from(
        [
            "masse_salariale",
            "permanents_par_contrat",
            "effectif_permanent_median",
            "intermittents_employes",
        ]
    ),
)
def test_memo__never_changes_a_published_figure(release, chosen, breakdown, name):
    """Whatever the population and breakdown, a figure computed from the memo (filled by
    other selections before) is the figure computed from scratch: same cells, same
    hidden cells and reasons, same noise, same refusals."""
    frames, indicators = release
    indicator = indicators.get(name)
    filters = Filters(frames.years()[1], **{d: v for d, v in chosen.items() if v is not None})
    shared = frames.memo  # filled by every earlier example of the module
    _figures(frames, indicator, Filters(frames.years()[1]), None, shared)
    from_memo = _figures(frames, indicator, filters, breakdown, shared)
    assert from_memo.equals(_figures(frames, indicator, filters, breakdown, None))
