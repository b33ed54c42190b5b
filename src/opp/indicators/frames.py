"""Analytical frames of one release, fetched column by column on demand.

A dashboard page needs a few dozen of the ~100 answer columns; fetching only those
(once per release, shared by every indicator and viewer) keeps a cold page fast. A
release never changes, so the app layer keeps one instance per release.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence

import polars as pl

from opp.errors import OppError
from opp.indicators import admitted, coverage
from opp.indicators.catalogue import IndicatorCatalogue, column_kinds, item_columns
from opp.indicators.coverage import Coverage
from opp.indicators.engine import Filters, compute
from opp.indicators.memo import Memo
from opp.indicators.model import Indicator
from opp.indicators.rows import YearRows
from opp.indicators.service import (
    assemble,
    item_frame,
    items_with_columns,
    latest_release,
    participation_frame,
    years_of,
)
from opp.questionnaire.catalogue import SurveyCatalogue
from opp.questionnaire.question_types import value_kind
from opp.store import admissions, analytics
from opp.store.db import Store
from opp.store.releases import Release


class LazyFrames:
    """Implements `service.FrameSource`; safe to share between threads."""

    def __init__(
        self,
        store: Store,
        surveys: SurveyCatalogue,
        indicators: IndicatorCatalogue,
        release: Release | None = None,
        *,
        prefetch: Sequence[Indicator] = (),
    ) -> None:
        """`prefetch`: indicators whose answer columns are read with the permanent
        headcount (which every frame needs for its size class), in the same scan of the
        release's answers — a page that knows its panels reads the answers once."""
        self.store = store
        self.surveys = surveys
        self.indicators = indicators
        self.release = release or latest_release(store)
        self.lock = threading.Lock()
        self.dims = analytics.response_dims(store, self.release.id)
        first = {"effectif_permanent": "num", **self._columns_of(prefetch)}
        fetched = analytics.answer_columns(store, self.dims, first)
        # Dimensions, size class and dimension codes: computed once per generation.
        self.base = assemble(self.dims, fetched.select("effectif_permanent"))
        self.columns: dict[str, pl.Series] = {name: fetched[name] for name in fetched.columns}
        self.items: dict[str, pl.DataFrame] = {}
        # Item frames of indicators outside the catalogue (the Explorer), by columns.
        self.extra_items: dict[tuple[str, tuple[str, ...]], pl.DataFrame] = {}
        self.participation: pl.DataFrame | None = None
        self._kinds: dict[str, dict[str, analytics.ValueKind]] = {}
        self.coverage = coverage.load(store)
        self.memo: Memo[YearRows] = Memo()
        # The differencing's admissions frozen with the release (`freeze`).
        admitted.hold(admissions.load(store, self.release.id))

    def asked(self) -> Coverage:
        return self.coverage

    def years(self) -> list[int]:
        return years_of(self.dims)

    def for_indicator(self, indicator: Indicator) -> pl.DataFrame:
        with self.lock:
            if indicator.kind == "participation":
                if self.participation is None:
                    self.participation = participation_frame(self.store, self.release.id)
                return self.participation
            if indicator.repeat and indicator.id not in self.indicators.indicators:
                return self._extra_items(indicator)
            if indicator.repeat:
                if indicator.repeat not in self.items:
                    everyone = list(self.indicators.indicators.values())
                    self.items[indicator.repeat] = item_frame(
                        self.store, indicator.repeat, everyone, self.surveys, self.base
                    )
                return self.items[indicator.repeat]
            wanted = self._kinds.get(indicator.id)
            if wanted is None:
                wanted = {"effectif_permanent": "num", **column_kinds([indicator], self.surveys)}
                self._kinds[indicator.id] = wanted
            missing = {q: k for q, k in wanted.items() if q not in self.columns}
            if missing:
                fetched = analytics.answer_columns(self.store, self.dims, missing)
                self.columns |= {name: fetched[name] for name in fetched.columns}
            extra = [self.columns[q] for q in wanted if q != "effectif_permanent"]
        return self.base.hstack(extra) if extra else self.base

    def _extra_items(self, indicator: Indicator) -> pl.DataFrame:
        """Items for an indicator the catalogue does not hold (called with the lock).

        The rows are every item of the repeat (its required answers anchor them), so a
        figure never depends on which other columns were fetched before."""
        repeat = indicator.repeat or ""
        columns = {**self.anchors(repeat), **item_columns(indicator, self.surveys)}
        key = (repeat, tuple(sorted(columns)))
        if key not in self.extra_items:
            self.extra_items[key] = items_with_columns(self.store, repeat, columns, self.base)
        return self.extra_items[key]

    def anchors(self, repeat: str) -> dict[str, analytics.ValueKind]:
        """The required, always relevant questions of a repeat: every item answers them."""
        for questionnaire in self.surveys.all():
            group = questionnaire.questions.get(repeat)
            children = getattr(group, "questions", None)
            if children:
                return {
                    q.id: value_kind(q.type)
                    for q in children
                    if q.required and not q.relevant and q.type in ("yes_no", "text")
                }
        return {}

    def answer_column(self, question_id: str, kind: analytics.ValueKind) -> pl.Series:
        """One answer per response row (`_rid` order), e.g. for a breakdown by answers."""
        with self.lock:
            if question_id not in self.columns:
                fetched = analytics.answer_columns(self.store, self.dims, {question_id: kind})
                self.columns[question_id] = fetched[question_id]
            return self.columns[question_id]

    def _columns_of(self, indicators: Sequence[Indicator]) -> dict[str, analytics.ValueKind]:
        """The top-level answer columns of `indicators` (not repeat items, participation)."""
        wanted: dict[str, analytics.ValueKind] = {}
        for indicator in indicators:
            if indicator.kind != "participation" and not indicator.repeat:
                wanted |= column_kinds([indicator], self.surveys)
        return wanted

    def prefetch(self, indicators: Sequence[Indicator]) -> None:
        """Fetch the columns of several indicators in one query (a page's worth)."""
        wanted = self._columns_of(indicators)
        with self.lock:
            missing = {q: k for q, k in wanted.items() if q not in self.columns}
            if missing:
                fetched = analytics.answer_columns(self.store, self.dims, missing)
                self.columns |= {name: fetched[name] for name in fetched.columns}

    def admit(self, indicators: Sequence[Indicator]) -> int:
        """Compute each indicator once per year, the figures discarded, so that the
        differencing's admitted populations are ready before the first viewer asks
        (the greedy admission is most of a cold page's computation). They are cached by
        their inputs (`disclosure.permitted_combinations`), which do not depend on the
        viewer: a scope is a filter inside the same lattice. Returns the computations."""
        done = 0
        years = self.years()
        for indicator in indicators:
            frame = self.for_indicator(indicator)
            for year in years:
                with contextlib.suppress(OppError):  # a refusal is a figure not shown
                    compute(frame, indicator, Filters(reference_year=year), memo=self.memo)
                    done += 1
        return done

    def freeze(self, indicators: Sequence[Indicator]) -> int:
        """Compute every admission the indicators need for each year of the release
        (`admit`) and store those it does not hold yet (`admitted`: a server started
        later reads them); returns how many were stored."""
        with admitted.recording() as keys:
            self.admit(indicators)
        return admissions.save(self.store, self.release.id, admitted.rows_for(keys))

    def warm(self, indicators: list[Indicator]) -> int:
        """Build everything `indicators` need (answer columns, repeat-item frames,
        participation), one domain at a time so that a page asking meanwhile waits for
        one domain's query at most. Returns the number of steps done."""
        steps = 0
        domains: dict[str, list[Indicator]] = {}
        for indicator in indicators:
            domains.setdefault(indicator.domain, []).append(indicator)
        for group in domains.values():
            self.prefetch(group)
            steps += 1
        firsts = {i.repeat: i for i in indicators if i.repeat}
        needs_participation = [i for i in indicators if i.kind == "participation"][:1]
        for indicator in [*firsts.values(), *needs_participation]:
            self.for_indicator(indicator)
            steps += 1
        return steps
