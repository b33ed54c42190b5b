"""Indicator definition files → checked `Indicator` models.

Same pipeline and error messages as questionnaires (file, line, path, did you mean);
every question an indicator uses must exist in the survey catalogue with a fitting type.
Each indicator's disclosure rule is then completed by the policy (`policy.py`): what
its questions are (pay, money) decides its thresholds, not what its file remembers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from opp import settings
from opp.errors import OppError, OppErrorGroup, did_you_mean
from opp.indicators.model import Indicator, IndicatorFile
from opp.indicators.policy import load_policy
from opp.questionnaire.catalogue import SurveyCatalogue, load_catalogue
from opp.questionnaire.loader import errors_from_pydantic
from opp.questionnaire.model import Questionnaire
from opp.questionnaire.question_types import NUMERIC_TYPES, value_kind
from opp.questionnaire.yaml_source import SourceDoc, format_path, parse_yaml, read_text
from opp.store.analytics import ValueKind

NUMERIC_KINDS = {"sum", "mean", "median", "quartiles", "ratio", "gap", "items_quartiles"}


@dataclass
class IndicatorCatalogue:
    indicators: dict[str, Indicator] = field(default_factory=dict)

    def get(self, indicator_id: str) -> Indicator:
        if indicator_id not in self.indicators:
            raise OppError(
                "I_NOT_FOUND",
                value=indicator_id,
                expected=sorted(self.indicators),
                suggestion=did_you_mean(indicator_id, self.indicators),
            )
        return self.indicators[indicator_id]

    def by_domain(self, domain: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.domain == domain]


def indicator_files(root: Path | None = None) -> list[Path]:
    base = root or settings.surveys_dir() / "indicators"
    return sorted(base.glob("*.yaml"))


def load_indicators(
    root: Path | None = None, surveys: SurveyCatalogue | None = None
) -> IndicatorCatalogue:
    surveys = surveys or load_catalogue()
    questions = _question_types(surveys.all())
    money = {question_id for question_id, kind in questions.items() if kind == "money"}
    policy = load_policy()
    catalogue = IndicatorCatalogue()
    errors: list[OppError] = []
    for path in indicator_files(root):
        try:
            doc = parse_yaml(read_text(path), f"surveys/indicators/{path.name}")
            parsed = _parse(doc)
        except OppError as exc:
            errors += exc.errors if isinstance(exc, OppErrorGroup) else [exc]
            continue
        for index, indicator in enumerate(parsed.indicators):
            where: dict[str, Any] = {
                "file": doc.file,
                "line": doc.line_of(("indicators", index)),
                "path": format_path(("indicators", index)),
            }
            if indicator.id in catalogue.indicators:
                errors.append(
                    OppError("Q_ID_DUPLICATE", **where, value=indicator.id, first="indicators")
                )
                continue
            errors += _check(indicator, questions, where)
            rule = policy.rule_for(indicator, money)
            catalogue.indicators[indicator.id] = indicator.model_copy(update={"disclosure": rule})
    if errors:
        raise OppErrorGroup(errors)
    return catalogue


def _parse(doc: SourceDoc) -> IndicatorFile:
    if not isinstance(doc.data, dict):
        raise OppError("YAML_NOT_MAPPING", file=doc.file, line=1)
    try:
        return IndicatorFile.model_validate(doc.data)
    except ValidationError as exc:
        raise OppErrorGroup(errors_from_pydantic(exc, doc, IndicatorFile)) from None


def _question_types(questionnaires: list[Questionnaire]) -> dict[str, str]:
    types: dict[str, str] = {}
    for q in questionnaires:
        for _section, question, _parent in q.iter_questions():
            types.setdefault(question.id, question.type)
    return types


def _check(indicator: Indicator, questions: dict[str, str], where: dict[str, Any]) -> list:
    errors: list[OppError] = []
    for series in indicator.series:
        numeric = {
            *(series.questions or []),
            *(series.numerator or []),
            *(series.denominator or []),
            *(series.count_positive or []),
            *([series.question] if series.question else []),
            *([series.reference] if series.reference else []),
            *([series.compared] if series.compared else []),
        }
        for question_id in sorted(series.used_questions() | {series.repeat or ""} - {""}):
            if question_id not in questions:
                errors.append(
                    OppError(
                        "I_QUESTION_UNKNOWN",
                        **where,
                        indicator=indicator.id,
                        value=question_id,
                        suggestion=did_you_mean(question_id, questions),
                    )
                )
            elif (
                indicator.kind in NUMERIC_KINDS
                and question_id in numeric
                and questions[question_id] not in NUMERIC_TYPES
            ):
                errors.append(
                    OppError(
                        "I_QUESTION_TYPE",
                        **where,
                        indicator=indicator.id,
                        kind=indicator.kind,
                        value=question_id,
                        found=questions[question_id],
                    )
                )
    return errors


def column_kinds(indicators: list[Indicator], surveys: SurveyCatalogue) -> dict[str, ValueKind]:
    """Question id → value column to pivot, for the response-level frame."""
    types = _question_types(surveys.all())
    out: dict[str, ValueKind] = {}
    for indicator in indicators:
        if indicator.repeat:
            continue
        for question_id in indicator.used_questions():
            out[question_id] = value_kind(types.get(question_id, "integer"))
    return out


def item_columns(indicator: Indicator, surveys: SurveyCatalogue) -> dict[str, ValueKind]:
    types = _question_types(surveys.all())
    columns: dict[str, ValueKind] = {}
    for series in indicator.series:
        for question_id in [
            *series.used_questions(),
            *([series.group_by] if series.group_by else []),
        ]:
            if question_id:
                columns[question_id] = value_kind(types.get(question_id, "integer"))
    return columns
