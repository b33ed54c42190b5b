"""Trends on a constant sample (`opp.indicators.trends`): the structures that answered
every year of a span, compared year to year, inside the disclosure layer."""

from __future__ import annotations

import polars as pl
import pytest

from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.indicators import trends
from opp.indicators.catalogue import IndicatorCatalogue
from opp.indicators.engine import Filters
from opp.indicators.model import Indicator
from opp.indicators.service import Frames

COREPS = Viewer(role=Role.COREPS, account_id="coreps")
STAFF = Indicator.model_validate(
    {
        "id": "staff",
        "domain": "emploi",
        "label": "Staff",
        "definition": "Staff",
        "kind": "sum",
        "question": "effectif_permanent",
    }
)


def _frames(followed: int, newcomers: int, years=(2024, 2025)) -> Frames:
    rows = []
    for year in years:
        for i in range(followed + (newcomers if year == years[-1] else 0)):
            rows.append(
                {
                    "_rid": len(rows),
                    "_key": (7919 * len(rows)) % 2**32,
                    "response_id": f"r{year}-{i}",
                    "organisation_id": f"o{i}",
                    "reference_year": year,
                    "filiere": "cirque",
                    "departement": "31",
                    "structure_type": "compagnie",
                    "size_class": "3-9",
                    # Followed structures grow by one each year; newcomers are big.
                    "effectif_permanent": float(i + 1 + (year - years[0]))
                    if i < followed
                    else 50.0,
                }
            )
    frame = pl.DataFrame(rows)
    return Frames(responses=frame, participation=frame.head(0))


def _catalogue() -> IndicatorCatalogue:
    return IndicatorCatalogue(indicators={"staff": STAFF})


def _sample(frames: Frames, years=(2024, 2025), filters: Filters | None = None):
    return trends.constant_sample(
        None,
        COREPS,
        "staff",
        years,
        filters or Filters(years[-1]),
        frames=frames,
        indicators=_catalogue(),
    )


def test_constant_sample__the_same_structures_each_year_not_the_newcomers():
    frames = _frames(followed=6, newcomers=4)
    result = _sample(frames)
    rows = {row["group"]: row for row in result.table.iter_rows(named=True)}
    assert set(rows) == {"2024", "2025"}
    exact_2024 = sum(i + 1 for i in range(6))  # 21
    exact_2025 = sum(i + 2 for i in range(6))  # 27, without the newcomers' 4 × 50
    for year, exact in (("2024", exact_2024), ("2025", exact_2025)):
        assert rows[year]["secret"] is None
        assert rows[year]["value"] == pytest.approx(exact, rel=0.6)
        assert rows[year]["value"] != exact  # perturbed, never exact
    assert rows["2025"]["value"] < 100  # all respondents of 2025 make 227
    # One published size for the sample, perturbed, on every year and in the note.
    sizes = {row["contributors"] for row in rows.values()}
    assert len(sizes) == 1
    assert abs(sizes.pop() - 6) <= 2
    assert "2024 à 2025" in result.notes[0]["fr"]


def test_constant_sample__one_or_two_structures_from_all_respondents_is_hidden():
    """All respondents − constant sample = the structures that did not answer every
    year: with two of them, the sample of their year is withheld (differencing)."""
    rows = {r["group"]: r for r in _sample(_frames(6, 2)).table.iter_rows(named=True)}
    assert rows["2025"]["secret"] == "differencing"
    assert rows["2025"]["value"] is None
    assert rows["2024"]["secret"] is None  # everyone of 2024 is followed: same population


def test_constant_sample__bad_spans_are_refused_with_a_message():
    frames = _frames(6, 4)
    with pytest.raises(OppError) as error:
        _sample(frames, years=(2025,))
    assert "au moins deux années" in error.value.message("fr")
    with pytest.raises(OppError) as error:
        _sample(_frames(6, 4, years=(2021, 2025)), years=(2021, 2025))
    assert "2022, 2023, 2024" in error.value.message("fr")
    with pytest.raises(OppError):
        _sample(frames, filters=Filters(2025, territoire="midi_pyrenees"))


def test_constant_sample__spans_are_consecutive_years_in_a_fixed_order():
    assert trends.spans([2025, 2023, 2024]) == [(2023, 2024), (2023, 2024, 2025), (2024, 2025)]
    assert trends.spans([2021, 2023]) == []


def test_constant_sample__a_sample_one_structure_from_a_grouping_is_hidden(monkeypatch):
    """Followed: three structures in Haute-Garonne and three in Hérault; newcomers of
    2025: one in Hérault, four in Aude. The départements with a métropole (31, 34) in
    2025 = the sample + the Hérault newcomer: one structure apart."""
    rows = []
    places = {f"o{i}": "31" if i < 3 else "34" for i in range(6)}
    newcomers = {"n0": "34", **{f"n{i}": "11" for i in range(1, 5)}}
    for year, members in ((2024, places), (2025, {**places, **newcomers})):
        for org, departement in members.items():
            rows.append(
                {
                    "_rid": len(rows),
                    "_key": (7919 * (len(rows) + 1)) % 2**32,
                    "response_id": f"{org}-{year}",
                    "organisation_id": org,
                    "reference_year": year,
                    "filiere": "cirque",
                    "departement": departement,
                    "structure_type": "compagnie",
                    "size_class": "3-9",
                    "effectif_permanent": float(len(rows) % 7 + 1),
                }
            )
    frame = pl.DataFrame(rows)
    frames = Frames(responses=frame, participation=frame.head(0))

    def year_2025():
        table = _sample(frames).table
        return table.filter(pl.col("group") == "2025").row(0, named=True)

    assert year_2025()["secret"] == "differencing"
    monkeypatch.setattr(trends, "family_axes", lambda: ())  # control: groupings ignored
    assert year_2025()["secret"] is None
