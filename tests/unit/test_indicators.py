"""Indicator values against hand-computed expectations, and the catalogue's checks."""

from __future__ import annotations

import textwrap

import polars as pl
import pytest

from opp.errors import OppError
from opp.indicators.catalogue import load_indicators
from opp.indicators.engine import TOTAL, Filters, compute, exact_cells
from opp.indicators.model import Indicator
from opp.indicators.policy import load_policy

# Eight companies of one year; values chosen so that results are easy to compute by hand.
ROWS = [
    # dep, effectif, femmes_dir, dir_total(h), budget, masse, charte, sal_h, sal_f
    ("31", 2, 1, 1, 100_000, 40_000, True, 30_000, 27_000),
    ("31", 4, 0, 1, 200_000, 90_000, False, 32_000, 32_000),
    ("31", 6, 1, 0, 300_000, 150_000, True, 40_000, 36_000),
    ("34", 8, 1, 1, 400_000, 200_000, False, None, None),
    ("34", 10, 0, 1, 500_000, 260_000, True, 35_000, 31_500),
    ("34", 12, 1, 1, 600_000, 300_000, False, 38_000, 38_000),
    ("34", 14, 0, 1, 700_000, 350_000, None, None, None),
    ("34", 16, 1, 0, 800_000, 400_000, True, 50_000, 45_000),
]


@pytest.fixture
def frame() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "response_id": f"r{i}",
                "organisation_id": f"o{i}",
                "reference_year": 2025,
                "filiere": "cirque",
                "departement": dep,
                "structure_type": "compagnie",
                "size_class": "3-9",  # one class: no filter overlaps the départements
                "effectif_permanent": float(eff),
                "direction_femmes": float(f),
                "direction_hommes": float(h),
                "budget_total": float(budget),
                "masse_salariale_totale": float(masse),
                "charte_egalite": charte,
                "salaire_moyen_hommes": None if sh is None else float(sh),
                "salaire_moyen_femmes": None if sf is None else float(sf),
            }
            for i, (dep, eff, f, h, budget, masse, charte, sh, sf) in enumerate(ROWS)
        ]
    )


def _indicator(**fields) -> Indicator:
    base = {"id": "t", "domain": "emploi", "label": "T", "definition": "T"}
    return Indicator.model_validate({**base, **fields})


def _total(frame, indicator, **filters):
    """The exact figures entering the disclosure layer for the whole population."""
    exact = exact_cells(frame, indicator, Filters(reference_year=2025, **filters))
    return exact.filter(pl.col("is_total")).row(0, named=True)


def _published(frame, indicator, **filters):
    result = compute(frame, indicator, Filters(reference_year=2025, **filters))
    assert not result.refused
    return result.total()


def test_indicator__sum(frame):
    sum_ = _indicator(kind="sum", question="effectif_permanent")
    row = _total(frame, sum_)
    assert row["value"] == 72
    assert row["n"] == 8
    shown = _published(frame, sum_)
    # Published with noise of the largest contributors' size (16 and 14), never exact.
    assert shown["value"] != 72
    strength = load_policy().perturbation.magnitude
    assert abs(shown["value"] - 72) <= strength * 1.5 * (16 + 0.5 * 14)
    assert abs(shown["value"] - 72) >= strength * 0.5 * 16
    assert abs(shown["contributors"] - 8) <= 2


def test_indicator__mean_and_quartiles(frame):
    mean = _total(frame, _indicator(kind="mean", question="effectif_permanent"))
    assert mean["value"] == 9
    quart = _total(frame, _indicator(kind="quartiles", question="effectif_permanent"))
    # Values 2,4,…,16: median 9; linear quartiles at positions 1.75 and 5.25.
    assert quart["value"] == 9
    assert quart["q1"] == pytest.approx(5.5)
    assert quart["q3"] == pytest.approx(12.5)
    shown = _published(frame, _indicator(kind="quartiles", question="effectif_permanent"))
    assert shown["p10"] is None  # whiskers need at least 10 contributors
    assert shown["q1"] <= shown["value"] <= shown["q3"]
    individual = set(range(2, 17, 2))
    assert not {shown["q1"], shown["value"], shown["q3"]} & individual  # never a value


def test_indicator__ratio_of_sums(frame):
    row = _total(
        frame,
        _indicator(
            kind="ratio",
            unit="percent",
            scale=100,
            numerator=["masse_salariale_totale"],
            denominator=["budget_total"],
        ),
    )
    assert row["value"] == pytest.approx(1_790_000 / 3_600_000 * 100)


def test_indicator__women_share_of_direction(frame):
    share = _indicator(
        kind="ratio",
        unit="percent",
        scale=100,
        numerator=["direction_femmes"],
        denominator=["direction_femmes", "direction_hommes"],
    )
    assert _total(frame, share)["value"] == pytest.approx(5 / 11 * 100)
    assert 0 <= _published(frame, share)["value"] <= 100  # a share stays a share


def test_indicator__share_of_contributors(frame):
    row = _total(
        frame,
        _indicator(
            kind="contributors_share",
            unit="percent",
            condition={"question": "charte_egalite", "equals": True},
        ),
    )
    assert row["value"] == pytest.approx(4 / 7 * 100)  # one did not answer
    assert row["n"] == 7


