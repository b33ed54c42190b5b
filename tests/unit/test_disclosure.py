"""Statistical confidentiality: the rules, the cell key perturbation, and properties proved
with hypothesis. The attacks themselves are in test_attacks.py."""

from __future__ import annotations

import itertools

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opp.indicators import disclosure
from opp.indicators import perturbation as noise
from opp.indicators.engine import TOTAL, Filters, compute, exact_cells
from opp.indicators.model import Indicator
from opp.indicators.policy import load_policy

# --- primary rules -------------------------------------------------------------------------


def _reason(n, largest=0.0, second=0.0, total=0.0, *, minimum=3, dominance=None, p=None):
    return disclosure.primary_reason(
        n, largest, second, total, minimum=minimum, dominance=dominance, p_percent=p
    )


def test_disclosure__minimum_contributors():
    assert _reason(2) == "min_contributors"
    assert _reason(3) is None
    assert _reason(4, minimum=5) == "min_contributors"


def test_disclosure__dominance_of_two_largest():
    # 3 contributors: 80 + 6 = 86 of 100 → hidden; 80 + 4 = 84 of 100 → published.
    assert _reason(3, 80.0, 6.0, 100.0, dominance=0.85) == "dominance"
    assert _reason(3, 80.0, 4.0, 100.0, dominance=0.85) is None


def test_disclosure__p_percent_rule():
    # The rest (100 - 50 - 46 = 4) is under 10 % of the largest (5): the second largest
    # could estimate the largest to within 10 %.
    assert _reason(3, 50.0, 46.0, 100.0, p=0.10) == "p_percent"
    assert _reason(3, 50.0, 30.0, 100.0, p=0.10) is None


def test_disclosure__reasons_are_readable_in_both_languages():
    assert disclosure.reason_text("min_contributors", "fr", 5) == (
        "secret statistique : moins de 5 contributeurs"
    )
    assert "fewer than 3" in disclosure.reason_text("min_contributors", "en", 3)
    assert "85 %" in disclosure.reason_text("dominance", "fr")
    assert "10 %" in disclosure.reason_text("p_percent", "fr", p_percent=0.1)
    assert disclosure.reason_text(None) == ""


# --- perturbation (cell key method) --------------------------------------------------------


@given(keys=st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=30), data=st.data())
def test_perturbation__same_population_same_noise_in_any_order(keys, data):
    shuffled = data.draw(st.permutations(keys))
    first = sum(keys) % noise.KEY_MODULUS
    second = sum(shuffled) % noise.KEY_MODULUS
    assert noise.magnitude_noise(first, 7, "v", 10.0, 5.0, 0.5) == noise.magnitude_noise(
        second, 7, "v", 10.0, 5.0, 0.5
    )


@given(
    ck=st.integers(0, 2**32 - 1),
    largest=st.floats(0.01, 1e9),
    second=st.floats(0, 1e9),
    strength=st.floats(0.05, 2),
)
def test_perturbation__magnitude_noise_is_of_the_largest_contributors_size(
    ck, largest, second, strength
):
    second = min(second, largest)
    e = noise.magnitude_noise(ck, ck // 3, "budget", largest, second, strength)
    scale = max(largest, noise.UNIT_FLOOR) + 0.5 * second
    assert abs(e) <= strength * 1.5 * scale * (1 + 1e-12)
    # Never negligible: at least half the strength times the largest contribution.
    assert abs(e) >= strength * 0.5 * max(largest, noise.UNIT_FLOOR) * (1 - 1e-12)


@given(
    top=st.integers(0, 2**32 - 1),
    cells=st.lists(st.integers(0, 2**32 - 1), min_size=2, max_size=40, unique=True),
    largest=st.floats(1, 1e7),
)
def test_perturbation__a_dominant_structure_cannot_be_averaged_out(top, cells, largest):
    # Every figure the same structure dominates is blurred in the same direction, by at
    # least half the strength of its value: the mean of many figures keeps that bias.
    errors = [noise.magnitude_noise(ck, top, "budget", largest, 0.0, 0.3) for ck in cells]
    assert len({e > 0 for e in errors}) == 1
    assert abs(sum(errors) / len(errors)) >= 0.15 * largest * (1 - 1e-9)


@given(ck=st.integers(0, 2**32 - 1), purpose=st.text(max_size=20))
def test_perturbation__multipliers_stay_away_from_zero(ck, purpose):
    m = noise.multiplier(ck, purpose)
    assert 0.5 <= abs(m) < 1.5
    assert noise.count_noise(ck, purpose, (0.125, 0.25, 0.25, 0.25, 0.125)) in range(-2, 3)


def test_perturbation__count_noise_follows_the_policy_probabilities():
    probabilities = (0.125, 0.25, 0.25, 0.25, 0.125)
    drawn = [noise.count_noise(ck, "n", probabilities) for ck in range(20_000)]
    for step, expected in zip(range(-2, 3), probabilities, strict=True):
        assert drawn.count(step) / len(drawn) == pytest.approx(expected, abs=0.02)


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
        "disclosure": {"dominance": 0.85, "p_percent": 0.1},
    }
)
POLICY = load_policy()

