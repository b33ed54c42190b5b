"""What dashboards call: analytical frames of a release, then one indicator result at a
time.

Frames are built once per release (the app layer caches them); results depend on the
indicator, the population (filters), the breakdown and the viewer's scope. Nothing here
reads live rows: figures change only from one release to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import polars as pl

from opp import geo
from opp.access.policy import Action, Resource, require, unrestricted
from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.indicators import breakdowns, coverage, territories
from opp.indicators.catalogue import IndicatorCatalogue, column_kinds, item_columns
from opp.indicators.coverage import Coverage
from opp.indicators.engine import Filters, Result, compute
from opp.indicators.memo import Memo
from opp.indicators.model import Indicator
from opp.indicators.population import UNIVERSE
from opp.indicators.rows import YearRows, dimension_codes
from opp.questionnaire.catalogue import SurveyCatalogue
from opp.store import analytics, releases
from opp.store.db import Store

# Who takes part is shown to visitors who are not signed in (the landing page); what was
# answered is for signed-in people (their filière, or all for the Coreps and the agency).
PUBLIC_DOMAINS = frozenset({"participation"})


class FrameSource(Protocol):
    """Where an indicator's rows come from (eager `Frames`, or the app's lazy cache)."""

    release: Any  # the `store.releases.Release` the frames were read from

    @property
    def memo(self) -> Memo[YearRows] | None:
        """What the release's figures share (`memo.py`), or None to share nothing."""
        ...

    def for_indicator(self, indicator: Indicator) -> pl.DataFrame: ...

    def years(self) -> list[int]: ...

    def asked(self) -> Coverage: ...

    def answer_column(self, question_id: str, kind: analytics.ValueKind) -> pl.Series: ...


@dataclass
class Frames:
    """All frames built at once (tests, benchmarks, exports)."""

    responses: pl.DataFrame
    participation: pl.DataFrame
    items: dict[str, pl.DataFrame] = field(default_factory=dict)
    coverage: Coverage = field(default_factory=lambda: Coverage((), {}))
    release: Any = None
    memo: Memo[YearRows] | None = None

    def asked(self) -> Coverage:
        return self.coverage

    def for_indicator(self, indicator: Indicator) -> pl.DataFrame:
        if indicator.kind == "participation":
            return self.participation
        if indicator.repeat:
            return self.items[indicator.repeat]
        return self.responses

    def years(self) -> list[int]:
        return years_of(self.responses)

    def answer_column(self, question_id: str, kind: analytics.ValueKind) -> pl.Series:
        """One answer per response row (`_rid` order), e.g. for a breakdown by answers."""
        return self.responses[question_id]


def years_of(frame: pl.DataFrame) -> list[int]:
    return sorted(frame["reference_year"].unique().drop_nulls().to_list(), reverse=True)


def assemble(dims: pl.DataFrame, columns: pl.DataFrame) -> pl.DataFrame:
    """Dimensions + answer columns (same row order) + size class + dimension codes, and
    `_rid`, an integer per response (cheaper to count distinct than the string ids)."""
    frame = dimension_codes(analytics.with_size_class(dims.hstack(columns)))
    return frame.with_row_index("_rid")


# What an item row inherits from its response (the frame of `assemble`).
_ITEM_DIMENSIONS = ("size_class", "_rid")


def item_frame(
    store: Store,
    repeat: str,
    indicators: list[Indicator],
    surveys: SurveyCatalogue,
    base: pl.DataFrame,
) -> pl.DataFrame:
    """One row per repeat item, with its response's dimensions, codes and `_rid` (one
    integer per response: the items of a response count as one contributor). `base` is
    the response frame of the same data generation (`assemble`)."""
    columns: dict[str, analytics.ValueKind] = {}
    for indicator in indicators:
        if indicator.repeat == repeat:
            columns |= item_columns(indicator, surveys)
    return items_with_columns(store, repeat, columns, base)


def items_with_columns(
    store: Store, repeat: str, columns: dict[str, analytics.ValueKind], base: pl.DataFrame
) -> pl.DataFrame:
    """The items of `repeat` having an answer to one of `columns`, each with its
    response's dimensions, codes and `_rid`."""
    items = analytics.item_columns(store, base, repeat, columns)
    inherited = [
        c
        for c in base.columns
        if c in analytics.RESPONSE_DIMENSIONS or c in _ITEM_DIMENSIONS or c.startswith("_code_")
    ]
    return base.select(inherited).gather(items["_row"]).hstack(items.drop("_row"))


def participation_frame(store: Store, release_id: int) -> pl.DataFrame:
    """One row per invitation; each invitation is a unit of the participation rate."""
    frame = analytics.participation_frame(store, release_id)
    return dimension_codes(frame).with_row_index("_rid")


