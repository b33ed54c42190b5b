"""Analytical frames agree with the stored answers (what every dashboard figure rests on)."""

from __future__ import annotations

import polars as pl
import pytest

from opp.indicators.catalogue import load_indicators
from opp.indicators.frames import LazyFrames
from opp.indicators.service import build_frames
from opp.questionnaire.catalogue import load_catalogue

pytestmark = pytest.mark.both_backends


@pytest.fixture(scope="module")
def catalogues():
    surveys = load_catalogue()
    return surveys, load_indicators(surveys=surveys)


def _stored_items(store) -> pl.DataFrame:
    """Per submitted response: its performances, their fees and its département."""
    return (
        store.cursor()
        .sql(
            """SELECT r.id AS response_id, o.departement,
                      count(DISTINCT a.item) AS items,
                      sum(a.value_num) FILTER (WHERE a.question_id = 'rep_prix_cession') AS fees
               FROM answers a
               JOIN responses r ON r.id = a.response_id
               JOIN organisations o ON o.id = r.organisation_id
               WHERE a.group_id = 'detail_representations' AND r.status = 'submitted'
               GROUP BY ALL ORDER BY response_id"""
        )
        .pl()
    )


def _per_response(frame: pl.DataFrame) -> pl.DataFrame:
    return (
        frame.group_by("response_id")
        .agg(
            pl.col("departement").first(),
            pl.len().cast(pl.Int64).alias("items"),
            pl.col("rep_prix_cession").sum().alias("fees"),
        )
        .sort("response_id")
    )


def test_item_frame__one_row_per_performance_of_submitted_responses(demo_store, catalogues):
    surveys, indicators = catalogues
    fee = indicators.get("prix_cession_representation")
    lazy = LazyFrames(demo_store, surveys, indicators).for_indicator(fee)
    eager = build_frames(demo_store, surveys, indicators).for_indicator(fee)
    expected = _stored_items(demo_store)
    assert expected.height > 50  # the demo has performances to compare
    for frame in (lazy, eager):
        got = _per_response(frame)
        assert got["response_id"].to_list() == expected["response_id"].to_list()
        assert got["items"].to_list() == expected["items"].to_list()
        assert got["departement"].to_list() == expected["departement"].to_list()
        assert got["fees"].fill_null(0).round(2).to_list() == (
            expected["fees"].fill_null(0).round(2).to_list()
        )


def test_item_frame__items_of_a_response_share_one_contributor_id(demo_store, catalogues):
    surveys, indicators = catalogues
    frame = LazyFrames(demo_store, surveys, indicators).for_indicator(
        indicators.get("representations_hors_region")
    )
    per_rid = frame.group_by("_rid").agg(pl.col("response_id").n_unique().alias("n"))
    assert per_rid["n"].max() == 1
    assert frame["_rid"].n_unique() == frame["response_id"].n_unique()
    assert frame["_code_filiere"].min() >= 0  # dimension codes came with the dimensions


def test_frames__warm_builds_everything_the_indicators_need(demo_file, catalogues, monkeypatch):
    """The server's warm-up (opp.ui.warmup) calls `warm` at start: afterwards no
    indicator of any page has anything left to fetch from the store."""
    from opp.indicators import frames as frames_module
    from opp.store import analytics, open_store

    surveys, indicators = catalogues
    store = open_store(demo_file)
    try:
        lazy = LazyFrames(store, surveys, indicators)
        everything = list(indicators.indicators.values())
        assert lazy.warm(everything) >= len({i.domain for i in everything})
        fetched: list[str] = []

        def spy(name, real):
            def call(*args, **kwargs):
                fetched.append(name)
                return real(*args, **kwargs)

            return call

        monkeypatch.setattr(analytics, "answer_columns", spy("columns", analytics.answer_columns))
        for name in ("item_frame", "participation_frame"):
            monkeypatch.setattr(frames_module, name, spy(name, getattr(frames_module, name)))
        for indicator in everything:
            assert lazy.for_indicator(indicator).height > 0, indicator.id
        assert fetched == []
    finally:
        store.close()


