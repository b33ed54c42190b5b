"""Statistical confidentiality: no published figure may reveal one contributor.

The rules of the design brief, as pure functions (no data access):

1. **Minimum contributors** per published cell: 3 by default, 5 for pay, small gender
   groups and quantiles (`Indicator.disclosure`).
2. **Dominance** for sums of money: a cell whose two largest contributors make 85 % or
   more of its total is hidden.
3. **Secondary suppression**: when a cell of a table is hidden and totals are shown,
   more cells are hidden until no hidden cell can be recovered by subtraction — checked
   exactly with linear algebra over the table's additive constraints.
4. **Differencing between populations** (the complement rule, generalised): every
   population a figure can be published for — a filter combination, or a cell of a
   breakdown, which is the same thing — must differ from every other publishable
   population by 0 or at least `t` contributors. Populations are admitted greedily
   from the largest, so "all structures" is kept and a filter that leaves out fewer
   than `t` contributors is refused.

A hidden cell is shown as "secret statistique" with its reason, never as 0.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

REASONS: dict[str, dict[str, str]] = {
    "min_contributors": {
        "fr": "secret statistique : moins de {n} contributeurs",
        "en": "statistical confidentiality: fewer than {n} contributors",
    },
    "dominance": {
        "fr": "secret statistique : deux contributeurs font au moins {p} % du total",
        "en": "statistical confidentiality: two contributors make {p}% or more of the total",
    },
    "secondary": {
        "fr": "secret statistique : masqué pour protéger une autre case",
        "en": "statistical confidentiality: hidden to protect another cell",
    },
    "differencing": {
        "fr": "secret statistique : trop proche d'une autre population publiée",
        "en": "statistical confidentiality: too close to another published population",
    },
}
FILTER_REFUSED: dict[str, str] = {
    "fr": (
        "Ce filtre est refusé : il isolerait moins de {n} contributeurs par rapport à une "
        "autre sélection (secret statistique). Élargissez la sélection, par exemple en "
        "retirant un critère."
    ),
    "en": (
        "This filter is refused: it would isolate fewer than {n} contributors compared "
        "with another selection (statistical confidentiality). Widen the selection, for "
        "example by removing one criterion."
    ),
}


def reason_text(reason: str | None, lang: str = "fr", minimum: int = 3, share: float = 0.85):
    """Readable reason of a hidden cell ('' for a published one)."""
    if reason is None:
        return ""
    template = REASONS[reason].get(lang) or REASONS[reason]["fr"]
    return template.format(n=minimum, p=round(share * 100))


# --- rules 1 and 2: one cell --------------------------------------------------------------


def primary_reason(
    contributors: int,
    top_two: float | None,
    total_abs: float | None,
    *,
    minimum: int,
    dominance: float | None,
) -> str | None:
    """Why a cell must be hidden on its own, or None if it may be published."""
    if contributors < minimum:
        return "min_contributors"
    dominated = dominance is not None and top_two is not None and bool(total_abs)
    if dominated and top_two >= dominance * total_abs:
        return "dominance"
    return None


# --- rule 3: secondary suppression within one table ---------------------------------------

CellId = Hashable


@dataclass
class Table:
    """Cells and additive constraints `total = sum(members)` between them."""

    cells: list[CellId]
    lines: list[tuple[CellId, list[CellId]]] = field(default_factory=list)

    def matrix(self) -> np.ndarray:
        index = {c: i for i, c in enumerate(self.cells)}
        rows = []
        for total, members in self.lines:
            row = np.zeros(len(self.cells))
            row[index[total]] = 1.0
            for member in members:
                row[index[member]] -= 1.0
            rows.append(row)
        return np.array(rows) if rows else np.zeros((0, len(self.cells)))


def recoverable(table: Table, hidden: set[CellId]) -> list[CellId]:
    """Hidden cells whose value follows from the published ones and the constraints.

    With the published cells known, the constraints restricted to hidden cells are
    `A_H x_H = b`; a hidden cell is determined iff its unit vector lies in the row
    space of `A_H`, i.e. adding it does not raise the rank.
    """
    if not hidden or not table.lines:
        return []
    matrix = table.matrix()
    columns = [i for i, c in enumerate(table.cells) if c in hidden]
    sub = matrix[:, columns]
    sub = sub[np.any(sub != 0, axis=1)]
    if sub.size == 0:
        return []
    rank = np.linalg.matrix_rank(sub)
    found = []
    for position, column in enumerate(columns):
        unit = np.zeros((1, len(columns)))
        unit[0, position] = 1.0
        if np.linalg.matrix_rank(np.vstack([sub, unit])) == rank:
            found.append(table.cells[column])
    return found


def secondary_suppression(
    table: Table,
    hidden: set[CellId],
    cost: dict[CellId, float],
    fixed: set[CellId] | None = None,
) -> set[CellId]:
    """Cells to hide in addition to `hidden` so that none of them can be recovered.

    Greedy: while some hidden cell is recoverable, hide the cheapest published cell of a
    constraint line containing it (member cells before totals). `fixed` cells are known
    anyway (published by another figure) and are never chosen. Always terminates: in the
    worst case every other cell of the lines is hidden.
    """
    fixed = fixed or set()
    extra: set[CellId] = set()
    current = set(hidden)
    totals = {total for total, _ in table.lines}
    for _ in range(len(table.cells) + 1):
        exposed = recoverable(table, current)
        if not exposed:
            return extra
        target = exposed[0]
        candidates: list[CellId] = []
        for total, members in table.lines:
            line = [total, *members]
            if target in line:
                candidates += [c for c in line if c not in current and c not in fixed]
        if not candidates:  # cannot happen while the cell is recoverable; keep it safe
            break
        best = min(candidates, key=lambda c: (c in totals, cost.get(c, 0.0), str(c)))
        current.add(best)
        extra.add(best)
    return extra


# --- rule 4: differencing between populations ---------------------------------------------


def combo_counts(atoms: np.ndarray) -> np.ndarray:
    """Counts of every filter combination: index 0 of each axis means "all values"."""
    counts = atoms.astype(np.int64)
    for axis in range(counts.ndim):
        counts = np.concatenate([counts.sum(axis=axis, keepdims=True), counts], axis=axis)
    return counts


def _meet(candidate: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Intersection of a combination with others (per axis); `conflict` if disjoint."""
    meet = np.where(candidate == 0, others, candidate)
    conflict = np.any((candidate != 0) & (others != 0) & (others != candidate), axis=1)
    return meet, conflict


