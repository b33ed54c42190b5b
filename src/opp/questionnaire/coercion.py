"""Turn one raw answer (from a widget, a file or an API) into its typed value, or refuse it.

Lenient with the forms people type ("1 200,50", "oui", "2024-03-01"), strict with
anything else: the store never trusts the widget. Each question type has a *parser*
(``parse_*``: is this a value of the type at all?) and may have a *check*
(``check_*``: does the value respect the question's limits?); the question-type
registry (`question_types`) pairs them and `question_types.coerce` runs both. Parsers
return `(value, None)` or `(None, (code, params))`; `None` values mean "not answered".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Container
from typing import Any

from opp.questionnaire import patterns
from opp.questionnaire.model import (
    DateQuestion,
    DecimalQuestion,
    IntegerQuestion,
    LongTextQuestion,
    MultipleChoiceQuestion,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
    _Bounded,
)

Problem = tuple[str, dict[str, Any]]
Coerced = tuple[Any, Problem | None]
Parser = Callable[[Any, Any], Coerced]
Check = Callable[[Any, Any], Problem | None]

_TRUE = {"oui", "yes", "true", "vrai", "1", "o", "y"}
_FALSE = {"non", "no", "false", "faux", "0", "n"}
_SPACES = re.compile(r"[\s\u00a0\u202f']")
MAX_ABS_NUMBER = 1e15  # beyond any budget of the sector; protects sums from overflow


def is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return raw.strip() == ""
    if isinstance(raw, list | tuple | set | frozenset):
        return len(raw) == 0
    return isinstance(raw, float) and math.isnan(raw)


def parse_text(_question: TextQuestion | LongTextQuestion, raw: Any) -> Coerced:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return None, ("A_NOT_TEXT", {})
    text = str(raw).replace("\x00", "").strip()
    return (text or None), None


def check_text(question: TextQuestion | LongTextQuestion, text: str) -> Problem | None:
    if len(text) > question.max_length:
        return "A_TOO_LONG", {"max": question.max_length, "length": len(text)}
    if question.min_length and len(text) < question.min_length:
        return "A_TOO_SHORT", {"min": question.min_length}
    pattern = getattr(question, "pattern", None)
    if pattern and not patterns.full_match(pattern, text):
        pattern_hint = getattr(question, "pattern_hint", None)
        hint = pattern_hint.model_dump() if pattern_hint else pattern
        return "A_PATTERN", {"hint": hint}
    return None


def parse_number(raw: Any) -> float | int | None:
    """A number from int/float or a French/English formatted string; None if not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return raw if math.isfinite(raw) else None
    if not isinstance(raw, str):
        return None
    text = _SPACES.sub("", raw.strip()).replace("€", "").replace("%", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        return None
    value = float(text)
    if value.is_integer() and "." not in text:
        return int(text)
    return value


def check_bounds(question: _Bounded, value: float) -> Problem | None:
    if abs(value) > MAX_ABS_NUMBER:
        return "A_ABOVE_MAX", {"max": _fmt(MAX_ABS_NUMBER)}
    if question.min is not None and value < question.min:
        return "A_BELOW_MIN", {"min": _fmt(question.min)}
    if question.max is not None and value > question.max:
        return "A_ABOVE_MAX", {"max": _fmt(question.max)}
    return None


def _fmt(number: float) -> str:
    if float(number).is_integer():
        return f"{int(number):,}".replace(",", "\u202f")
    return f"{number:,.2f}".replace(",", "\u202f").replace(".", ",")


def parse_integer(_question: IntegerQuestion, raw: Any) -> Coerced:
    value = parse_number(raw)
    if value is None or (isinstance(value, float) and not value.is_integer()):
        return None, ("A_NOT_INTEGER", {})
    return int(value), None


def rounded_to(digits: int) -> Parser:
    """A number rounded to `digits` decimals (money and percentages: cents)."""

    def parse(_question: Any, raw: Any) -> Coerced:
        value = parse_number(raw)
        if value is None:
            return None, ("A_NOT_NUMBER", {})
        return round(float(value), digits), None

    return parse


def parse_decimal(question: DecimalQuestion, raw: Any) -> Coerced:
    return rounded_to(question.decimals)(question, raw)


def parse_yes_no(_question: YesNoQuestion, raw: Any) -> Coerced:
    if isinstance(raw, bool):
        return raw, None
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    return None, ("A_NOT_BOOL", {})


def parse_single(question: SingleChoiceQuestion, raw: Any) -> Coerced:
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        return None, ("A_CHOICE_UNKNOWN", {"value": str(raw)[:40]})
    value = str(raw).strip()
    if value not in question.choice_values:
        return None, ("A_CHOICE_UNKNOWN", {"value": value[:40]})
    return value, None


def parse_multiple(question: MultipleChoiceQuestion, raw: Any) -> Coerced:
    if isinstance(raw, str):
        items: list[Any] = raw.split()
    elif isinstance(raw, list | tuple | set | frozenset):
        items = list(raw)
    else:
        return None, ("A_CHOICE_UNKNOWN", {"value": str(raw)[:40]})
    order = question.choice_values
    chosen: set[str] = set()
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int):
            return None, ("A_CHOICE_UNKNOWN", {"value": str(item)[:40]})
        value = str(item).strip()
        if value not in order:
            return None, ("A_CHOICE_UNKNOWN", {"value": value[:40]})
        chosen.add(value)
    return [v for v in order if v in chosen] or None, None


def check_multiple(question: MultipleChoiceQuestion, values: list[str]) -> Problem | None:
    if len(values) > 1:
        for choice in question.choices:
            if choice.exclusive and choice.value in values:
                return "A_CHOICE_EXCLUSIVE", {"value": choice.label.model_dump()}
    if question.min_selected and len(values) < question.min_selected:
        return "A_TOO_FEW_CHOICES", {"min": question.min_selected}
    if question.max_selected and len(values) > question.max_selected:
        return "A_TOO_MANY_CHOICES", {"max": question.max_selected}
    return None


def parse_date(_question: DateQuestion, raw: Any) -> Coerced:
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    elif isinstance(raw, str):
        try:
            value = dt.date.fromisoformat(raw.strip()[:10])
        except ValueError:
            return None, ("A_NOT_DATE", {})
    else:
        return None, ("A_NOT_DATE", {})
    return value, None


def check_date(question: DateQuestion, value: dt.date) -> Problem | None:
    if question.min_date and value < question.min_date:
        return "A_DATE_BEFORE", {"min": question.min_date.strftime("%d/%m/%Y")}
    if question.max_date and value > question.max_date:
        return "A_DATE_AFTER", {"max": question.max_date.strftime("%d/%m/%Y")}
    return None


def code_in(known: Callable[[], Container[str]], code: str, width: int) -> Parser:
    """A code of a reference list (communes, départements, places), refused otherwise."""

    def parse(_question: Any, raw: Any) -> Coerced:
        value = str(raw).strip() if isinstance(raw, str | int) else ""
        if isinstance(raw, int) and not isinstance(raw, bool):
            value = value.zfill(width)
        return (value, None) if value in known() else (None, (code, {}))

    return parse
