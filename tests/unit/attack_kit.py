"""What an attacker with an ordinary account can script, and how the attacks are graded.

The attacker calls the service exactly as the pages do (`service.result` with their
viewer: filters, breakdowns, every indicator), learns which filter combinations are
refused by trying them, and combines the published figures. The grader knows the truth
(the frozen answers of the release) and says how close each estimate came.

Used by `test_attacks.py` (assertions) and `bench/attacks.py` (the table of success
rates in docs/CONFIDENTIALITY.md).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import polars as pl

from opp.access.viewer import Role, Viewer
from opp.indicators import disclosure
from opp.indicators.catalogue import IndicatorCatalogue, load_indicators
from opp.indicators.cells import unit_column
from opp.indicators.engine import Filters, Result
from opp.indicators.model import FILTER_DIMENSIONS, Indicator
from opp.indicators.population import UNIVERSE
from opp.indicators.rows import _atoms, contributions, scope_frame
from opp.indicators.service import Frames, build_frames, result
from opp.questionnaire.catalogue import load_catalogue
from opp.store.db import Store

COREPS = Viewer(role=Role.COREPS, account_id="attacker")
PROTECTION = 0.10


@dataclass
class Outcome:
    """Estimates of individual values against the truth."""

    name: str
    pairs: list[tuple[float, float]] = field(default_factory=list)
    seen: set[Any] = field(default_factory=set)

    def add(self, estimate: float, truth: float, key: Any = None) -> None:
        """One estimate; `key` says which published figures it came from, so the same
        figures reached through other filters (same population) count once."""
        if truth is None or estimate is None or not np.isfinite(estimate):
            return
        if key is not None:
            if key in self.seen:
                return
            self.seen.add(key)
        self.pairs.append((float(estimate), float(truth)))

    @property
    def attempts(self) -> int:
        return len(self.pairs)

    def errors(self) -> np.ndarray:
        """Relative errors (absolute error when the truth is 0)."""
        out = []
        for estimate, truth in self.pairs:
            scale = abs(truth) if truth else 1.0
            out.append(abs(estimate - truth) / scale)
        return np.array(out)

    def within(self, level: float = PROTECTION) -> float:
        """Share of the attempts that landed within `level` of the truth."""
        errors = self.errors()
        return float((errors <= level).mean()) if errors.size else 0.0

    def exact(self) -> int:
        """Attempts that recovered the value (to 0.5 %): what the old design allowed."""
        errors = self.errors()
        return int((errors <= 0.005).sum()) if errors.size else 0

    def summary(self) -> dict[str, Any]:
        errors = self.errors()
        return {
            "attack": self.name,
            "attempts": self.attempts,
            "exact": self.exact(),
            "within_10pct": round(self.within(), 3),
            "median_error": round(float(np.median(errors)), 3) if errors.size else None,
        }


class World:
    """One release of a store, seen by an attacker (and graded with the truth)."""

    def __init__(self, store: Store, viewer: Viewer = COREPS) -> None:
        self.store = store
        self.viewer = viewer
        self.surveys = load_catalogue()
        self.indicators: IndicatorCatalogue = load_indicators(surveys=self.surveys)
        self._results: dict[tuple[Any, ...], Result] = {}

    @cached_property
    def frames(self) -> Frames:
        return build_frames(self.store, self.surveys, self.indicators)

    @property
    def year(self) -> int:
        return self.frames.years()[0]

    def published(
        self, indicator_id: str, filters: Filters, breakdown: str | None = None
    ) -> Result:
        key = (indicator_id, filters, breakdown)
        if key not in self._results:
            self._results[key] = result(
                self.frames, self.indicators.get(indicator_id), filters, breakdown, self.viewer
            )
        return self._results[key]

    def contributions(self, indicator_id: str, series: str | None = None) -> pl.DataFrame:
        """The truth: one value per contributor (and category) of the year."""
        indicator = self.indicators.get(indicator_id)
        frame = scope_frame(self.frames.for_indicator(indicator), indicator)
        long = contributions(frame.filter(pl.col("reference_year") == self.year), indicator)
        wanted = series or indicator.series[0].id
        long = long.filter(pl.col("series") == wanted)
        unit = unit_column(long) or "response_id"
        ids = [c for c in ("response_id", "organisation_id") if c in long.columns and c != unit]
        keys = [unit, *ids, *FILTER_DIMENSIONS]
        keys += ["category"] if "category" in long.columns else []
        value = "num" if indicator.kind in ("ratio", "gap") else "v"
        return long.group_by(keys, maintain_order=True).agg(pl.col(value).sum().alias("value"))

    def permitted(self, indicator_id: str) -> list[Filters]:
        """Every filter combination the service does not refuse (an attacker finds them
        by trying; the admission rule gives the same list without a call each)."""
        indicator = self.indicators.get(indicator_id)
        frame = scope_frame(self.frames.for_indicator(indicator), indicator)
        long = contributions(frame.filter(pl.col("reference_year") == self.year), indicator)
        allowed = disclosure.permitted_combinations(
            _atoms(long), indicator.disclosure.min_contributors
        )
        out = []
        for index in zip(*np.nonzero(allowed), strict=True):
            values = {
                dimension: (None if position == 0 else UNIVERSE[dimension][position - 1])
                for dimension, position in zip(FILTER_DIMENSIONS, index, strict=True)
            }
            out.append(Filters(reference_year=self.year, **values))
        return out


def members(truth: pl.DataFrame, filters: Filters) -> pl.DataFrame:
    """The contributors of a population (a filter combination)."""
    for dimension, value in filters.active().items():
        truth = truth.filter(pl.col(dimension) == value)
    return truth


def value_of(result: Result, group: str = "__total__", series: str | None = None) -> Any:
    rows = result.table.filter(pl.col("group") == group)
    if series is not None:
        rows = rows.filter(pl.col("series") == series)
    return rows.row(0, named=True) if rows.height else None


def least_squares(
    populations: list[list[int]], values: list[float], size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Solve the published figures as a system of equations; returns the estimates and
    which unknowns the system determines (a unit vector in the row space)."""
    matrix = np.zeros((len(populations), size))
    for row, who in enumerate(populations):
        matrix[row, who] = 1.0
    estimate, *_ = np.linalg.lstsq(matrix, np.array(values), rcond=None)
    _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    rank = int((singular > 1e-9 * singular.max()).sum()) if singular.size else 0
    basis = vt[:rank]
    determined = np.linalg.norm(basis, axis=0) ** 2 > 1 - 1e-9
    return estimate, determined


