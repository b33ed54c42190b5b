"""The populations a figure is published for: the universe of the filter dimensions,
the filters a viewer chooses (one campaign year, single values, or a grouping of
départements), and the axis of a breakdown by answers.

One home for what every other part of the computation (`rows.py`, `engine.py`) and
every page offering filters refers to.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from opp import geo
from opp.indicators import territories
from opp.indicators.model import FILTER_DIMENSIONS
from opp.referentiel import FILIERES, SIZE_CLASSES, STRUCTURE_TYPES

TOTAL = "__total__"  # breakdown value of the margin (all values of the breakdown)
UNIVERSE: dict[str, list[str | None]] = {
    "filiere": [*FILIERES],
    "departement": [*geo.DEPARTEMENTS],
    "structure_type": [*STRUCTURE_TYPES],
    "size_class": [*SIZE_CLASSES, None],
}


@dataclass(frozen=True)
class Filters:
    """The population: one campaign year and optional single values of four dimensions,
    or a grouping of départements (`territoire`, `geo.groupings`) instead of one."""

    reference_year: int
    filiere: str | None = None
    departement: str | None = None
    structure_type: str | None = None
    size_class: str | None = None
    territoire: str | None = None

    def active(self) -> dict[str, str]:
        return {d: getattr(self, d) for d in FILTER_DIMENSIONS if getattr(self, d) is not None}

    def grouping(self) -> str | None:
        """The grouping of départements filtered on (None when a département is chosen:
        the service refuses both at once)."""
        return self.territoire if self.departement is None else None


def restrict(frame: pl.DataFrame, filters: Filters) -> pl.DataFrame:
    """The rows of the population `filters` describes (the year aside)."""
    for d, value in filters.active().items():
        frame = frame.filter(pl.col(d) == value)
    grouping = filters.grouping()
    if grouping is not None:
        members = geo.groupings()[grouping].departements
        frame = frame.filter(pl.col("departement").is_in(members))
    return frame


def with_family(frame: pl.DataFrame, breakdown: str | None) -> pl.DataFrame:
    """Add the column of a breakdown by a family of groupings (named after the family)."""
    if not territories.is_family(breakdown) or "departement" not in frame.columns:
        return frame
    mapping = territories.family_mapping(breakdown or "")
    return frame.with_columns(
        pl.col("departement")
        .cast(pl.String)
        .replace_strict(mapping, default=None, return_dtype=pl.String)
        .alias(breakdown or "")
    )


@dataclass(frozen=True)
class AnswerAxis:
    """A breakdown by the answers to one question (`breakdowns.py`): its column and its
    values in form order; contributors who left it blank make one more cell."""

    column: str
    values: tuple[str, ...]

    def position(self, value: str | None) -> int:
        """Index on the axis of `combo_counts` (0 is "all values")."""
        if value is None or value not in self.values:
            return len(self.values) + 1
        return self.values.index(value) + 1