def test_frames__columns_read_with_the_headcount_are_the_columns_read_later(
    demo_store, catalogues, monkeypatch
):
    """A page that names its panels gets their columns in the first scan of the answers
    (with the headcount every frame needs), and the same frames as one that asks later."""
    from opp.store import analytics

    surveys, indicators = catalogues
    page = [i for i in indicators.indicators.values() if i.domain == "emploi" and not i.repeat]
    scans: list[list[str]] = []
    real = analytics.answer_columns

    def counted(store, dims, columns):
        scans.append(sorted(columns))
        return real(store, dims, columns)

    monkeypatch.setattr(analytics, "answer_columns", counted)
    early = LazyFrames(demo_store, surveys, indicators, prefetch=page)
    assert len(scans) == 1
    assert "effectif_permanent" in scans[0]
    assert len(scans[0]) > 1
    early_frames = [early.for_indicator(i) for i in page]
    assert len(scans) == 1  # nothing left to read
    late = LazyFrames(demo_store, surveys, indicators)
    for indicator, frame in zip(page, early_frames, strict=True):
        assert late.for_indicator(indicator).equals(frame), indicator.id


def test_frames__admitted_ahead_the_first_viewer_computes_no_admission(demo_file, catalogues):
    """The warm-up computes every indicator once per year (`admit`): afterwards a page's
    figures — for the agency or a coordinator's filière, any year, broken down — need no new
    admission of the differencing (the greedy part of a cold page)."""
    from opp.indicators import admitted
    from opp.indicators.engine import Filters, compute
    from opp.store import open_store

    surveys, indicators = catalogues
    store = open_store(demo_file)
    try:
        lazy = LazyFrames(store, surveys, indicators)
        everything = list(indicators.indicators.values())
        lazy.warm(everything)
        admitted.clear()
        before = admitted.computed()
        assert lazy.admit(everything) == len(everything) * len(lazy.years())
        assert admitted.computed() > before
        after = admitted.computed()
        for indicator in everything:
            frame = lazy.for_indicator(indicator)
            for year in lazy.years():
                compute(frame, indicator, Filters(reference_year=year))
                compute(frame, indicator, Filters(reference_year=year, filiere="cirque"))
                for breakdown in indicator.breakdowns[:1]:  # a breakdown of the lattice
                    compute(frame, indicator, Filters(reference_year=year), breakdown)
        assert admitted.computed() == after
    finally:
        store.close()


def test_frames__admissions_frozen_with_the_release_serve_a_server_started_later(
    demo_store, catalogues
):
    """`LazyFrames.freeze` (a server's warm-up) stores the release's admissions;
    a server started afterwards, its memory empty, publishes every figure without admitting
    anything itself — and the same figures as a server that computed them."""
    from opp.errors import OppError
    from opp.indicators import admitted
    from opp.indicators.engine import Filters, compute
    from opp.store import admissions

    surveys, indicators = catalogues
    everything = list(indicators.indicators.values())
    first = LazyFrames(demo_store, surveys, indicators)
    admitted.clear()
    stored = first.freeze(everything)
    assert stored > 0
    assert len(admissions.load(demo_store, first.release.id)) == stored
    assert first.freeze(everything) == 0  # already stored: nothing added twice

    def figures(lazy: LazyFrames) -> list[pl.DataFrame]:
        out = []
        for indicator in everything:
            frame = lazy.for_indicator(indicator)
            for year in lazy.years():
                for filters in (Filters(year), Filters(year, structure_type="lieu")):
                    try:
                        result = compute(frame, indicator, filters)
                    except OppError as err:  # a refusal is part of what is compared
                        out.append(pl.DataFrame({"refused": [err.code]}))
                    else:
                        out.append(result.table.with_columns(refused=pl.lit(result.refused)))
        return out

    expected = figures(first)
    admitted.clear()  # a new server: nothing in memory
    before = admitted.computed()
    later = LazyFrames(demo_store, surveys, indicators)
    got = figures(later)
    assert admitted.computed() == before
    assert len(got) == len(expected)
    for mine, theirs in zip(got, expected, strict=True):
        assert mine.equals(theirs)


def test_frames__a_stored_admission_only_serves_the_inputs_it_came_from():
    """The key of an admission is a digest of all its inputs: another threshold, another
    kind of lattice or other counts (an erasure) never reuse it."""
    import numpy as np

    from opp.indicators import admitted, disclosure

    atoms = np.arange(24, dtype=np.int64).reshape(2, 3, 4)
    key = admitted.digest(atoms, 3, False)
    assert key == admitted.digest(atoms.copy(), 3, False)
    others = {
        admitted.digest(atoms, 5, False),
        admitted.digest(atoms, 3, True),
        admitted.digest(atoms.reshape(4, 3, 2), 3, False),
        admitted.digest(atoms + np.eye(1, 24, 7, dtype=np.int64).reshape(2, 3, 4), 3, False),
    }
    assert key not in others
    assert len(others) == 4
    admitted.clear()
    allowed = disclosure.permitted_combinations(atoms, 3)
    allowed[...] = False  # the caller's copy: the kept admission is unchanged
    assert disclosure.permitted_combinations(atoms, 3).any()
