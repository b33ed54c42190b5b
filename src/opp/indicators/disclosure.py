"""Statistical confidentiality: what may be published of each cell, and how.

Every published number leaves the indicators package through `publish_cell`, computed
from a frozen release (`store/releases.py`), whatever asks for it. Four layers:

1. **Primary rules**, cell by cell: at least 3 contributors (5 for pay, gender groups,
   individual artists and quantiles); for money magnitudes, **dominance** (the two
   largest contributors make 85 % or more of the cell) and the **p % rule** (the rest
   of the cell is less than 10 % of the largest contribution, so the second largest
   contributor could estimate the largest to within 10 %). A hidden cell says why.
2. **Differencing between populations**: every population a figure can be published
   for (a filter combination, or a cell of a breakdown) must differ from every other
   publishable one by 0 or at least `t` contributors, checked for each series (a series
   whose optional question some left blank has its own, smaller population). Populations
   are admitted greedily from the largest, so "all structures" always stays.
3. **Perturbation** by the cell key method (`perturbation.py`): every published value,
   contributor count, share and quantile carries deterministic noise derived from its
   contributors' record keys, magnitudes in proportion to their largest contributors.
   Differences of cells, and systems of equations over many tables, give noisy values.
4. **Releases**: figures change only from one numbered release to the next, never with
   a submission, a correction or an erasure.

Parameters: `surveys/policy/disclosure.yaml` (`policy.py`).
"""

from __future__ import annotations

import bisect
import math
from functools import lru_cache
from typing import Any

import numpy as np

from opp.i18n import gettext
from opp.indicators import admitted
from opp.indicators import perturbation as noise
from opp.indicators.model import QUANTILE_KINDS, Indicator, Series
from opp.indicators.policy import DisclosurePolicy

WHISKER_MINIMUM = 10  # deciles only where 10 % of the contributors is a whole contributor

# Texts: `secret.reason.<reason>`, `secret.filter_refused`, `secret.perturbed` in the
# gettext catalogues (opp.i18n).
REASONS = ("min_contributors", "dominance", "p_percent", "differencing")


def filter_refused_text(lang: str, minimum: int) -> str:
    """Why a filter is refused (it would isolate fewer than `minimum` contributors)."""
    return gettext("secret.filter_refused", lang, n=minimum)


def perturbed_text(lang: str) -> str:
    """That published values are slightly perturbed (said wherever figures are shown)."""
    return gettext("secret.perturbed", lang)


def reason_text(
    reason: str | None,
    lang: str = "fr",
    minimum: int = 3,
    share: float = 0.85,
    p_percent: float = 0.10,
) -> str:
    """Readable reason of a hidden cell ('' for a published one)."""
    if reason is None:
        return ""
    return gettext(
        f"secret.reason.{reason}",
        lang,
        n=minimum,
        p=round(share * 100),
        q=round(p_percent * 100),
    )


# --- layer 1: one cell --------------------------------------------------------------------


def primary_reason(
    contributors: int,
    largest: float,
    second: float,
    total_abs: float,
    *,
    minimum: int,
    dominance: float | None,
    p_percent: float | None,
) -> str | None:
    """Why a cell must be hidden on its own, or None if it may be published."""
    if contributors < minimum:
        return "min_contributors"
    if total_abs > 0 and dominance is not None and largest + second >= dominance * total_abs:
        return "dominance"
    if (
        total_abs > 0
        and p_percent is not None
        and total_abs - largest - second < p_percent * largest
    ):
        return "p_percent"
    return None


def _magnitude_reason(row: dict[str, Any], indicator: Indicator, prefix: str) -> str | None:
    rule = indicator.disclosure
    return primary_reason(
        int(row["n"]),
        float(row[f"{prefix}t1"]),
        float(row[f"{prefix}t2"]),
        float(row[f"{prefix}abs"]),
        minimum=rule.min_contributors,
        dominance=rule.dominance,
        p_percent=rule.p_percent,
    )


