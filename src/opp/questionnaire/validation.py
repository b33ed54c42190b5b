"""Answer validation against a questionnaire, independent of any user interface.

`validate_answers` coerces every answer to its type, applies relevance (answers to
hidden questions are dropped, never stored), checks required answers, constraints and
the questionnaire's consistency rules, and returns the cleaned answers with field-level
errors in French and English. Drafts are checked the same way except that missing
required answers are allowed.

Scoping follows XLSForm: inside a repeat item `${x}` names the sibling answer of the same
item; from outside, a question inside a repeat resolves to the list of its values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from opp.errors import OppError
from opp.i18n import LANGUAGES
from opp.questionnaire import computed, expressions
from opp.questionnaire.coercion import is_empty
from opp.questionnaire.model import (
    CalculateQuestion,
    L10n,
    Questionnaire,
    RepeatQuestion,
    Section,
    _WithChoices,
)
from opp.questionnaire.question_types import coerce

Answers = dict[str, Any]


@dataclass(frozen=True)
class EvalContext:
    """Values expressions may use besides answers."""

    reference_year: int | None = None
    today: dt.date | None = None


@dataclass(frozen=True)
class FieldError:
    """A problem with one answer (or one answer of one repeat item)."""

    question_id: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    item: int | None = None  # 0-based index of the repeat item
    repeat_id: str | None = None
    rule_id: str | None = None
    custom: L10n | None = None  # constraint_message / rule message written by the designers
    severity: str = "error"

    def message(self, lang: str = "fr") -> str:
        if self.custom is not None:
            return self.custom.get(lang)
        return OppError(self.code, **self.params).message(lang)

    @property
    def path(self) -> str:
        if self.repeat_id is not None and self.item is not None:
            return f"{self.repeat_id}[{self.item + 1}].{self.question_id}"
        return self.question_id


@dataclass
class ValidationResult:
    cleaned: Answers
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)  # questions and sections not relevant

    @property
    def ok(self) -> bool:
        return not self.errors

    def for_question(self, question_id: str, item: int | None = None) -> list[FieldError]:
        return [
            e
            for e in self.errors + self.warnings
            if e.question_id == question_id and (item is None or e.item == item)
        ]

    def for_section(self, questionnaire: Questionnaire, section_id: str) -> list[FieldError]:
        owner = questionnaire.section_of
        return [e for e in self.errors if owner.get(e.question_id) == section_id]

    def raise_if_invalid(self, lang: str = "fr") -> None:
        """Refuse the whole answer set, naming the first problem."""
        if self.errors:
            first = self.errors[0]
            raise OppError(
                "A_INVALID_SET",
                count=len(self.errors),
                first={lang: f"{first.path} — {first.message(lang)}" for lang in LANGUAGES},
            )


def validate_answers(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    *,
    context: EvalContext | None = None,
    complete: bool = True,
) -> ValidationResult:
    """Check a whole answer set; `complete=False` for drafts (missing answers allowed)."""
    return _Validator(questionnaire, context or EvalContext(), complete).run(answers)


def visible_questions(
    questionnaire: Questionnaire, answers: Mapping[str, Any], context: EvalContext | None = None
) -> set[str]:
    """Ids of sections and top-level questions shown given the current answers."""
    result = validate_answers(questionnaire, answers, context=context, complete=False)
    all_ids = {s.id for s in questionnaire.sections} | {
        q.id for s in questionnaire.sections for q in s.questions
    }
    return all_ids - result.hidden


def answer_resolver(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    *,
    context: EvalContext | None = None,
    item: Mapping[str, Any] | None = None,
    repeat: RepeatQuestion | None = None,
) -> Callable[[str], Any]:
    """`${name}` → value for the answering form: answers, computed values (calculate),
    the siblings of a repeat item when `item` is given (XLSForm scoping)."""
    validator = _Validator(questionnaire, context or EvalContext(), complete=False)
    validator.current = {k: v for k, v in answers.items() if not is_empty(v)}
    return validator.resolver(dict(item) if item is not None else None, repeat)


SectionStatus = str  # "complete" | "incomplete" | "errors" | "hidden" | "empty"


def section_statuses(
    questionnaire: Questionnaire, answers: Mapping[str, Any], context: EvalContext | None = None
) -> dict[str, SectionStatus]:
    """Status of each step for the progress display."""
    result = validate_answers(questionnaire, answers, context=context, complete=True)
    statuses: dict[str, SectionStatus] = {}
    for section in questionnaire.sections:
        if section.id in result.hidden:
            statuses[section.id] = "hidden"
            continue
        problems = result.for_section(questionnaire, section.id)
        answered = any(
            q.id in result.cleaned for q in section.questions if q.id not in result.hidden
        )
        if any(e.code != "A_REQUIRED" for e in problems):
            statuses[section.id] = "errors"
        elif not answered:
            statuses[section.id] = "empty"
        else:
            statuses[section.id] = "incomplete" if problems else "complete"
    return statuses


class _Validator:
    def __init__(self, questionnaire: Questionnaire, context: EvalContext, complete: bool) -> None:
        self.q = questionnaire
        self.context = context
        self.complete = complete
        self.result = ValidationResult(cleaned={})
        self.current: dict[str, Any] = {}  # coerced values, hidden ones removed as found
        self.computing: set[str] = set()  # calculations being evaluated (cycle guard)

    # -- scoping ---------------------------------------------------------------------------

    def resolve_top(self, name: str) -> Any:
        if name == "_reference_year":
            return self.context.reference_year
        if name in self.q.parent_repeat:
            repeat = self.q.questions[self.q.parent_repeat[name]]
            assert isinstance(repeat, RepeatQuestion)  # parent_repeat names repeats only
            items = self.current.get(repeat.id) or []
            return [self.resolver(item, repeat)(name) for item in items if isinstance(item, dict)]
        question = self.q.questions.get(name)
        if isinstance(question, CalculateQuestion):
            return self.calculate(question, self.resolve_top)
        return self.current.get(name)

    def resolver(self, item: dict[str, Any] | None, repeat: RepeatQuestion | None) -> Callable:
        if item is None or repeat is None:
            return self.resolve_top
        siblings = {c.id: c for c in repeat.questions}

        def resolve(name: str) -> Any:
            sibling = siblings.get(name)
            if isinstance(sibling, CalculateQuestion):
                return self.calculate(sibling, resolve)
            if name in siblings:
                return item.get(name)
            return self.resolve_top(name)

        return resolve

    def calculate(self, question: CalculateQuestion, resolve: Callable) -> Any:
        """A computed value (None when not relevant, unknown or part of a cycle)."""
        key = question.id
        if key in self.computing:
            return None
        self.computing.add(key)
        try:
            if question.relevant and self.holds(question.relevant, resolve) is not True:
                return None
            expr = expressions.parse(question.calculation)
            return expressions.evaluate(expr, resolve, today=self.context.today)
        finally:
            self.computing.discard(key)

    def holds(self, source: str | None, resolve: Callable, self_value: Any = None) -> bool | None:
        if not source:
            return True
        expr = expressions.parse(source)
        value = expressions.evaluate(expr, resolve, self_value=self_value, today=self.context.today)
        return expressions.as_bool(value)

    # -- passes ----------------------------------------------------------------------------

    def run(self, answers: Mapping[str, Any]) -> ValidationResult:
        problems: dict[str, tuple[str, dict[str, Any]]] = {}
        for key, raw in answers.items():
            question = self.q.questions.get(key)
            if question is not None and not question.has_value:
                continue  # notes and computed values hold no answer: ignored
            if question is None or key in self.q.parent_repeat:
                if not is_empty(raw):
                    self.result.errors.append(FieldError(key, "A_QUESTION_UNKNOWN", {"value": key}))
                continue
            if isinstance(question, RepeatQuestion):
                self.current[key] = self.pre_coerce_items(question, raw, problems)
                continue
            value, problem = coerce(question, raw)
            if problem:
                problems[key] = problem
            elif value is not None:
                self.current[key] = value
        for section in self.q.sections:
            self.run_section(section, problems)
        self.check_rules()
        return self.result

    def pre_coerce_items(self, repeat: RepeatQuestion, raw: Any, problems: dict) -> list[dict]:
        if is_empty(raw):
            return []
        if not isinstance(raw, list | tuple) or not all(isinstance(i, Mapping) for i in raw):
            problems[repeat.id] = ("A_REPEAT_NOT_LIST", {})
            return []
        children = {c.id: c for c in repeat.questions}
        items: list[dict[str, Any]] = []
        for index, raw_item in enumerate(raw):
            item: dict[str, Any] = {}
            for key, value in raw_item.items():
                child = children.get(key)
                if child is None:
                    if not is_empty(value):
                        self.result.errors.append(
                            FieldError(key, "A_QUESTION_UNKNOWN", {"value": key}, index, repeat.id)
                        )
                    continue
                coerced, problem = coerce(child, value)
                if problem:
                    problems[f"{repeat.id}[{index}].{key}"] = problem
                elif coerced is not None:
                    item[key] = coerced
            items.append(item)
        return items

    def run_section(self, section: Section, problems: dict) -> None:
        shown = self.holds(section.relevant, self.resolve_top) is True
        if not shown:
            self.result.hidden.add(section.id)
        for question in section.questions:
            if not shown or self.holds(question.relevant, self.resolve_top) is not True:
                self.hide(question)
                continue
            if isinstance(question, RepeatQuestion):
                self.run_repeat(question, problems)
                continue
            if not question.has_value:
                continue
            self.check_one(question, self.current.get(question.id), problems.get(question.id))

    def hide(self, question: Any) -> None:
        self.result.hidden.add(question.id)
        self.current.pop(question.id, None)

    def check_one(
        self,
        question: Any,
        value: Any,
        problem: tuple[str, dict] | None,
        item: dict[str, Any] | None = None,
        index: int | None = None,
        repeat: RepeatQuestion | None = None,
    ) -> None:
        repeat_id = repeat.id if repeat else None
        if problem:
            self.result.errors.append(FieldError(question.id, *problem, index, repeat_id))
            if item is not None:
                item.pop(question.id, None)
            return
        resolve = self.resolver(item, repeat)
        if value is None:
            required = question.required or (
                question.required_if is not None and self.holds(question.required_if, resolve)
            )
            if required and self.complete:
                self.result.errors.append(
                    FieldError(question.id, "A_REQUIRED", {}, index, repeat_id)
                )
            return
        if isinstance(question, _WithChoices) and question.choice_filter:
            offered = {
                c.value
                for c in computed.allowed_choices(question.choices, question.choice_filter, resolve)
            }
            chosen = value if isinstance(value, list) else [value]
            if any(v not in offered for v in chosen):
                self.result.errors.append(
                    FieldError(question.id, "A_CHOICE_FILTERED", {}, index, repeat_id)
                )
                if item is not None:
                    item.pop(question.id, None)
                return
        if question.constraint:
            ok = self.holds(question.constraint, resolve, self_value=value)
            if ok is False:
                expr = expressions.parse(question.constraint).canonical()
                self.result.errors.append(
                    FieldError(
                        question.id,
                        "A_CONSTRAINT",
                        {"expression": expr},
                        index,
                        repeat_id,
                        custom=question.constraint_message,
                    )
                )
                if item is not None:
                    item.pop(question.id, None)
                return
        if item is None:
            self.result.cleaned[question.id] = value

    def run_repeat(self, repeat: RepeatQuestion, problems: dict) -> None:
        if repeat.id in problems:
            self.result.errors.append(FieldError(repeat.id, *problems[repeat.id]))
            return
        items: list[dict[str, Any]] = self.current.get(repeat.id) or []
        kept: list[dict[str, Any]] = []
        for index, item in enumerate(items):
            resolve = self.resolver(item, repeat)
            for child in repeat.questions:
                if self.holds(child.relevant, resolve) is not True:
                    item.pop(child.id, None)
                    continue
                if child.has_value:
                    key = f"{repeat.id}[{index}].{child.id}"
                    self.check_one(
                        child, item.get(child.id), problems.get(key), item, index, repeat
                    )
            if item:
                kept.append(item)
        if len(kept) > repeat.max_items:
            self.result.errors.append(
                FieldError(repeat.id, "A_REPEAT_TOO_MANY", {"max": repeat.max_items})
            )
        elif self.complete and len(kept) < repeat.min_items:
            self.result.errors.append(
                FieldError(repeat.id, "A_REPEAT_TOO_FEW", {"min": repeat.min_items})
            )
        elif self.complete and repeat.required and not kept:
            self.result.errors.append(FieldError(repeat.id, "A_REQUIRED", {}))
        if kept:
            self.result.cleaned[repeat.id] = kept
            self.current[repeat.id] = kept
        else:
            self.current.pop(repeat.id, None)

    def check_rules(self) -> None:
        for rule in self.q.rules:
            if self.holds(rule.check, self.resolve_top) is not False:
                continue
            target = self.result.warnings if rule.severity == "warning" else self.result.errors
            for field_id in rule.fields:
                if field_id in self.result.hidden:
                    continue
                target.append(
                    FieldError(
                        field_id,
                        "A_RULE",
                        {"expression": expressions.parse(rule.check).canonical()},
                        rule_id=rule.id,
                        custom=rule.message,
                        severity=rule.severity,
                    )
                )
