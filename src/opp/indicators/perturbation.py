"""The cell key method: deterministic noise for every published cell.

Official statistics' flexible table builders (the Australian Bureau of Statistics'
TableBuilder, the 2021/2022 census table builders of the UK and Germany) protect figures
that suppression alone cannot: with every filter, breakdown and page a new table, the
published figures form a system of equations an attacker can solve. The method:

- every record (a frozen response, an invitation) carries a random **record key**, drawn
  once and kept in every release (`store/releases.py`);
- a cell's **cell key** is the sum of its contributors' record keys modulo 2³²: the same
  population always has the same cell key, whichever page, filter or download shows it;
- the noise of a cell is a deterministic function of its cell key and of *what* is
  counted (the variable): the same cell always shows the same value (no averaging over
  repeated requests), while two cells whose populations differ by one structure have
  unrelated noise, so their difference is not that structure's value;
- magnitudes (amounts, headcounts, performances) are perturbed in proportion to their
  largest contributors, so a structure's own value is always covered by noise of its
  own size, in a direction set by the largest contributor's own record key (the same
  wherever it dominates: averaging many figures does not remove it); counts
  (contributors, "yes" answers, invitations) by a few units.

Pure functions of numbers; the rules deciding which cells are published live in
`disclosure.py`, the parameters in `surveys/policy/disclosure.yaml`.
"""

from __future__ import annotations

import hashlib
import math

from opp.indicators.model import Indicator, Series

KEY_MODULUS = 2**32
COUNT_STEPS = (-2, -1, 0, 1, 2)
# Noise never rests on less than one unit of the variable (one person, one performance,
# one euro): a cell whose contributions are all 0 would otherwise publish an exact 0, and
# so everyone's value.
UNIT_FLOOR = 1.0


def uniform(cell_key: int, purpose: str, index: int = 0) -> float:
    """A number in [0, 1) fixed by the cell key and what it is used for."""
    digest = hashlib.blake2b(
        f"{purpose}\x1f{index}\x1f{int(cell_key) % KEY_MODULUS}".encode(), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big") / 2**64


def multiplier(cell_key: int, purpose: str, index: int = 0) -> float:
    """A symmetric multiplier with 0.5 <= |m| < 1.5: never close to zero, so a cell's
    noise is never negligible against its largest contributor."""
    u = uniform(cell_key, purpose, index)
    sign = 1.0 if u < 0.5 else -1.0
    return sign * (0.5 + 2.0 * (u % 0.5))


def magnitude_noise(
    cell_key: int,
    top_key: int,
    purpose: str,
    largest: float,
    second: float,
    strength: float,
) -> float:
    """Noise of a magnitude cell: `strength` × ±(largest + ½ second) × a.

    The size a ∈ [0.5, 1.5) comes from the cell key, so two figures one structure apart
    are blurred differently; the direction (±) comes from the record key of the largest
    contributor, so every figure a structure dominates is blurred the same way and
    averaging many of them does not cancel the blur of its value. The published value is
    always off the exact one by at least `strength`/2 of its largest contribution (never
    less than one unit of the variable: an all-zero cell does not publish its zero)."""
    sign = 1.0 if uniform(top_key, f"{purpose}:sign") < 0.5 else -1.0
    scale = max(abs(largest), UNIT_FLOOR) + 0.5 * abs(second)
    return strength * sign * scale * (0.5 + uniform(cell_key, purpose))


def count_noise(cell_key: int, purpose: str, probabilities: tuple[float, ...]) -> int:
    """A step of -2 … +2 drawn with the policy's probabilities."""
    u = uniform(cell_key, purpose, 0)
    total = 0.0
    for step, probability in zip(COUNT_STEPS, probabilities, strict=True):
        total += probability
        if u < total:
            return step
    return COUNT_STEPS[-1]


def quantile_noise(cell_key: int, purpose: str, spread: float, strength: float) -> float:
    """Noise of a quantile: `strength` × the interquartile spread (at least one unit) × m."""
    return strength * max(spread, UNIT_FLOOR) * multiplier(cell_key, purpose, 0)


def series_signature(indicator: Indicator, series: Series) -> str:
    """What a series measures, independent of the indicator that shows it.

    Two indicators publishing the same variable for the same population (the budget
    total, and the budget in the own-revenue share) get the same noise: showing it in
    two places gives no second, independent look at it."""
    kind = indicator.kind
    if kind in ("contributors_share", "participation"):
        condition = series.condition.model_dump_json() if series.condition else ""
        return f"share:{condition}"
    if kind == "items_count":
        return f"items:{series.repeat}:{series.group_by}:{series.group_as}"
    if kind in ("ratio", "gap"):
        top = series.numerator if kind == "ratio" else [series.reference or ""]
        bottom = series.denominator if kind == "ratio" else [series.compared or ""]
        return f"pair:{'+'.join(sorted(top or []))}/{'+'.join(sorted(bottom or []))}"
    if series.count_positive:
        return f"positive:{'+'.join(sorted(series.count_positive))}"
    questions = series.questions or ([series.question] if series.question else [])
    items = f"items:{series.repeat}:" if series.repeat else ""
    return f"{items}{sum_signature(questions)}"


def sum_signature(questions: list[str]) -> str:
    """The signature of a plain sum of `questions` (numerators and denominators)."""
    return f"sum:{'+'.join(sorted(questions))}"


def clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high) if not math.isnan(value) else value