def cell_reason(row: dict[str, Any], indicator: Indicator) -> str | None:
    """Primary rules on a cell's exact statistics (`cells.cell_stats`)."""
    kind = indicator.kind
    if kind in ("ratio", "gap"):
        return _magnitude_reason(row, indicator, "num_") or _magnitude_reason(
            row, indicator, "den_"
        )
    if kind in QUANTILE_KINDS or kind in ("contributors_share", "participation"):
        minimum = indicator.disclosure.min_contributors
        if kind in QUANTILE_KINDS and row.get("q2") is None:
            return "min_contributors"  # no value to take quantiles of: nobody in the cell
        return "min_contributors" if int(row["n"]) < minimum else None
    return _magnitude_reason(row, indicator, "")


# --- layer 3: the published values of a cell ----------------------------------------------


def _perturbed_sum(
    row: dict[str, Any], key: str, purpose: str, prefix: str, policy: DisclosurePolicy
) -> float:
    value = float(row[key]) + noise.magnitude_noise(
        int(row["ck"]),
        int(row.get(f"{prefix}k1") or 0),
        purpose,
        float(row[f"{prefix}t1"]),
        float(row[f"{prefix}t2"]),
        policy.perturbation.magnitude,
    )
    # Reflected, not clamped, when no contribution is negative: a clamped 0 would be
    # exact whenever the noise pointed below zero.
    return value if row.get(f"{prefix}neg") else abs(value)


def _published_count(row: dict[str, Any], purpose: str, policy: DisclosurePolicy) -> int:
    return int(row["n"]) + noise.count_noise(int(row["ck"]), purpose, policy.perturbation.counts)


def publish_cell(
    row: dict[str, Any],
    indicator: Indicator,
    series: Series,
    policy: DisclosurePolicy,
) -> dict[str, Any]:
    """The published figures of one cell (value, contributors, quantiles) from its exact
    statistics: perturbed by the cell key method, never the exact aggregate."""
    kind = indicator.kind
    place = str(row.get("category"))
    signature = f"{noise.series_signature(indicator, series)}|{place}"
    minimum = indicator.disclosure.min_contributors
    shown: dict[str, Any] = {
        "contributors": max(_published_count(row, "contributors", policy), minimum)
    }
    if kind in ("sum", "items_count"):
        shown["value"] = _perturbed_sum(row, "s", signature, "", policy)
    elif kind == "mean":
        shown["value"] = _perturbed_sum(row, "s", signature, "", policy) / int(row["n"])
    elif kind in ("contributors_share", "participation"):
        yes = min(
            max(
                float(row["s"])
                + noise.count_noise(int(row["ck"]), f"{signature}:yes", policy.perturbation.counts),
                0.0,
            ),
            float(row["n"]) + 2,
        )
        base = max(_published_count(row, "contributors", policy), 1)
        shown["value"] = noise.clamp(yes / base, 0.0, 1.0) * 100
    elif kind in ("ratio", "gap"):
        top = series.numerator if kind == "ratio" else [series.reference or ""]
        bottom = series.denominator if kind == "ratio" else [series.compared or ""]
        num = _perturbed_sum(
            row, "num", f"{noise.sum_signature(top or [])}|{place}", "num_", policy
        )
        den = _perturbed_sum(
            row, "den", f"{noise.sum_signature(bottom or [])}|{place}", "den_", policy
        )
        if kind == "ratio":
            value = num / den * indicator.scale if den > 0 else math.nan
            if indicator.unit == "percent":
                value = noise.clamp(value, 0.0, 100.0)
        else:
            value = (num - den) / num * 100 if num > 0 else math.nan
        shown["value"] = None if math.isnan(value) else value
    else:
        shown |= published_quantiles(row, signature, policy)
    return shown