def permitted_combinations(atoms: np.ndarray, minimum: int) -> np.ndarray:
    """Boolean array over `combo_counts(atoms)`: populations that may be published.

    Greedy from the largest population (coarser first on ties): a population is admitted
    if it has at least `minimum` contributors and differs from every population admitted
    before by 0 or at least `minimum` contributors. Hence no two admitted populations
    differ by 1 … minimum-1 contributors.
    """
    return _permitted_cached(atoms.astype(np.int64).tobytes(), atoms.shape, minimum).copy()


@lru_cache(maxsize=16)
def _all_combinations(shape: tuple[int, ...]) -> np.ndarray:
    return np.array(list(np.ndindex(shape)), dtype=np.int64).reshape(-1, len(shape))


@lru_cache(maxsize=256)
def _permitted_cached(raw: bytes, shape: tuple[int, ...], minimum: int) -> np.ndarray:
    atoms = np.frombuffer(raw, dtype=np.int64).reshape(shape)
    counts = combo_counts(atoms)
    flat = counts.reshape(-1)
    combos = _all_combinations(counts.shape)
    constraints = (combos != 0).sum(axis=1)
    order = np.lexsort((constraints, -flat))
    allowed = np.zeros(flat.shape, dtype=bool)
    sizes: list[int] = []  # admitted populations, ascending size (for the window search)
    members: list[int] = []
    for k in order:
        size = int(flat[k])
        if size < minimum:
            break
        # Only populations whose size is within `minimum` can be that close.
        hi = bisect.bisect_left(sizes, size + minimum)
        lo = bisect.bisect_left(sizes, size - minimum + 1)
        if hi > lo:
            window = np.array(members[lo:hi])
            meet, conflict = _meet(combos[k], combos[window])
            inter = np.where(conflict, 0, counts[tuple(meet.T)])
            distance = size + flat[window] - 2 * inter
            if np.any((distance >= 1) & (distance < minimum)):
                continue
        allowed[k] = True
        position = bisect.bisect_left(sizes, size)
        sizes.insert(position, size)
        members.insert(position, int(k))
    return allowed.reshape(counts.shape)
