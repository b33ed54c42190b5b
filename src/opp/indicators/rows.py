"""What every figure of an indicator and year starts from: the rows the indicator is
about (its scope), one contribution per contributor and series, and the atoms — the
contributors of each cell of the full cross-classification of the filter dimensions —
that the differencing admits populations from (`disclosure.permitted_combinations`).

`year_rows` gives both for one campaign year, through the release's memo when the
frame source keeps one (`memo.py`): the same for every viewer, filter and breakdown.
Pure functions of data; `engine.py` turns them into published tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import polars as pl

from opp import geo
from opp.indicators.cells import once_per_unit, unit_column
from opp.indicators.memo import Memo
from opp.indicators.model import FILTER_DIMENSIONS, Indicator
from opp.indicators.population import UNIVERSE, AnswerAxis

# --- contributions: one value per contributor and series ----------------------------------


def _if_answered(
    frame: _Named, columns: list[str], combine: Callable[[list[pl.Expr]], pl.Expr]
) -> pl.Expr:
    """`combine` of the columns present (as numbers) where any was answered, else None."""
    present = [c for c in columns if c in frame.columns]
    if not present:
        return pl.lit(None, dtype=pl.Float64)
    exprs = [pl.col(c).cast(pl.Float64) for c in present]
    any_value = pl.any_horizontal([e.is_not_null() for e in exprs])
    return pl.when(any_value).then(combine(exprs)).otherwise(None)


def _sum_of(frame: _Named, columns: list[str]) -> pl.Expr:
    return _if_answered(frame, columns, pl.sum_horizontal)


def _count_positive(frame: _Named, columns: list[str]) -> pl.Expr:
    """Number of the columns above zero (e.g. income sources); None if none answered."""
    return _if_answered(
        frame,
        columns,
        lambda exprs: pl.sum_horizontal([(e > 0).fill_null(False).cast(pl.Float64) for e in exprs]),
    )


def _condition(frame: _Named, cond: Any) -> pl.Expr:
    col = pl.col(cond.question)
    if cond.question not in frame.columns:
        return pl.lit(None, dtype=pl.Float64)
    if cond.contains is not None:
        hit = col.list.contains(cond.contains)
    elif cond.one_of is not None:
        hit = col.cast(pl.String).is_in(cond.one_of)
    elif isinstance(cond.equals, bool):
        hit = col.cast(pl.Boolean) == cond.equals
    else:
        hit = col.cast(pl.String) == str(cond.equals)
    base = col.is_not_null()
    if cond.among is not None:
        base = base & col.cast(pl.String).is_in(cond.among)
    return pl.when(base).then(hit.cast(pl.Float64)).otherwise(None)


class _Named(Protocol):
    """What the expression builders read of a frame: its column names."""

    @property
    def columns(self) -> list[str]: ...


@dataclass(frozen=True)
class _Schema:
    columns: list[str]


def contributions(
    source: pl.DataFrame | pl.LazyFrame, indicator: Indicator, extra: tuple[str, ...] = ()
) -> pl.DataFrame:
    """Long frame: dimensions (and `extra` columns, e.g. a breakdown by answers) +
    `series`, `v` (and `num`/`den` for ratios)."""
    # A query plan (`compute`: the frame's scope and year still to filter) is run once,
    # with the contributions.
    frame: _Named = (
        source if isinstance(source, pl.DataFrame) else _Schema(source.collect_schema().names())
    )
    keep = [
        c
        for c in (
            "_rid",
            "_key",
            "response_id",
            "organisation_id",
            "reference_year",
            *FILTER_DIMENSIONS,
            *_CODES,
            *extra,
        )
        if c in frame.columns
    ]
    parts = []
    every = source.lazy()
    for position, series in enumerate(indicator.series):
        kind = indicator.kind
        lazy = every
        if series.where is not None:  # only the contributors meeting its condition
            lazy = every.filter(_condition(frame, series.where) == 1.0)
        if series.count_positive:
            part = lazy.select(*keep, _count_positive(frame, series.count_positive).alias("v"))
        elif kind in ("sum", "mean", "median", "quartiles", "items_quartiles"):
            columns = series.questions or ([series.question] if series.question else [])
            part = lazy.select(*keep, _sum_of(frame, columns).alias("v"))
        elif kind in ("ratio", "gap"):
            if kind == "ratio":
                top, bottom = series.numerator or [], series.denominator or []
            else:
                top, bottom = [series.reference or ""], [series.compared or ""]
            part = (
                lazy.select(
                    *keep, _sum_of(frame, top).alias("num"), _sum_of(frame, bottom).alias("den")
                )
                .filter(pl.col("num").is_not_null() & pl.col("den").is_not_null())
                .filter((pl.col("den") if kind == "ratio" else pl.col("num")) > 0)
                .with_columns(pl.col("num").alias("v"))
            )
        elif kind == "contributors_share":
            part = lazy.select(*keep, _condition(frame, series.condition).alias("v"))
        elif kind == "items_count":
            category = _category(frame, series.group_by, series.group_as)
            part = lazy.select(*keep, pl.lit(1.0).alias("v"), category.alias("category"))
            if series.group_by:
                # Items without a category are outside this geography (e.g. in Occitanie
                # for the map of other regions); the published categories form a whole.
                part = part.filter(pl.col("category").is_not_null())
        else:  # participation
            part = lazy.select(*keep, pl.col("submitted").cast(pl.Float64).alias("v"))
        parts.append(
            part.filter(pl.col("v").is_not_null()).with_columns(
                pl.lit(series.id).alias("series"),
                # Its position among the indicator's series: what counting and grouping
                # use (a small integer groups and scatters faster than a string).
                pl.lit(position, dtype=pl.UInt8).alias("_series"),
            )
        )
    # One plan for all series: Polars computes them in parallel.
    return pl.concat(parts, how="diagonal_relaxed").collect()


def _category(frame: _Named, column: str | None, group_as: str | None) -> pl.Expr:
    if column is None or column not in frame.columns:
        return pl.lit(None, dtype=pl.String)
    col = pl.col(column).cast(pl.String)
    if group_as == "departement":
        mapping = {code: c.departement for code, c in geo.communes().items()}
        return col.replace_strict(mapping, default=None, return_dtype=pl.String)
    if group_as == "month":  # an ISO date's month, "01" … "12" (seasons of performances)
        return col.str.slice(5, 2)
    if group_as == "place_scope":
        return (
            pl.when(col.str.starts_with("FR-")).then(pl.lit("region")).otherwise(pl.lit("abroad"))
        )
    return col


# --- the whole computation ----------------------------------------------------------------


def dimension_codes(frame: pl.DataFrame) -> pl.DataFrame:
    """Add integer codes of the filter dimensions (positions in UNIVERSE; -1 unknown).

    Computed once per analytical frame, so each indicator's atom counts are cheap.
    """
    codes = []
    for d, values in UNIVERSE.items():
        if d not in frame.columns:
            continue
        known = {v: i for i, v in enumerate(values) if v is not None}
        missing = values.index(None) if None in values else -1
        codes.append(
            pl.col(d)
            .cast(pl.String)
            .replace_strict(known, default=missing, return_dtype=pl.Int16)
            .alias(f"_code_{d}")
        )
    return frame.with_columns(codes)


_CODES = tuple(f"_code_{d}" for d in FILTER_DIMENSIONS)


def _atoms(
    long: pl.DataFrame,
    axis: AnswerAxis | None = None,
    *,
    one_row_each: bool = False,
    series: tuple[str, ...] = (),
) -> np.ndarray:
    """Contributors per cell of the full cross-classification of the filter dimensions
    (and of the answers of `axis`: its last axis, blank answers last). `one_row_each`:
    the caller knows each contributor has one row (`_one_row_each`), so the rows are
    not deduplicated (that was most of the atoms' time). `series`: one table per series
    (a first axis, in this order), all counted in one pass."""
    shape = tuple(len(v) for v in UNIVERSE.values())
    if axis is not None:
        shape = (*shape, len(axis.values) + 1)
    if series:
        shape = (len(series), *shape)
    atoms = np.zeros(shape, dtype=np.int64)
    if long.is_empty():
        return atoms
    if not all(c in long.columns for c in _CODES):
        long = dimension_codes(long)
    codes = list(_CODES)
    if series:
        long = long.with_columns(_series_position(long, series).alias("_code_series"))
        codes.insert(0, "_code_series")
    if axis is not None:
        known = {v: i for i, v in enumerate(axis.values)}
        long = long.with_columns(
            pl.col(axis.column)
            .cast(pl.String)
            .replace_strict(known, default=len(axis.values), return_dtype=pl.Int16)
            .alias("_code_answer")
        )
        codes.append("_code_answer")
    flat = _flat_cell(codes, shape)
    unit = None if one_row_each else unit_column(long)
    if unit == "_rid" and not series:
        # A contributor's codes are the same on all its rows (series, items): one cell
        # each, by its row number in the release's responses (no hashing).
        rows = long.select(flat, pl.col("_rid"))
        rid = rows["_rid"].to_numpy()
        by_rid = np.full(int(rid.max()) + 1, -1, dtype=np.int64)
        by_rid[rid] = rows["_cell"].to_numpy()
        cells = by_rid
    elif unit:
        subset = [unit, *(["_code_series"] if series else [])]
        distinct = long.select(flat, *subset).unique(subset=subset, keep="any")
        cells = distinct["_cell"].to_numpy()
    else:
        cells = long.select(flat)["_cell"].to_numpy()
    cells = cells[cells >= 0]
    return np.bincount(cells, minlength=atoms.size).astype(np.int64).reshape(shape)


def _flat_cell(codes: list[str], shape: tuple[int, ...]) -> pl.Expr:
    """Each row's cell as one flat index (row-major, like `np.ravel_multi_index`), -1
    when a dimension is unknown: computed by Polars, counted by `np.bincount`."""
    strides = np.cumprod((1, *shape[:0:-1]))[::-1]
    flat = pl.sum_horizontal(
        [pl.col(c).cast(pl.Int64) * int(step) for c, step in zip(codes, strides, strict=True)]
    )
    valid = pl.all_horizontal([pl.col(c) >= 0 for c in codes])
    return pl.when(valid).then(flat).otherwise(-1).alias("_cell")


def _year_atoms(year: pl.DataFrame, indicator: Indicator) -> tuple[np.ndarray, np.ndarray | None]:
    """A year's atoms (`_atoms`) and, for an indicator of several series, each series'
    (`_atoms(series=…)`), from one pass over the contributions when each contributor
    has one row per series (else None: `_permitted_by_series` counts them)."""
    ids = tuple(s.id for s in indicator.series)
    if len(ids) == 1 or not once_per_unit(indicator) or "_rid" not in year.columns:
        return _atoms(year, one_row_each=_one_row_each(indicator)), None
    shape = tuple(len(v) for v in UNIVERSE.values())
    size = int(np.prod(shape))
    if year.is_empty():
        return np.zeros(shape, dtype=np.int64), np.zeros((len(ids), *shape), dtype=np.int64)
    if not all(c in year.columns for c in _CODES):
        year = dimension_codes(year)
    rows = year.select(
        _flat_cell(list(_CODES), shape),
        _series_position(year, ids).cast(pl.Int64).alias("_series"),
        "_rid",
    )
    cell, series, rid = (rows[c].to_numpy() for c in ("_cell", "_series", "_rid"))
    counted = (cell >= 0) & (series >= 0)
    by_series = np.bincount(series[counted] * size + cell[counted], minlength=len(ids) * size)
    by_rid = np.full(int(rid.max()) + 1, -1, dtype=np.int64)
    by_rid[rid[series >= 0]] = cell[series >= 0]
    whole = np.bincount(by_rid[by_rid >= 0], minlength=size)
    return (
        whole.astype(np.int64).reshape(shape),
        by_series.astype(np.int64).reshape((len(ids), *shape)),
    )


def _series_position(long: pl.DataFrame, series: tuple[str, ...]) -> pl.Expr:
    """Each row's position in `series` (-1 for another series). Callers pass the series
    of the indicator whose contributions these are, in its order: the `_series` column
    `contributions` wrote is then that position; a frame without it is looked up by id."""
    if "_series" in long.columns and long.schema["_series"] == pl.UInt8:
        return pl.col("_series").cast(pl.Int16)
    return pl.col("series").replace_strict(
        {s: i for i, s in enumerate(series)}, default=-1, return_dtype=pl.Int16
    )


def _one_row_each(indicator: Indicator, one_series: bool = False) -> bool:
    """Whether contributions have one row per contributor: one per series and
    contributor (`cells.once_per_unit`), for one series (or a frame of one series)."""
    return once_per_unit(indicator) and (one_series or len(indicator.series) == 1)


@dataclass(frozen=True)
class YearRows:
    """An indicator's contributions of one campaign year and their atom counts
    (`_year_atoms`): what every figure of that indicator and year starts from."""

    long: pl.DataFrame
    atoms: np.ndarray
    series_atoms: np.ndarray | None

    def size(self) -> int:
        extra = self.series_atoms.nbytes if self.series_atoms is not None else 0
        return int(self.long.estimated_size()) + self.atoms.nbytes + extra


def year_rows(
    frame: pl.DataFrame, indicator: Indicator, year: int, memo: Memo[YearRows] | None = None
) -> YearRows:
    """The indicator's `YearRows` of `year`, from `memo` when it holds them (`memo.py`:
    the same for every viewer, filter and breakdown)."""
    key = (indicator.model_dump_json(), year)
    found = memo.get(key) if memo is not None else None
    if found is not None:
        return found
    needed = [c for c in dict.fromkeys((*_KEYS, *_columns(indicator))) if c in frame.columns]
    if "_rid" in needed:  # the contributor's row number: the string ids are not needed
        needed = [c for c in needed if c not in ("response_id", "organisation_id")]
    # Columns, scope and year filtered as the contributions are computed, in one query.
    rows = (
        frame.lazy()
        .select(needed)
        .filter(scope_predicate(needed, indicator) & (pl.col("reference_year") == year))
    )
    long = contributions(rows, indicator)
    atoms, series_atoms = _year_atoms(long, indicator)
    for counts in (atoms, series_atoms):
        if counts is not None:  # shared by every viewer's computation: never changed
            counts.setflags(write=False)
    found = YearRows(long, atoms, series_atoms)
    if memo is not None:
        memo.put(key, found, found.size())
    return found


def every_year(frame: pl.DataFrame, indicator: Indicator) -> pl.DataFrame:
    """The contributions of every campaign year of a frame (constant samples follow the
    same contributors across years: `trends.py`)."""
    needed = [c for c in dict.fromkeys((*_KEYS, *_columns(indicator))) if c in frame.columns]
    return contributions(scope_frame(frame.select(needed), indicator), indicator)


_KEYS = (
    "_rid",
    "_key",
    "response_id",
    "organisation_id",
    "reference_year",
    *FILTER_DIMENSIONS,
    *_CODES,
    "submitted",
)


def _columns(indicator: Indicator) -> list[str]:
    out = list(indicator.used_questions())
    out += [s.group_by for s in indicator.series if s.group_by]
    return out


def scope_frame(frame: pl.DataFrame, indicator: Indicator) -> pl.DataFrame:
    """The rows an indicator is about: artists or structures, and its filières."""
    return frame.filter(scope_predicate(frame.columns, indicator))


def scope_predicate(columns: list[str], indicator: Indicator) -> pl.Expr:
    """`scope_frame`'s condition, for a query plan (a row with an unknown organisation
    type is in no scope)."""
    condition = pl.lit(True)
    if "structure_type" in columns:
        artist = pl.col("structure_type") == "artiste"
        condition = condition & (artist if indicator.audience == "artiste" else ~artist)
    if indicator.filieres:
        condition = condition & pl.col("filiere").is_in(indicator.filieres)
    return condition