def published_quantiles(
    row: dict[str, Any], signature: str, policy: DisclosurePolicy
) -> dict[str, Any]:
    """Median, quartiles (and deciles from 10 contributors), each perturbed by a share of
    the interquartile spread: never an individual's exact value, always in order."""
    q1, q2, q3 = (float(row[name]) for name in ("q1", "q2", "q3"))
    spread = q3 - q1 if q3 > q1 else 0.1 * abs(q2)
    names = ["q1", "q2", "q3"]
    if int(row["n"]) >= WHISKER_MINIMUM:
        names = ["p10", *names, "p90"]
    positive = all(float(row[name]) >= 0 for name in names)
    values = sorted(
        float(row[name])
        + noise.quantile_noise(
            int(row["ck"]), f"{signature}:{name}", spread, policy.perturbation.quantiles
        )
        for name in names
    )
    if positive:  # reflected, not clamped: a clamped 0 would be some contributors' value
        values = sorted(abs(v) for v in values)
    shown = dict(zip(names, values, strict=True))
    return {
        "value": shown["q2"],
        "q1": shown["q1"],
        "q3": shown["q3"],
        "p10": shown.get("p10"),
        "p90": shown.get("p90"),
    }


# --- layer 2: differencing between populations --------------------------------------------


def combo_counts(atoms: np.ndarray) -> np.ndarray:
    """Counts of every filter combination: index 0 of each axis means "all values"."""
    counts = atoms.astype(np.int64)
    for axis in range(counts.ndim):
        counts = np.concatenate([counts.sum(axis=axis, keepdims=True), counts], axis=axis)
    return counts


def _meet(candidate: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Intersection of a combination with others (per axis); `conflict` if disjoint."""
    meet = np.where(candidate == 0, others, candidate)
    # Array methods, not np.any: the function wrapper was a fifth of a cold page's
    # admission loop (thousands of calls on small arrays).
    conflict = ((candidate != 0) & (others != 0) & (others != candidate)).any(axis=1)
    return meet, conflict


def permitted_combinations(
    atoms: np.ndarray, minimum: int, *, extra_axis: bool = False
) -> np.ndarray:
    """Boolean array over `combo_counts(atoms)`: populations that may be published.

    Greedy from the largest population (coarser first on ties): a population is admitted
    if it has at least `minimum` contributors and differs from every population admitted
    before by 0 or at least `minimum` contributors. Hence no two admitted populations
    differ by 1 … minimum-1 contributors.

    `extra_axis`: the last axis is a breakdown by answers (a question of the common
    core). The filter combinations (that axis at "all") are admitted first, exactly as
    without it, so a filter is refused or not whatever breakdown is asked; the answer
    cells are then admitted against them and against each other.
    """
    key = admitted.digest(atoms, minimum, extra_axis)
    found = admitted.cached(key)
    if found is None:
        found = _admit(atoms.astype(np.int64), minimum, extra_axis)
        admitted.remember(key, found)
    return found


@lru_cache(maxsize=16)
def _all_combinations(shape: tuple[int, ...]) -> np.ndarray:
    return np.array(list(np.ndindex(shape)), dtype=np.int64).reshape(-1, len(shape))


def _admit(atoms: np.ndarray, minimum: int, extra_axis: bool) -> np.ndarray:
    """The greedy admission itself (kept by its inputs: `admitted`)."""
    counts = combo_counts(atoms)
    flat = counts.reshape(-1)
    combos = _all_combinations(counts.shape)
    constraints = (combos != 0).sum(axis=1)
    late = (combos[:, -1] != 0) if extra_axis else np.zeros(flat.shape, dtype=bool)
    order = np.lexsort((constraints, -flat, late))
    order = order[flat[order] >= minimum]
    allowed = np.zeros(flat.shape, dtype=bool)
    sizes: list[int] = []  # admitted populations, ascending size (for the window search)
    members: list[int] = []
    for k in order:
        size = int(flat[k])
        # Only populations whose size is within `minimum` can be that close.
        hi = bisect.bisect_left(sizes, size + minimum)
        lo = bisect.bisect_left(sizes, size - minimum + 1)
        if hi > lo:
            window = np.array(members[lo:hi])
            meet, conflict = _meet(combos[k], combos[window])
            inter = np.where(conflict, 0, counts[tuple(meet.T)])
            distance = size + flat[window] - 2 * inter
            if ((distance >= 1) & (distance < minimum)).any():
                continue
        allowed[k] = True
        position = bisect.bisect_left(sizes, size)
        sizes.insert(position, size)
        members.insert(position, int(k))
    return allowed.reshape(counts.shape)
