"""The disclosure policy: thresholds and perturbation parameters, in one data file.

`surveys/policy/disclosure.yaml` holds every parameter of statistical confidentiality
(protection level, minimum contributors, dominance and p % rules, perturbation); this
module reads it and derives the rule of each indicator from what it computes and which
questions it rests on, so no indicator file can forget a rule (pay questions are always
"sensitive", money magnitudes always carry the dominance and p % rules).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from opp import settings
from opp.errors import OppError
from opp.indicators.model import QUANTILE_KINDS, Disclosure, Indicator
from opp.questionnaire.yaml_source import parse_yaml, read_text

POLICY_FILE = Path("policy") / "disclosure.yaml"
MONEY_KINDS = frozenset({"sum", "mean", "ratio", "gap"})


class Dominance(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    n: int = Field(default=2, ge=1, le=5)
    k: float = Field(default=0.85, gt=0, le=1)


class Perturbation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    magnitude: float = Field(default=0.3, ge=0, le=5)
    counts: tuple[float, float, float, float, float] = (0.125, 0.25, 0.25, 0.25, 0.125)
    quantiles: float = Field(default=0.15, ge=0, le=2)

    @field_validator("counts")
    @classmethod
    def _probabilities(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if any(p < 0 for p in value) or abs(sum(value) - 1) > 1e-9:
            msg = "counts: five probabilities (of -2, -1, 0, +1, +2) that add up to 1"
            raise ValueError(msg)
        return value


class DisclosurePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    protection: float = Field(default=0.10, gt=0, lt=1)
    min_contributors: int = Field(default=3, ge=1)
    min_contributors_sensitive: int = Field(default=5, ge=1)
    dominance: Dominance = Dominance()
    p_percent: float = Field(default=0.10, ge=0, lt=1)
    perturbation: Perturbation = Perturbation()
    pay_questions: frozenset[str] = frozenset()
    sensitive_audiences: frozenset[str] = frozenset({"artiste"})

    @model_validator(mode="after")
    def _noise_covers_protection(self) -> DisclosurePolicy:
        # A published magnitude is off by at least magnitude/2 of its largest contribution.
        if self.perturbation.magnitude / 2 < self.protection:
            msg = (
                f"perturbation.magnitude ({self.perturbation.magnitude}) must be at least "
                f"twice the protection level ({self.protection})"
            )
            raise ValueError(msg)
        return self

    def rule_for(self, indicator: Indicator, money_questions: set[str]) -> Disclosure:
        """The effective rule of an indicator: what its file says, never weaker than
        the policy (a file may ask for more contributors, not fewer)."""
        declared = indicator.disclosure
        uses = indicator.used_questions()
        sensitive = (
            indicator.sensitive
            or bool(uses & self.pay_questions)
            or indicator.audience in self.sensitive_audiences
            or indicator.kind in QUANTILE_KINDS
        )
        floor = self.min_contributors_sensitive if sensitive else self.min_contributors
        money = indicator.kind in MONEY_KINDS and bool(uses & money_questions)
        return declared.model_copy(
            update={
                "min_contributors": max(declared.min_contributors, floor),
                "dominance": self.dominance.k if money else None,
                "p_percent": self.p_percent if money else None,
            }
        )


def policy_path(root: Path | None = None) -> Path:
    return (root or settings.surveys_dir()) / POLICY_FILE


@lru_cache(maxsize=4)
def _load(path: str) -> DisclosurePolicy:
    where = str(Path("surveys") / POLICY_FILE)
    doc = parse_yaml(read_text(Path(path)), where)
    try:
        return DisclosurePolicy.model_validate(doc.data or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(p) for p in first["loc"])
        raise OppError(
            "DISCLOSURE_POLICY", file=where, reason=f"{location}: {first['msg']}"
        ) from None


def load_policy(root: Path | None = None) -> DisclosurePolicy:
    """The policy of the surveys folder (defaults where the file is absent)."""
    path = policy_path(root)
    if not path.exists():
        return DisclosurePolicy()
    return _load(str(path))
