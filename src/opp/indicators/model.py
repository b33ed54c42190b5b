"""Declarative indicator definitions (``surveys/indicators/*.yaml``).

An indicator has one or more *series* (e.g. one per role family for the women's share)
computed with the same *kind* of formula over the answers of the contributors in a
population (campaign year + filters), optionally broken down by one dimension. Every
published figure goes through `disclosure.py`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from opp.questionnaire.model import Id, L10n

Dimension = Literal["reference_year", "filiere", "departement", "structure_type", "size_class"]
DIMENSIONS: tuple[Dimension, ...] = (
    "reference_year",
    "filiere",
    "departement",
    "structure_type",
    "size_class",
)
FILTER_DIMENSIONS: tuple[str, ...] = ("filiere", "departement", "structure_type", "size_class")
DOMAINS = ("emploi", "egalite", "diffusion", "economie", "filiere", "participation")
KINDS = (
    "sum",
    "mean",
    "median",
    "quartiles",
    "ratio",
    "contributors_share",
    "gap",
    "items_count",
    "items_quartiles",
    "participation",
)
QUANTILE_KINDS = frozenset({"median", "quartiles", "items_quartiles"})


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Frozen):
    """A per-contributor condition: `question` equals / is one of / is true."""

    question: Id
    equals: str | bool | float | None = None
    one_of: list[str] | None = None
    contains: str | None = None  # a multiple-choice answer includes this choice
    among: list[str] | None = None  # contributors considered (others excluded from the base)


class Series(_Frozen):
    id: Id
    label: L10n
    question: Id | None = None  # sum / mean / median / quartiles / items_quartiles
    questions: list[Id] | None = None  # several questions summed per contributor
    count_positive: list[Id] | None = None  # how many of these are > 0, per contributor
    numerator: list[Id] | None = None  # ratio
    denominator: list[Id] | None = None
    condition: Condition | None = None  # contributors_share
    reference: Id | None = None  # gap: (mean(reference) - mean(compared)) / mean(reference)
    compared: Id | None = None
    repeat: Id | None = None  # items_*: the repeat group
    group_by: Id | None = None  # items_count: child question giving the category
    group_as: Literal["departement", "region", "place_scope", "month"] | None = None
    # The series counts only the contributors meeting this condition (e.g. artists'
    # incomes of the women: `{question: art_genre, equals: femme}`).
    where: Condition | None = None

    def used_questions(self) -> set[str]:
        out: set[str] = set()
        for value in (self.question, self.reference, self.compared):
            if value:
                out.add(value)
        for values in (self.questions, self.numerator, self.denominator, self.count_positive):
            out |= set(values or [])
        for condition in (self.condition, self.where):
            if condition:
                out.add(condition.question)
        return out


class Disclosure(_Frozen):
    """The primary rules of an indicator's cells. A file may ask for more contributors;
    the policy (`policy.py`, `surveys/policy/disclosure.yaml`) sets the floors and the
    dominance and p % rules of money magnitudes when the catalogue is loaded."""

    min_contributors: int = Field(default=3, ge=1)
    dominance: float | None = Field(default=None, gt=0, le=1)  # e.g. 0.85 for money sums
    p_percent: float | None = Field(default=None, ge=0, lt=1)  # e.g. 0.10 for money sums


class Indicator(_Frozen):
    id: Id
    domain: Literal["emploi", "egalite", "diffusion", "economie", "filiere", "participation"]
    label: L10n
    definition: L10n
    kind: Literal[
        "sum",
        "mean",
        "median",
        "quartiles",
        "ratio",
        "contributors_share",
        "gap",
        "items_count",
        "items_quartiles",
        "participation",
    ]
    unit: Literal["count", "eur", "percent", "ratio", "fte", "points"] = "count"
    series: list[Series] = Field(min_length=1)
    composition: bool = False  # series are parts of a whole: also publish each part's share
    breakdowns: list[Dimension] = Field(default_factory=lambda: list(DIMENSIONS))
    filieres: list[str] | None = None  # only these filières' questionnaires carry it
    audience: Literal["structure", "artiste"] = "structure"
    sensitive: bool = False  # pay, small gender groups: stricter threshold
    disclosure: Disclosure = Field(default_factory=Disclosure)
    scale: float = 1.0  # e.g. 100 for a ratio shown as a percentage

    @model_validator(mode="before")
    @classmethod
    def _single_series(cls, data: Any) -> Any:
        """Allow the formula fields at top level for a single-series indicator."""
        if not isinstance(data, dict) or "series" in data:
            return data
        keys = set(Series.model_fields) - {"id", "label"}
        series = {k: data[k] for k in list(data) if k in keys}
        rest = {k: v for k, v in data.items() if k not in keys}
        return {**rest, "series": [{"id": "valeur", "label": data.get("label"), **series}]}

    def used_questions(self) -> set[str]:
        out: set[str] = set()
        for series in self.series:
            out |= series.used_questions()
        return out

    @property
    def repeat(self) -> str | None:
        return self.series[0].repeat


class IndicatorFile(_Frozen):
    indicators: list[Indicator] = Field(min_length=1)
