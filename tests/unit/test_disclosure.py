"""Statistical confidentiality: the rules, and properties proved with hypothesis."""

from __future__ import annotations

import itertools

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opp.indicators import disclosure
from opp.indicators.engine import TOTAL, Filters, compute
from opp.indicators.model import Indicator

# --- rule 1 and 2 -------------------------------------------------------------------------


def test_disclosure__minimum_contributors():
    assert disclosure.primary_reason(2, None, None, minimum=3, dominance=None) == (
        "min_contributors"
    )
    assert disclosure.primary_reason(3, None, None, minimum=3, dominance=None) is None
    assert disclosure.primary_reason(4, None, None, minimum=5, dominance=None) == (
        "min_contributors"
    )


def test_disclosure__dominance_of_two_largest():
    # 3 contributors: 80 + 6 = 86 of 100 → hidden; 80 + 4 = 84 of 100 → published.
    assert disclosure.primary_reason(3, 86.0, 100.0, minimum=3, dominance=0.85) == "dominance"
    assert disclosure.primary_reason(3, 84.0, 100.0, minimum=3, dominance=0.85) is None


def test_disclosure__reasons_are_readable_in_both_languages():
    assert disclosure.reason_text("min_contributors", "fr", 5) == (
        "secret statistique : moins de 5 contributeurs"
    )
    assert "fewer than 3" in disclosure.reason_text("min_contributors", "en", 3)
    assert "85 %" in disclosure.reason_text("dominance", "fr")
    assert disclosure.reason_text(None) == ""


# --- rule 3: secondary suppression --------------------------------------------------------


def _one_way(n: int) -> disclosure.Table:
    cells = [("T",), *[(i,) for i in range(n)]]
    return disclosure.Table(cells=cells, lines=[(("T",), [(i,) for i in range(n)])])


def test_disclosure__single_hidden_cell_is_recoverable_from_the_total():
    table = _one_way(4)
    assert disclosure.recoverable(table, {(2,)}) == [(2,)]
    assert disclosure.recoverable(table, {(2,), (3,)}) == []


def test_disclosure__secondary_hides_the_cheapest_sibling():
    table = _one_way(4)
    cost = {(0,): 10.0, (1,): 4.0, (2,): 1.0, (3,): 7.0, ("T",): 22.0}
    assert disclosure.secondary_suppression(table, {(2,)}, cost) == {(1,)}


def _two_way(rows: int, cols: int) -> disclosure.Table:
    cells = [(r, c) for r in range(rows + 1) for c in range(cols + 1)]  # index 0 = total
    lines = []
    for r in range(rows + 1):
        lines.append(((r, 0), [(r, c) for c in range(1, cols + 1)]))
    for c in range(cols + 1):
        lines.append(((0, c), [(r, c) for r in range(1, rows + 1)]))
    return disclosure.Table(cells=cells, lines=lines)


def _determined_by_svd(table: disclosure.Table, hidden: set) -> set:
    """Independent check: a hidden cell is fixed iff every null vector is 0 there."""
    matrix = table.matrix()
    columns = [i for i, c in enumerate(table.cells) if c in hidden]
    sub = matrix[:, columns]
    if sub.shape[0] == 0:
        return set()
    _, singular, vt = np.linalg.svd(sub)
    rank = int((singular > 1e-9).sum())
    null = vt[rank:]
    return {
        table.cells[col]
        for pos, col in enumerate(columns)
        if null.shape[0] == 0 or np.all(np.abs(null[:, pos]) < 1e-9)
    }


@settings(max_examples=150, deadline=None)
@given(
    rows=st.integers(1, 5),
    cols=st.integers(1, 5),
    data=st.data(),
)
def test_disclosure__no_hidden_cell_recoverable_by_subtraction(rows, cols, data):
    table = _two_way(rows, cols)
    inner = [c for c in table.cells if c[0] != 0 and c[1] != 0]
    primary = set(data.draw(st.lists(st.sampled_from(inner), max_size=len(inner))))
    cost = {c: data.draw(st.floats(0, 100)) for c in table.cells}
    extra = disclosure.secondary_suppression(table, primary, cost)
    hidden = primary | extra
    assert not (_determined_by_svd(table, hidden) & hidden)
    assert extra.isdisjoint(primary)


# --- rule 4: differencing between populations ---------------------------------------------


def _populations(atoms: np.ndarray) -> dict[tuple, np.ndarray]:
    """Every combination → its population as a count per atom (explicit sets)."""
    out = {}
    ranges = [range(n + 1) for n in atoms.shape]
    for combo in itertools.product(*ranges):
        mask = np.ones(atoms.shape, dtype=bool)
        for axis, value in enumerate(combo):
            if value:
                keep = np.zeros(atoms.shape[axis], dtype=bool)
                keep[value - 1] = True
                shape = [1] * atoms.ndim
                shape[axis] = atoms.shape[axis]
                mask &= keep.reshape(shape)
        out[combo] = np.where(mask, atoms, 0)
    return out