def latest_release(store: Store) -> Any:
    """The release every figure is computed from; refused before the first one."""
    release = releases.latest(store)
    if release is None:
        raise OppError("RELEASE_NONE")
    return release


def build_frames(
    store: Store,
    surveys: SurveyCatalogue,
    indicators: IndicatorCatalogue,
    release_id: int | None = None,
) -> Frames:
    """Pivot the answers every indicator needs, from one release (default: the latest)."""
    release = releases.get(store, release_id) if release_id else latest_release(store)
    all_indicators = list(indicators.indicators.values())
    dims = analytics.response_dims(store, release.id)
    wanted: dict[str, analytics.ValueKind] = {
        "effectif_permanent": "num",
        **column_kinds(all_indicators, surveys),
        **{b.question_id: b.kind for b in breakdowns.answer_breakdowns(surveys).values()},
    }
    responses = assemble(dims, analytics.answer_columns(store, dims, wanted))
    items = {
        repeat: item_frame(store, repeat, all_indicators, surveys, responses)
        for repeat in sorted({i.repeat for i in all_indicators if i.repeat})
    }
    return Frames(
        responses,
        participation_frame(store, release.id),
        items,
        coverage.load(store),
        release,
    )


def scope_filiere(viewer: Viewer | None) -> str | None:
    """The filière a viewer's dashboards are restricted to (None: all filières; visitors
    see the public figures of every filière)."""
    if viewer is None or unrestricted(viewer, Action.READ_AGGREGATES):
        return None
    return viewer.filiere


def scoped_filters(viewer: Viewer | None, filters: Filters) -> Filters:
    """Contributors and coordinators see the aggregates of their own filière only; a
    viewer limited to a filière who has none sees no figures."""
    if viewer is None or unrestricted(viewer, Action.READ_AGGREGATES):
        return filters
    wanted = filters.filiere or viewer.filiere
    require(viewer, Action.READ_AGGREGATES, Resource(filieres=(wanted,) if wanted else ()))
    return replace(filters, filiere=wanted)


def check_filters(filters: Filters) -> None:
    """Refuse filter values outside the known vocabularies (never passed to SQL anyway)."""
    for dimension, value in filters.active().items():
        if value not in UNIVERSE[dimension]:
            raise OppError(
                "I_FILTER_VALUE",
                value=value,
                field=dimension,
                expected=[v for v in UNIVERSE[dimension] if v],
            )
    if filters.territoire is not None:
        if filters.territoire not in geo.groupings():
            raise OppError(
                "I_FILTER_VALUE",
                value=filters.territoire,
                field="territoire",
                expected=list(geo.groupings()),
            )
        if filters.departement is not None:
            raise OppError(
                "I_TERRITORY_AND_DEPARTEMENT",
                departement=filters.departement,
                territoire=geo.groupings()[filters.territoire].name("fr"),
            )


def check_breakdown(indicator: Indicator, breakdown: str, filters: Filters) -> None:
    """A breakdown by a family of groupings needs an indicator broken down by
    département; a breakdown by answers is not combined with a grouping filter (its
    lattice knows départements only)."""
    if territories.is_family(breakdown):
        if "departement" not in indicator.breakdowns:
            raise OppError(
                "I_BREAKDOWN",
                value=breakdown,
                expected=list(indicator.breakdowns) + breakdowns.options_for(indicator),
            )
    elif filters.territoire is not None and breakdown in breakdowns.known():
        raise OppError("I_TERRITORY_ANSWERS")


def result(
    frames: FrameSource,
    indicator: Indicator,
    filters: Filters,
    breakdown: str | None,
    viewer: Viewer | None,
) -> Result:
    if viewer is None and indicator.domain not in PUBLIC_DOMAINS:
        raise OppError("AUTH_REQUIRED")
    check_filters(filters)
    axis = None
    if breakdown is not None:
        check_breakdown(indicator, breakdown, filters)
        if not territories.is_family(breakdown):
            axis = breakdowns.axis_for(indicator, breakdown)
    scoped = scoped_filters(viewer, filters)
    frame = frames.for_indicator(indicator)
    earlier: tuple = ()
    if axis is not None:
        known = breakdowns.known()
        earlier = tuple(known[q].axis for q in breakdowns.earlier(axis.column))
        columns = []
        for question_id in (axis.column, *(a.column for a in earlier)):
            answers = frames.answer_column(question_id, known[question_id].kind)
            columns.append(answers.cast(pl.String).gather(frame["_rid"]).alias(question_id))
        frame = frame.with_columns(columns)
    computed = compute(
        frame, indicator, scoped, breakdown, axis=axis, earlier=earlier, memo=frames.memo
    )
    computed.notes = coverage.notes(frames.asked(), indicator, scoped, breakdown)
    computed.release = frames.release
    return computed
