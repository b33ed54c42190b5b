"""Artists' development paths (`opp.indicators.paths`): career-stage transitions from
one campaign to the next, as disclosure-controlled aggregates."""

from __future__ import annotations

import polars as pl
import pytest

from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.indicators import paths
from opp.indicators.service import Frames
from opp.questionnaire.catalogue import load_catalogue

COREPS = Viewer(role=Role.COREPS, account_id="coreps")


def _frames(moves: dict[tuple[str, str | None], int], extra_2024: int = 0) -> Frames:
    """Artists by (stage in 2024, stage in 2025 or None when they did not answer)."""
    rows = []

    def add(org: str, year: int, stage: str) -> None:
        rows.append(
            {
                "_rid": len(rows),
                "_key": (104729 * (len(rows) + 1)) % 2**32,
                "response_id": f"{org}-{year}",
                "organisation_id": org,
                "reference_year": year,
                "filiere": "musiques_actuelles",
                "departement": "31",
                "structure_type": "artiste",
                "size_class": None,
                paths.QUESTION: stage,
            }
        )

    n = 0
    for (before, after), count in moves.items():
        for _ in range(count):
            n += 1
            add(f"a{n}", 2024, before)
            if after is not None:
                add(f"a{n}", 2025, after)
    frame = pl.DataFrame(rows)
    return Frames(responses=frame, participation=frame.head(0))


def _cells(result) -> dict[tuple[str, str], dict]:
    return {(r["group"], r["series"]): r for r in result.table.iter_rows(named=True)}


def test_paths__transitions_counted_and_perturbed_small_cells_hidden():
    frames = _frames(
        {
            ("emergence", "emergence"): 12,
            ("emergence", "developpement"): 8,
            ("developpement", "developpement"): 15,
            ("developpement", "confirme"): 2,  # too few: hidden
            ("confirme", "confirme"): 10,
            ("confirme", None): 6,  # did not answer in 2025
        }
    )
    result = paths.transitions(None, COREPS, 2024, frames=frames, surveys=load_catalogue())
    cells = _cells(result)
    assert cells[("emergence", "emergence")]["secret"] is None
    assert abs(cells[("emergence", "emergence")]["value"] - 12) <= 2
    assert abs(cells[("emergence", "developpement")]["value"] - 8) <= 2
    assert cells[("developpement", "confirme")]["secret"] == "min_contributors"
    assert cells[("developpement", "confirme")]["value"] is None
    # A row with a hidden cell has no shares (they would give the hidden cell away).
    assert cells[("developpement", "developpement")]["share"] is None
    emergence = [cells[("emergence", s)] for s in ("emergence", "developpement")]
    assert sum(c["share"] for c in emergence) == pytest.approx(100)
    assert result.minimum == 5  # individual artists: the policy's stricter threshold


def test_paths__a_cell_one_artist_from_its_stage_of_year_n_is_hidden():
    """Established in 2024 = 10 still established + 1 who did not answer again: the
    cell would give the leaver away against the Explorer's count of year N."""
    frames = _frames(
        {("confirme", "confirme"): 10, ("confirme", None): 1, ("emergence", "emergence"): 9}
    )
    cells = _cells(paths.transitions(None, COREPS, 2024, frames=frames, surveys=load_catalogue()))
    assert cells[("confirme", "confirme")]["secret"] == "differencing"
    assert cells[("emergence", "emergence")]["secret"] is None


def test_paths__a_year_without_a_next_campaign_is_refused_with_a_message():
    frames = _frames({("emergence", "emergence"): 12})
    with pytest.raises(OppError) as error:
        paths.transitions(None, COREPS, 2025, frames=frames, surveys=load_catalogue())
    assert "2024" in error.value.message("fr")
    with pytest.raises(OppError):
        paths.transitions(None, None, 2024, frames=frames, surveys=load_catalogue())