atom_arrays = st.integers(1, 3).flatmap(
    lambda ndim: st.lists(st.integers(1, 3), min_size=ndim, max_size=ndim).flatmap(
        lambda shape: st.lists(
            st.integers(0, 6), min_size=int(np.prod(shape)), max_size=int(np.prod(shape))
        ).map(lambda values: np.array(values, dtype=np.int64).reshape(shape))
    )
)


@settings(max_examples=200, deadline=None)
@given(atoms=atom_arrays, minimum=st.integers(2, 5))
def test_disclosure__no_two_permitted_filters_differ_by_fewer_than_the_threshold(atoms, minimum):
    allowed = disclosure.permitted_combinations(atoms, minimum)
    populations = _populations(atoms)
    permitted = [combo for combo in populations if allowed[combo]]
    for combo in permitted:
        assert populations[combo].sum() >= minimum
    for a, b in itertools.combinations(permitted, 2):
        difference = np.abs(populations[a] - populations[b]).sum()
        assert difference == 0 or difference >= minimum, (a, b, difference)
    if atoms.sum() >= minimum:
        assert allowed[(0,) * atoms.ndim]  # "everyone" is always publishable


def test_disclosure__complement_below_threshold_is_refused():
    # 10 contributors in département A, 1 in B: "A only" differs from "all" by 1.
    atoms = np.array([10, 1])
    allowed = disclosure.permitted_combinations(atoms, 3)
    assert allowed[0]  # all
    assert not allowed[1]  # A: its complement (B) has 1 contributor
    assert not allowed[2]  # B: too small


# --- the engine applies all rules to real tables ------------------------------------------

SUM = Indicator.model_validate(
    {
        "id": "t",
        "domain": "emploi",
        "label": "T",
        "definition": "T",
        "kind": "sum",
        "unit": "eur",
        "question": "x",
    }
)

contributor_rows = st.lists(
    st.fixed_dictionaries(
        {
            "departement": st.sampled_from(["31", "34", "48", "09"]),
            "structure_type": st.sampled_from(["compagnie", "lieu", "festival"]),
            "x": st.floats(0, 1e6, allow_nan=False),
        }
    ),
    min_size=0,
    max_size=40,
)


def _frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "response_id": f"r{i}",
                "organisation_id": f"o{i}",
                "reference_year": 2025,
                "filiere": "cirque",
                "size_class": "1-2",
                **row,
            }
            for i, row in enumerate(rows)
        ],
        schema={
            "response_id": pl.String,
            "organisation_id": pl.String,
            "reference_year": pl.Int64,
            "filiere": pl.String,
            "size_class": pl.String,
            "departement": pl.String,
            "structure_type": pl.String,
            "x": pl.Float64,
        },
    )


@settings(max_examples=120, deadline=None)
@given(rows=contributor_rows, breakdown=st.sampled_from(["departement", "structure_type"]))
def test_disclosure__engine_never_publishes_a_small_or_recoverable_cell(rows, breakdown):
    result = compute(_frame(rows), SUM, Filters(reference_year=2025), breakdown)
    if result.refused:
        return
    table = result.table
    published = table.filter(pl.col("secret").is_null())
    assert (published["contributors"] >= 3).all()
    assert published.filter(pl.col("value").is_null()).height == 0
    hidden = table.filter(pl.col("secret").is_not_null())
    assert hidden["value"].null_count() == hidden.height  # never shown as 0
    # The published total minus published cells never isolates exactly one hidden cell.
    details = table.filter(~pl.col("is_total"))
    total_hidden = table.filter(pl.col("is_total"))["secret"].is_not_null().any()
    if not total_hidden:
        assert details["secret"].is_not_null().sum() != 1


def test_disclosure__engine_refuses_a_filter_isolating_one_contributor():
    rows = [{"departement": "31", "structure_type": "compagnie", "x": 10.0}] * 6 + [
        {"departement": "48", "structure_type": "compagnie", "x": 99.0}
    ]
    frame = _frame(rows)
    everyone = compute(frame, SUM, Filters(reference_year=2025))
    assert not everyone.refused
    assert everyone.total()["value"] == pytest.approx(159.0)
    haute_garonne = compute(frame, SUM, Filters(reference_year=2025, departement="31"))
    assert haute_garonne.refused  # "31" = everyone minus one contributor
    by_dep = compute(frame, SUM, Filters(reference_year=2025), "departement")
    cells = {r["group"]: r for r in by_dep.table.iter_rows(named=True)}
    assert cells["48"]["secret"] == "min_contributors"
    assert cells["31"]["secret"] in {"differencing", "secondary"}
    assert cells[TOTAL]["value"] == pytest.approx(159.0)