def test_indicator__pay_gap_needs_five_and_uses_pairs(frame):
    gap = _indicator(
        kind="gap",
        unit="percent",
        disclosure={"min_contributors": 5},
        reference="salaire_moyen_hommes",
        compared="salaire_moyen_femmes",
    )
    row = _total(frame, gap)
    men = (30_000 + 32_000 + 40_000 + 35_000 + 38_000 + 50_000) / 6
    women = (27_000 + 32_000 + 36_000 + 31_500 + 38_000 + 45_000) / 6
    assert row["value"] == pytest.approx((men - women) / men * 100)
    assert row["n"] == 6
    by_dep = compute(frame, gap, Filters(reference_year=2025), "departement")
    cells = {r["group"]: r for r in by_dep.table.iter_rows(named=True)}
    assert cells["31"]["secret"] == "min_contributors"  # 3 < 5 for pay
    assert cells["31"]["value"] is None
    assert cells["31"]["contributors"] is None  # a hidden cell says nothing of its size


def test_indicator__composition_publishes_shares_of_the_published_parts(frame):
    parts = _indicator(
        kind="sum",
        composition=True,
        series=[
            {"id": "masse", "label": "Masse", "question": "masse_salariale_totale"},
            {"id": "budget", "label": "Budget", "question": "budget_total"},
        ],
    )
    result = compute(frame, parts, Filters(reference_year=2025))
    rows = {r["series"]: r for r in result.table.iter_rows(named=True)}
    published = rows["masse"]["value"] + rows["budget"]["value"]
    assert rows["masse"]["share"] == pytest.approx(rows["masse"]["value"] / published * 100)
    assert rows["masse"]["share"] + rows["budget"]["share"] == pytest.approx(100)
    assert rows["masse"]["share"] == pytest.approx(1_790_000 / 5_390_000 * 100, abs=5)


def test_indicator__breakdown_has_cells_and_total(frame):
    exact = exact_cells(
        frame, _indicator(kind="sum", question="effectif_permanent"), Filters(2025), "departement"
    )
    values = {r["group"]: r["value"] for r in exact.iter_rows(named=True)}
    assert values == {"31": 12, "34": 60, TOTAL: 72}
    result = compute(
        frame, _indicator(kind="sum", question="effectif_permanent"), Filters(2025), "departement"
    )
    assert [r["group"] for r in result.table.iter_rows(named=True)] == ["31", "34", TOTAL]


def test_indicator__dominance_hides_a_money_total(frame):
    skewed = frame.with_columns(
        pl.when(pl.col("response_id") == "r7")
        .then(100_000_000.0)
        .otherwise(pl.col("budget_total"))
        .alias("budget_total")
    )
    budget = _indicator(
        kind="sum", unit="eur", question="budget_total", disclosure={"dominance": 0.85}
    )
    result = compute(skewed, budget, Filters(reference_year=2025))
    assert result.total()["secret"] == "dominance"
    assert result.total()["value"] is None


def test_indicator__p_percent_rule_hides_a_total_two_contributors_could_unpick(frame):
    # Two large budgets and six tiny ones: the rest (6 000) is under 10 % of the largest,
    # so the second largest could estimate the largest to within 10 % — hidden.
    lopsided = frame.with_columns(
        pl.when(pl.col("response_id") == "r7")
        .then(900_000.0)
        .when(pl.col("response_id") == "r6")
        .then(100_000.0)
        .otherwise(1_000.0)
        .alias("budget_total")
    )
    budget = _indicator(
        kind="sum",
        unit="eur",
        question="budget_total",
        disclosure={"p_percent": 0.1},
    )
    assert compute(lopsided, budget, Filters(2025)).total()["secret"] == "p_percent"


def test_indicator__trend_across_years(frame):
    both = pl.concat(
        [frame, frame.with_columns(pl.lit(2024, dtype=pl.Int64).alias("reference_year"))]
    )
    result = compute(
        both, _indicator(kind="sum", question="effectif_permanent"), Filters(2025), "reference_year"
    )
    groups = {r["group"]: r["value"] for r in result.table.iter_rows(named=True)}
    assert set(groups) == {"2024", "2025"}
    # Same population, same record keys: the same cell gets the same noise both years.
    assert groups["2024"] == groups["2025"]


def test_indicator__unknown_filter_value_is_refused(frame):
    result = compute(
        frame,
        _indicator(kind="sum", question="effectif_permanent"),
        Filters(reference_year=2025, departement="'; DROP TABLE answers; --"),
    )
    assert result.refused


def test_catalogue__every_indicator_file_loads(catalogue):
    indicators = load_indicators(surveys=catalogue)
    domains = {i.domain for i in indicators.indicators.values()}
    assert domains == {"emploi", "egalite", "diffusion", "economie", "filiere", "participation"}
    for indicator in indicators.indicators.values():
        assert indicator.label.en
        assert indicator.definition.en


def test_catalogue__unknown_question_is_reported_with_suggestion(tmp_path, catalogue):
    (tmp_path / "x.yaml").write_text(
        textwrap.dedent(
            """
            indicators:
              - id: faux
                domain: emploi
                label: Faux
                definition: Faux
                kind: sum
                question: effectif_permanant
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(OppError) as info:
        load_indicators(tmp_path, catalogue)
    message = info.value.message("fr")
    assert "effectif_permanant" in message
    assert "« effectif_permanent »" in message
    assert "indicators[0]" in message


def test_catalogue__text_question_in_a_sum_is_refused(tmp_path, catalogue):
    (tmp_path / "x.yaml").write_text(
        "indicators:\n  - {id: faux, domain: emploi, label: F, definition: F, kind: sum, "
        "question: nom_structure}\n",
        encoding="utf-8",
    )
    with pytest.raises(OppError) as info:
        load_indicators(tmp_path, catalogue)
    assert info.value.code == "I_QUESTION_TYPE"