contributor_rows = st.lists(
    st.fixed_dictionaries(
        {
            "departement": st.sampled_from(["31", "34", "48", "09"]),
            "structure_type": st.sampled_from(["compagnie", "lieu", "festival"]),
            "x": st.floats(0, 1e6, allow_nan=False),
            "_key": st.integers(0, 2**32 - 1),
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
                "_key": i * 7919,
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
            "_key": pl.UInt64,
            "departement": pl.String,
            "structure_type": pl.String,
            "x": pl.Float64,
        },
    )


@settings(max_examples=150, deadline=None)
@given(rows=contributor_rows, breakdown=st.sampled_from(["departement", "structure_type"]))
def test_disclosure__engine_publishes_only_protected_perturbed_cells(rows, breakdown):
    frame = _frame(rows)
    result = compute(frame, SUM, Filters(reference_year=2025), breakdown)
    if result.refused:
        return
    exact = {
        r["group"]: r
        for r in exact_cells(frame, SUM, Filters(2025), breakdown).iter_rows(named=True)
    }
    strength = POLICY.perturbation.magnitude
    for row in result.table.iter_rows(named=True):
        truth = exact[row["group"]]
        if row["secret"] is not None:
            assert row["value"] is None  # never shown as 0
            assert row["contributors"] is None  # nor its size
            continue
        assert truth["n"] >= 3
        assert truth["t1"] + truth["t2"] < 0.85 * truth["abs"] or truth["abs"] == 0
        assert row["contributors"] >= 3
        bound = strength * 1.5 * (max(truth["t1"], noise.UNIT_FLOOR) + 0.5 * truth["t2"])
        assert abs(row["value"] - truth["value"]) <= bound + 1e-6
        assert row["value"] != truth["value"]  # a published sum is never exact


def test_disclosure__engine_refuses_a_filter_isolating_one_contributor():
    rows = [{"departement": "31", "structure_type": "compagnie", "x": 10.0 + i} for i in range(6)]
    rows.append({"departement": "48", "structure_type": "compagnie", "x": 99.0})
    frame = _frame(rows)
    everyone = compute(frame, SUM, Filters(reference_year=2025))
    assert not everyone.refused
    strength = POLICY.perturbation.magnitude
    assert everyone.total()["value"] == pytest.approx(174.0, abs=strength * 1.5 * (99 + 7.5))
    haute_garonne = compute(frame, SUM, Filters(reference_year=2025, departement="31"))
    assert haute_garonne.refused  # "31" = everyone minus one contributor
    by_dep = compute(frame, SUM, Filters(reference_year=2025), "departement")
    cells = {r["group"]: r for r in by_dep.table.iter_rows(named=True)}
    assert cells["48"]["secret"] == "min_contributors"
    assert cells["31"]["secret"] == "differencing"
    assert cells[TOTAL]["secret"] is None


def test_disclosure__a_series_with_a_smaller_population_has_its_own_differencing():
    # Ten contributors answer `x`; only four of them (three in 31, one in 48) answer `y`:
    # "all" vs "31" differ by 3 on x (allowed) but by 1 on y — y's cell is refused.
    rows = [{"departement": "31", "structure_type": "compagnie", "x": 5.0} for _ in range(7)]
    rows += [{"departement": "48", "structure_type": "compagnie", "x": 5.0} for _ in range(3)]
    frame = _frame(rows).with_columns(
        pl.when(pl.int_range(pl.len()).is_in([0, 1, 2, 7])).then(2.0).otherwise(None).alias("y")
    )
    two = Indicator.model_validate(
        {
            "id": "t2",
            "domain": "emploi",
            "label": "T",
            "definition": "T",
            "kind": "sum",
            "series": [
                {"id": "x", "label": "X", "question": "x"},
                {"id": "y", "label": "Y", "question": "y"},
            ],
        }
    )
    result = compute(frame, two, Filters(reference_year=2025, departement="31"))
    cells = {r["series"]: r for r in result.table.iter_rows(named=True)}
    assert cells["x"]["secret"] is None
    assert cells["y"]["secret"] == "differencing"


# --- blank breakdown values (a dimension some contributors have no value of) -----------------

QUARTILES = Indicator.model_validate(
    {
        "id": "tq",
        "domain": "emploi",
        "label": "T",
        "definition": "T",
        "kind": "quartiles",
        "unit": "eur",
        "question": "x",
    }
)


def _blank_sizes(sizes: list[str | None], values: list[float | None]) -> pl.DataFrame:
    rows = [{"departement": "31", "structure_type": "compagnie", "x": value} for value in values]
    return _frame(rows).with_columns(pl.Series("size_class", sizes, dtype=pl.String))


def test_disclosure__quartiles_by_a_dimension_left_blank_by_everyone():
    # Every contributor's size class is unknown: the blank group is the whole population
    # (published like the margin), never a crash on its missing quantiles.
    frame = _blank_sizes([None] * 12, [float(10 * i) for i in range(12)])
    result = compute(frame, QUARTILES, Filters(reference_year=2025), "size_class")
    cells = {r["group"]: r for r in result.table.iter_rows(named=True)}
    assert set(cells) == {None, TOTAL}
    blank, total = cells[None], cells[TOTAL]
    assert blank["secret"] is None
    assert blank["q1"] <= blank["value"] <= blank["q3"]
    assert (blank["value"], blank["q1"], blank["q3"]) == (
        total["value"],
        total["q1"],
        total["q3"],
    )


def test_disclosure__a_blank_group_is_its_own_population():
    # Eleven contributors of unknown size and one of "1-2": the blank cell differs from
    # the margin by one contributor, so it is refused (it was published beside the
    # margin, and their difference gave the hidden contributor's value).
    frame = _blank_sizes(["1-2", *[None] * 11], [10.0 + i for i in range(12)])
    result = compute(frame, SUM, Filters(reference_year=2025), "size_class")
    cells = {r["group"]: r for r in result.table.iter_rows(named=True)}
    assert cells["1-2"]["secret"] == "min_contributors"
    assert cells[None]["secret"] == "differencing"
    assert cells[None]["value"] is None
    assert cells[TOTAL]["secret"] is None


blank_rows = st.lists(
    st.tuples(
        st.sampled_from([None, "1-2", "3-9"]),
        st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False)),
    ),
    min_size=0,
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(
    rows=blank_rows,
    indicator=st.sampled_from([QUARTILES, SUM]),
    blank_everywhere=st.booleans(),
)
def test_disclosure__blank_groups_are_published_or_hidden_never_crash(
    rows, indicator, blank_everywhere
):
    sizes = [None if blank_everywhere else size for size, _ in rows]
    frame = _blank_sizes(sizes, [value for _, value in rows])
    result = compute(frame, indicator, Filters(reference_year=2025), "size_class")
    if result.refused:
        return
    exact = {
        r["group"]: r
        for r in exact_cells(frame, indicator, Filters(2025), "size_class").iter_rows(named=True)
    }
    groups = []
    for row in result.table.iter_rows(named=True):
        if row["secret"] is not None:
            assert row["value"] is None
            assert row["contributors"] is None
            assert disclosure.reason_text(row["secret"], "fr")  # a reason a reader can read
            continue
        if not row["is_total"]:
            groups.append(exact[row["group"]]["n"])
        if indicator is QUARTILES:
            assert row["q1"] <= row["value"] <= row["q3"]
    # A published group (the blank one included) lies inside the margin: never 1 …
    # minimum-1 contributors away from it (disjoint groups may differ by anything).
    minimum = indicator.disclosure.min_contributors
    if result.total() is not None:
        for n in groups:
            gap = exact[TOTAL]["n"] - n
            assert gap == 0 or gap >= minimum