def pairs_of(items: list[Any]) -> itertools.combinations:
    return itertools.combinations(items, 2)


def indicator(world: World, indicator_id: str) -> Indicator:
    return world.indicators.get(indicator_id)


class ExplorerWorld(World):
    """The same release seen through the Explorer: an attacker scripts
    `explore.distribution` for every question, filter combination and breakdown. Its
    indicators are the Explorer's, registered under their ids so that every attack of
    `attacks.py` plays unchanged."""

    def __init__(self, store: Store, viewer: Viewer = COREPS) -> None:
        super().__init__(store, viewer)
        self._explored: dict[str, tuple[str, str, str]] = {}

    @cached_property
    def frames(self) -> Any:  # lazily fetched columns, as the app's frames
        from opp.indicators.frames import LazyFrames

        return LazyFrames(self.store, self.surveys, self.indicators)

    def add(self, questionnaire_id: str, question_id: str, measure: str) -> str:
        """Make an Explorer question attackable; returns its indicator id."""
        from opp.indicators import explore

        questionnaire = self.surveys.get(questionnaire_id)
        indicator = explore.indicator_for(
            explore.find(questionnaire, question_id),
            questionnaire,
            measure,
            explore.money_questions(self.surveys),
        )
        self.indicators.indicators.setdefault(indicator.id, indicator)
        self._explored[indicator.id] = (questionnaire_id, question_id, measure)
        return indicator.id

    def published(
        self, indicator_id: str, filters: Filters, breakdown: str | None = None
    ) -> Result:
        from opp.indicators import explore

        key = (indicator_id, filters, breakdown)
        if key not in self._results:
            questionnaire_id, question_id, measure = self._explored[indicator_id]
            self._results[key] = explore.distribution(
                self.store,
                self.viewer,
                questionnaire_id,
                question_id,
                filters,
                breakdown,
                measure=measure,
                frames=self.frames,
                surveys=self.surveys,
            )
        return self._results[key]
