"""Differencing across breakdowns by answers.

Each question of the common core used as a breakdown is an extra axis of the
differencing lattice (`engine.AnswerAxis`): its cells are admitted against the filter
populations and against each other. Cells of two *different* questions can still be
close (the associations of a département and its structures under one collective
agreement may differ by one structure), and the difference of two published figures
one structure apart comes close to that structure's value. So a cell of a question is
also withheld when it is within the threshold of a cell that an *earlier* question
(in the common core's order) may publish: of any two published cells of two questions,
the later one was checked against the earlier one. Computed on the contributors of the
year, in numpy; the earlier questions' lattices are the ones they publish with.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl

Lattice = Callable[[Any], tuple[np.ndarray, np.ndarray]]  # axis → (permitted, counts)


def _positions(units: pl.DataFrame, axis: Any) -> np.ndarray:
    """Each contributor's position on the axis (1 … k, k + 1 for a blank answer)."""
    known = {v: i + 1 for i, v in enumerate(axis.values)}
    return (
        units[axis.column]
        .cast(pl.String)
        .replace_strict(known, default=len(axis.values) + 1, return_dtype=pl.Int64)
        .fill_null(len(axis.values) + 1)
        .to_numpy()
    )


def too_close(
    units: pl.DataFrame,
    codes: list[str],
    chosen: tuple[int, ...],
    axis: Any,
    earlier: list[Any],
    minimum: int,
    lattice: Lattice,
) -> set[str | None]:
    """Values of `axis` whose cell under the filters `chosen` (a filter combination,
    0 = all) lies 1 … minimum-1 contributors away from a cell an earlier question may
    publish. `units`: one row per contributor with the dimension `codes` and the
    answer columns."""
    if units.is_empty() or not earlier:
        return set()
    dims = units.select(codes).to_numpy().astype(np.int64)  # n × 4, -1 unknown
    known_dims = (dims >= 0).all(axis=1)
    inside = known_dims.copy()
    for d, position in enumerate(chosen):
        if position:
            inside &= dims[:, d] == position - 1
    mine = _positions(units, axis)
    hidden: set[str | None] = set()
    others = [(other, _positions(units, other), *lattice(other)) for other in earlier]
    for value in (*axis.values, None):
        cell = inside & (mine == axis.position(value))
        size = int(cell.sum())
        if size < minimum:
            continue
        for _other, theirs, permitted, counts in others:
            near = permitted & (np.abs(counts - size) < minimum)
            near[..., 0] = False  # filter populations: the question's own lattice
            combos = np.argwhere(near)
            if combos.size == 0:
                continue
            match = np.ones((combos.shape[0], dims.shape[0]), dtype=bool) & known_dims
            for d in range(dims.shape[1]):
                wanted = combos[:, d][:, None]
                match &= (wanted == 0) | (dims[:, d][None, :] == wanted - 1)
            match &= theirs[None, :] == combos[:, -1][:, None]
            together = (match & cell[None, :]).sum(axis=1)
            distance = size + match.sum(axis=1) - 2 * together
            if np.any((distance >= 1) & (distance < minimum)):
                hidden.add(value)
                break
    return hidden
