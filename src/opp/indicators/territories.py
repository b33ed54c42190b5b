"""Groupings of départements inside the differencing rule.

A grouping (`geo.groupings`, declared in `data/geo/territoires.yaml`: a former region,
the départements without a métropole…) is one more population of the lattice: as a
filter ("Territoire") with any values of the other filters, and as a cell of a breakdown
by a family of groupings. A grouping and its départements are *linked tables*: the
grouping's figure minus the published figures of its départements is the figure of its
hidden départements. So a grouping population is admitted, after every filter
combination of the ordinary lattice (which a grouping never changes: a filter is refused
or not whatever groupings exist), only if

1. it has at least `minimum` contributors;
2. it differs from every admitted population (filter combinations, and groupings
   admitted before it, largest first) by 0 or at least `minimum` contributors — the
   intersection of a grouping with another population is computed on the départements
   they share;
3. its hidden part — the contributors of its départements whose own population (same
   other filters) is not admitted — is 0 or at least `minimum` contributors: "grouping
   minus its published départements" never isolates 1 … minimum-1 structures.

So a rural territory's figure is published when its départements alone cannot be, and
never when it would give away one hidden département. Pure numpy on the atom counts of
`rows._atoms`; cached on those counts.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np

from opp import geo
from opp.indicators import disclosure

DEPARTEMENT_AXIS = 1  # position of the département in `population.UNIVERSE`


@cache
def grouping_ids() -> tuple[str, ...]:
    return tuple(geo.groupings())


@cache
def _masks() -> np.ndarray:
    """(groupings × départements) membership, départements in `geo.DEPARTEMENTS` order."""
    codes = list(geo.DEPARTEMENTS)
    out = np.zeros((len(grouping_ids()), len(codes)), dtype=bool)
    for g, grouping in enumerate(geo.groupings().values()):
        for code in grouping.departements:
            out[g, codes.index(code)] = True
    return out


def family_mapping(family_id: str) -> dict[str, str]:
    """Département → grouping of one family (the breakdown column)."""
    family = geo.grouping_family(family_id)
    if family is None:
        return {}
    return {d: g.id for g in family.groupings for d in g.departements}


def is_family(breakdown: str | None) -> bool:
    return breakdown is not None and geo.grouping_family(breakdown) is not None


def permitted(atoms: np.ndarray, minimum: int, *, linked: bool = True) -> np.ndarray:
    """Boolean array (groupings, *other filter axes with 0 = all*): the grouping
    populations that may be published (see the module docstring). `linked=False` drops
    rule 3 (the attack tests' control only)."""
    masks = _masks()
    return _permitted_cached(
        atoms.astype(np.int64).tobytes(),
        atoms.shape,
        minimum,
        masks.tobytes(),
        masks.shape,
        linked,
    ).copy()


@lru_cache(maxsize=256)
def _permitted_cached(
    raw: bytes,
    shape: tuple[int, ...],
    minimum: int,
    raw_masks: bytes,
    mask_shape: tuple[int, int],
    linked: bool = True,
) -> np.ndarray:
    atoms = np.frombuffer(raw, dtype=np.int64).reshape(shape)
    masks = np.frombuffer(raw_masks, dtype=bool).reshape(mask_shape)
    base = disclosure.permitted_combinations(atoms, minimum)
    counts = disclosure.combo_counts(atoms)
    # Département last: per_dept[f, t, s, d] (other axes keep 0 = "all").
    per_dept = np.moveaxis(counts, DEPARTEMENT_AXIS, -1)[..., 1:]
    admitted_dept = np.moveaxis(base, DEPARTEMENT_AXIS, -1)
    n_dept = per_dept.shape[-1]
    group_counts = np.einsum("...d,gd->g...", per_dept, masks.astype(np.int64))
    hidden = np.einsum("...d,gd->g...", per_dept * ~admitted_dept[..., 1:], masks.astype(np.int64))

    # Admitted populations so far: other-axes combination + mask of départements + size.
    combos: list[tuple[int, ...]] = []
    territory: list[np.ndarray] = []
    sizes: list[int] = []
    everywhere = np.ones(n_dept, dtype=bool)
    for index in zip(*np.nonzero(admitted_dept), strict=True):
        *rest, d = (int(i) for i in index)
        mask = everywhere if d == 0 else np.eye(n_dept, dtype=bool)[d - 1]
        combos.append(tuple(rest))
        territory.append(mask)
        sizes.append(int(np.moveaxis(counts, DEPARTEMENT_AXIS, -1)[index]))
    by_size: dict[int, list[int]] = {}
    for position, size in enumerate(sizes):
        by_size.setdefault(size, []).append(position)

    allowed = np.zeros(group_counts.shape, dtype=bool)
    candidates = np.argwhere(group_counts >= minimum)
    order = np.lexsort(((candidates[:, 1:] != 0).sum(axis=1), -group_counts[tuple(candidates.T)]))
    for g, *rest in candidates[order].tolist():
        size = int(group_counts[(g, *rest)])
        residual = int(hidden[(g, *rest)])
        if linked and 0 < residual < minimum:
            continue
        window = [p for s in range(size - minimum + 1, size + minimum) for p in by_size.get(s, ())]
        if window and _too_close(
            rest, masks[g], size, window, combos, territory, sizes, per_dept, minimum
        ):
            continue
        allowed[(g, *rest)] = True
        combos.append(tuple(rest))
        territory.append(masks[g])
        sizes.append(size)
        by_size.setdefault(size, []).append(len(sizes) - 1)
    return allowed


def _too_close(
    rest: list[int],
    mask: np.ndarray,
    size: int,
    window: list[int],
    combos: list[tuple[int, ...]],
    territory: list[np.ndarray],
    sizes: list[int],
    per_dept: np.ndarray,
    minimum: int,
) -> bool:
    """Whether a population (other axes `rest`, départements `mask`) lies 1 … minimum-1
    contributors from one of the admitted populations of `window`."""
    mine = np.array(rest, dtype=np.int64)
    theirs = np.array([combos[p] for p in window], dtype=np.int64)
    meet = np.where(mine == 0, theirs, mine)
    conflict = np.any((mine != 0) & (theirs != 0) & (theirs != mine), axis=1)
    shared = np.array([territory[p] for p in window]) & mask
    per = per_dept[tuple(meet.T)]  # (window, départements)
    inter = np.where(conflict, 0, (per * shared).sum(axis=1))
    distance = size + np.array([sizes[p] for p in window]) - 2 * inter
    return bool(np.any((distance >= 1) & (distance < minimum)))


def allowed(permitted_groupings: np.ndarray, grouping: str, rest: tuple[int, ...]) -> bool:
    """Whether the grouping population under the other filters `rest` (positions of
    filière, type, size; 0 = all) is admitted."""
    ids = grouping_ids()
    if grouping not in ids:
        return False
    return bool(permitted_groupings[(ids.index(grouping), *rest)])


def without_departement(combo: tuple[int, ...]) -> tuple[int, ...]:
    """A filter combination's positions on the axes other than the département."""
    return combo[:DEPARTEMENT_AXIS] + combo[DEPARTEMENT_AXIS + 1 :]
