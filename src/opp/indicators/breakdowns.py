"""Breakdowns by answers: any single-choice or yes/no question of the common core.

Besides the five fixed dimensions (year, filière, département, type, size), figures
can be broken down by what structures answered to a question every structure is asked
(legal form, collective agreement, budget band, territory type…). Each such breakdown
is an extra axis of the differencing lattice (`engine.AnswerAxis`,
`disclosure.permitted_combinations(extra_axis=True)`): its cells must differ from every
published filter population, and from each other, by 0 or at least the threshold.
Questions of the filière modules are not breakdowns (their populations are one filière's
and small), nor personal questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from opp import settings
from opp.errors import OppError
from opp.i18n import texts
from opp.indicators.engine import AnswerAxis
from opp.indicators.model import DIMENSIONS, Indicator
from opp.questionnaire.catalogue import SurveyCatalogue, load_catalogue
from opp.questionnaire.model import L10n
from opp.store.analytics import ValueKind

YES_NO = (("true", L10n(**texts("qtype.yes"))), ("false", L10n(**texts("qtype.no"))))
BLANK = L10n(**texts("breakdown.blank"))


@dataclass(frozen=True)
class AnswerBreakdown:
    """One question usable as a breakdown: its id, label and answers in form order."""

    question_id: str
    label: L10n
    choices: tuple[tuple[str, L10n], ...]
    kind: ValueKind  # how its answers are stored ("text" for a choice, "bool" yes/no)

    @property
    def axis(self) -> AnswerAxis:
        return AnswerAxis(self.question_id, tuple(code for code, _ in self.choices))

    def value_label(self, value: str | None, lang: str) -> str:
        for code, label in self.choices:
            if code == value:
                return label.get(lang)
        return BLANK.get(lang) if value is None else str(value)


def answer_breakdowns(surveys: SurveyCatalogue) -> dict[str, AnswerBreakdown]:
    """The single-choice and yes/no questions of the shared modules (the common core)."""
    out: dict[str, AnswerBreakdown] = {}
    for located in surveys.modules.values():
        for section in located.questionnaire.sections:
            for question in section.questions:
                if question.personal or question.relevant:
                    continue
                if question.type == "yes_no":
                    out[question.id] = AnswerBreakdown(question.id, question.label, YES_NO, "bool")
                elif question.type == "single_choice":
                    choices = tuple((c.value, c.label) for c in question.choices)
                    out[question.id] = AnswerBreakdown(question.id, question.label, choices, "text")
    return out


@lru_cache(maxsize=4)
def _shipped(root: str) -> dict[str, AnswerBreakdown]:
    return answer_breakdowns(load_catalogue(Path(root)))


def known() -> dict[str, AnswerBreakdown]:
    """The answer breakdowns of the surveys folder in use."""
    return _shipped(str(settings.surveys_dir()))


def applies(indicator: Indicator) -> bool:
    """Answers of the common core describe structures: not artists, not invitations."""
    return indicator.audience == "structure" and indicator.kind != "participation"


def options_for(indicator: Indicator) -> list[str]:
    """The answer breakdowns of an indicator: not the questions it is computed from (a
    share of "yes" by the same question's answers is 100 % and 0 %)."""
    if not applies(indicator):
        return []
    used = indicator.used_questions() | {s.group_by for s in indicator.series if s.group_by}
    return [q for q in known() if q not in used]


def axis_for(indicator: Indicator, breakdown: str) -> AnswerAxis | None:
    """The answer axis of `breakdown` (None for a fixed dimension); refused, with the
    possible breakdowns, when it is neither."""
    if breakdown in DIMENSIONS:
        return None
    possible = options_for(indicator)
    if breakdown not in possible:
        raise OppError(
            "I_BREAKDOWN", value=breakdown, expected=list(indicator.breakdowns) + possible
        )
    return known()[breakdown].axis


def earlier(question_id: str) -> list[str]:
    """The answer breakdowns before `question_id` in the common core's order: its cells
    are kept away from theirs (`answer_lattice`)."""
    order = list(known())
    return order[: order.index(question_id)] if question_id in order else []
