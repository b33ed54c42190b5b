"""Trends on a constant sample: the same structures compared from one year to the next.

A trend over all respondents mixes two things: how structures changed, and which
structures answered (a big festival joining in 2024 lifts the 2024 total). A *constant
sample* for a span of campaign years (e.g. 2023–2025) keeps, for each series of an
indicator, the structures that contributed to it **every** year of the span, and
publishes one figure per year for them.

Disclosure control. The sample is one more population of the differencing lattice:
for each year, "in the sample of span S" is an extra axis (`engine.AnswerAxis` on a
`_panel` column, admitted after the filter combinations exactly as a breakdown by
answers), so a sample's cell under any filters differs from every published population
of that year — all respondents under any filters first — by 0 or at least the threshold:
"all respondents − constant sample" never isolates one to t−1 structures (those who did
not answer every year). Samples of different spans containing the same year are kept
apart from each other the way questions are (`answer_lattice.too_close`: a span's cell
is withheld when it lies 1 … t−1 structures from a cell an earlier span may publish).
Cells of groupings of départements and of breakdowns by answers are kept apart the same
way (they come first in that order). Each cell then passes the primary rules and the
cell key method as any figure. The sample's size is published once, perturbed (the
latest year's published count), with the figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Final

import numpy as np
import polars as pl

from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.i18n import LANGUAGES, Vocabulary, gettext
from opp.indicators import answer_lattice, breakdowns, disclosure, service
from opp.indicators.catalogue import IndicatorCatalogue, load_indicators
from opp.indicators.cells import cell_stats, unit_column
from opp.indicators.engine import (
    AnswerAxis,
    Filters,
    Result,
    earlier_lattice,
    family_axes,
    restrict,
    with_families,
)
from opp.indicators.model import QUANTILE_KINDS, Indicator
from opp.indicators.policy import DisclosurePolicy, load_policy
from opp.indicators.publish import _combo, _empty, _with_shares
from opp.indicators.rows import _CODES, _atoms, dimension_codes, every_year
from opp.store.db import Store

PANEL = "_panel"
IN = "in"


def span_of(years: Sequence[int], available: Sequence[int]) -> tuple[int, ...]:
    """The campaign years from the first to the last chosen (at least two, all in the
    release), or a clear refusal."""
    chosen = sorted(set(years))
    known = sorted(set(available))
    if len(chosen) < 2 or chosen[0] not in known or chosen[-1] not in known:
        raise OppError("T_SPAN", value=", ".join(map(str, chosen)), expected=known)
    span = tuple(y for y in known if chosen[0] <= y <= chosen[-1])
    if span != tuple(range(chosen[0], chosen[-1] + 1)):
        missing = sorted(set(range(chosen[0], chosen[-1] + 1)) - set(span))
        raise OppError("T_SPAN_GAP", missing=", ".join(map(str, missing)))
    return span


def spans(available: Sequence[int]) -> list[tuple[int, ...]]:
    """Every span of two or more consecutive campaign years, in a fixed order (the
    order in which samples are kept apart from each other)."""
    known = sorted(set(available))
    out = []
    for i, first in enumerate(known):
        for last in known[i + 1 :]:
            span = tuple(y for y in known if first <= y <= last)
            if span == tuple(range(first, last + 1)):
                out.append(span)
    return out


def panel_column(long: pl.DataFrame, span: tuple[int, ...], name: str = PANEL) -> pl.Expr:
    """'in' for the rows of structures contributing to their series every year of
    `span`, null otherwise."""
    del long
    years = pl.col("reference_year").filter(pl.col("reference_year").is_in(span)).n_unique()
    return (
        pl.when(years.over("series", "organisation_id") == len(span))
        .then(pl.lit(IN))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias(name)
    )


def constant_sample(
    store: Store | None,
    viewer: Viewer | None,
    indicator_id: str,
    years: Sequence[int],
    filters: Filters,
    *,
    frames: service.FrameSource | None = None,
    indicators: IndicatorCatalogue | None = None,
    policy: DisclosurePolicy | None = None,
    indicator: Indicator | None = None,
) -> Result:
    """One figure per year of the span for the structures that answered every year of
    it, published through the disclosure layer (see the module docstring). The table
    has the shape of a trend (`group` = the year). `indicator`: one built on the fly
    (the Explorer's), instead of `indicator_id` of the catalogue."""
    if frames is None:
        if store is None:
            raise OppError("RELEASE_NONE")
        from opp.indicators.frames import LazyFrames  # frames imports the service

        frames = LazyFrames(store, _surveys(), indicators or load_indicators())
    if indicator is None:
        catalogue = indicators or getattr(frames, "indicators", None) or load_indicators()
        indicator = catalogue.get(indicator_id)
    if viewer is None and indicator.domain not in service.PUBLIC_DOMAINS:
        raise OppError("AUTH_REQUIRED")
    if indicator.kind == "participation":
        raise OppError("T_NOT_FOLLOWED")
    service.check_filters(filters)
    if filters.territoire is not None:
        raise OppError("T_TERRITORY")
    scoped = service.scoped_filters(viewer, filters)
    available = frames.years()
    span = span_of(years, available)
    long = every_year(frames.for_indicator(indicator), indicator)
    if "organisation_id" not in long.columns or long.is_empty():
        return Result(indicator, scoped, "reference_year", _empty(), minimum=_minimum(indicator))
    others = [s for s in spans(available) if s != span]
    long = long.with_columns(
        panel_column(long, span),
        *(panel_column(long, s, f"{PANEL}{i}") for i, s in enumerate(others)),
    )
    long = with_families(long if _has_codes(long) else dimension_codes(long))
    answers = _answer_axes(frames, indicator, long)
    if answers:
        long = long.with_columns(answers.values())
    order = spans(available)
    earlier = (*family_axes(), *(AnswerAxis(q, known_axis(q).values) for q in answers))
    earlier += tuple(
        AnswerAxis(f"{PANEL}{i}", (IN,))
        for i, s in enumerate(others)
        if order.index(s) < order.index(span)
    )
    policy = policy or load_policy()
    tables = []
    refused = True
    for year in span:
        rows = long.filter(pl.col("reference_year") == year)
        published = _one_year(
            rows, indicator, replace(scoped, reference_year=year), policy, earlier
        )
        if published is None:
            continue
        refused = False
        tables.append(published)
    table = pl.concat(tables, how="diagonal_relaxed") if tables else _empty()
    result = Result(
        indicator,
        scoped,
        "reference_year",
        _same_size(table),
        refused=refused,
        minimum=_minimum(indicator),
        release=frames.release,
    )
    result.notes = [_note(result.table, span, indicator.audience)]
    return result


def _has_codes(frame: pl.DataFrame) -> bool:
    return all(c in frame.columns for c in _CODES)


def known_axis(question_id: str) -> AnswerAxis:
    return breakdowns.known()[question_id].axis


def _answer_axes(
    frames: service.FrameSource, indicator: Indicator, long: pl.DataFrame
) -> dict[str, pl.Series]:
    """The answers of the common core's breakdown questions on each row: the sample's
    cells are kept away from their cells too."""
    if not breakdowns.applies(indicator) or "_rid" not in long.columns:
        return {}
    out = {}
    for question_id, breakdown in breakdowns.known().items():
        try:
            column = frames.answer_column(question_id, breakdown.kind)
        except pl.exceptions.ColumnNotFoundError:
            continue  # not in these frames: no cell of it is published from them
        out[question_id] = column.cast(pl.String).gather(long["_rid"]).alias(question_id)
    return out


def _surveys() -> Any:
    from opp.questionnaire.catalogue import load_catalogue

    return load_catalogue()


def _minimum(indicator: Indicator) -> int:
    return indicator.disclosure.min_contributors


def _one_year(
    rows: pl.DataFrame,
    indicator: Indicator,
    filters: Filters,
    policy: DisclosurePolicy,
    earlier: tuple[AnswerAxis, ...],
) -> pl.DataFrame | None:
    """The sample's published cells of one year (None: the filter itself is refused)."""
    minimum = _minimum(indicator)
    chosen = _combo(filters.active())
    if chosen is None or not disclosure.permitted_combinations(_atoms(rows), minimum)[chosen]:
        return None
    axis = AnswerAxis(PANEL, (IN,))
    sample = restrict(rows, filters).filter(pl.col(PANEL) == IN)
    exact = cell_stats(sample, indicator, ["series"]) if sample.height else None
    series_of = {s.id: s for s in indicator.series}
    out: list[dict[str, Any]] = []
    for series_id in series_of:
        mine = rows.filter(pl.col("series") == series_id)
        found = exact.filter(pl.col("series") == series_id) if exact is not None else pl.DataFrame()
        row = found.row(0, named=True) if found.height else None
        reason = "min_contributors" if row is None else disclosure.cell_reason(row, indicator)
        if reason is None and not admitted(mine, chosen, axis, earlier, minimum):
            reason = "differencing"
        cell: dict[str, Any] = {
            "group": str(filters.reference_year),
            "series": series_id,
            "value": None,
            "contributors": None,
            "is_total": False,
            "secret": reason,
        }
        if indicator.kind in QUANTILE_KINDS:
            cell |= {"q1": None, "q3": None, "p10": None, "p90": None}
        if reason is None and row is not None:
            cell |= disclosure.publish_cell(row, indicator, series_of[series_id], policy)
        out.append(cell)
    table = pl.DataFrame(out)
    table = table.with_columns(
        pl.col("value").cast(pl.Float64),
        pl.col("contributors").cast(pl.Int64),
        pl.col("secret").cast(pl.String),
    )
    return _with_shares(table) if indicator.composition else table


def admitted(
    rows: pl.DataFrame,
    chosen: tuple[int, ...],
    axis: AnswerAxis,
    earlier: tuple[AnswerAxis, ...],
    minimum: int,
) -> bool:
    """Whether the sample's cell under the filters `chosen` may be published: admitted
    on the lattice of the year with the sample as an extra axis, and not close to an
    earlier span's sample."""
    permitted = disclosure.permitted_combinations(_atoms(rows, axis), minimum, extra_axis=True)
    return bool(permitted[(*chosen, 1)]) and not _near(rows, chosen, axis, earlier, minimum)


def _near(
    rows: pl.DataFrame,
    chosen: tuple[int, ...],
    axis: AnswerAxis,
    earlier: tuple[AnswerAxis, ...],
    minimum: int,
) -> bool:
    """Whether the sample's cell lies 1 … t−1 structures from a cell the sample of an
    earlier span may publish (`answer_lattice`)."""
    if not earlier:
        return False
    unit = unit_column(rows)
    units = rows.unique(subset=[unit], keep="first", maintain_order=True) if unit else rows

    def lattice(other: AnswerAxis) -> tuple[np.ndarray, np.ndarray]:
        return earlier_lattice(rows, other, minimum)

    close = answer_lattice.too_close(
        units, list(_CODES), chosen, axis, list(earlier), minimum, lattice
    )
    return IN in close


def _same_size(table: pl.DataFrame) -> pl.DataFrame:
    """One published size for the sample (the same structures every year): each
    series' latest published count, perturbed once, on every year's row."""
    if table.is_empty():
        return table
    latest = (
        table.filter(pl.col("contributors").is_not_null())
        .sort("group")
        .group_by("series", maintain_order=True)
        .agg(pl.col("contributors").last().alias("_size"))
    )
    return (
        table.join(latest, on="series", how="left")
        .with_columns(
            pl.when(pl.col("secret").is_null())
            .then(pl.col("_size"))
            .otherwise(None)
            .alias("contributors")
        )
        .drop("_size")
    )


# How the constant sample's note names its population (catalogue `trends.who.<audience>`).
WHO: Final = Vocabulary("trends.who", ("structure", "artiste"))


def _note(table: pl.DataFrame, span: tuple[int, ...], audience: str) -> dict[str, str]:
    first, last = span[0], span[-1]
    who = WHO.get(audience) or WHO["structure"]
    shown = table.filter(pl.col("contributors").is_not_null()) if table.height else table
    if shown.is_empty():
        return {
            lang: gettext("trends.sample_hidden", lang, first=first, last=last, who=who[lang])
            for lang in LANGUAGES
        }
    n = int(shown.select(pl.col("contributors").max()).item() or 0)
    return {
        lang: gettext("trends.sample", lang, n=n, first=first, last=last, who=who[lang])
        for lang in LANGUAGES
    }
