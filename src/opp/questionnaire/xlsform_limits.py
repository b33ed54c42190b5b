"""A question's own limits (bounds, lengths, patterns, ticks, dates) as XLSForm constraints.

The XLSForm counterpart of the `check_*` functions of `coercion`: ODK and KoboToolbox
refuse what OPP would refuse. Each question type's descriptor (`question_types`) names
its function; the export and-s the parts with the question's own constraint and rules.
"""

from __future__ import annotations

from typing import Any

from opp.i18n import LANGUAGES, gettext, texts
from opp.questionnaire.expr_syntax import format_number
from opp.questionnaire.model import (
    DateQuestion,
    L10n,
    LongTextQuestion,
    MultipleChoiceQuestion,
    TextQuestion,
    _Bounded,
)

Msg = dict[str, str | None]
Part = tuple[str, L10n | Msg | None]  # an XLSForm expression and its message


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else format_number(value)


def _range(expr: str, lo: str | None, hi: str | None, what: str) -> tuple[str, Msg]:
    """`expr >= lo and expr <= hi` with a message in every language (`what`: the
    catalogue message naming the limited thing, `xlsform.limit.<what>`)."""
    tests = ([f"{expr} >= {lo}"] if lo is not None else []) + (
        [f"{expr} <= {hi}"] if hi is not None else []
    )
    shown_lo, shown_hi = (v.removeprefix("date(").strip("')") if v else v for v in (lo, hi))
    bound = "between" if lo is not None and hi is not None else "at_least" if lo else "at_most"
    message: Msg = {
        lang: gettext(
            f"xlsform.limit.{bound}",
            lang,
            what=gettext(f"xlsform.limit.{what}", lang),
            lo=shown_lo,
            hi=shown_hi,
        )
        for lang in LANGUAGES
    }
    return " and ".join(tests), message


def no_limits(_q: Any) -> list[Part]:
    return []


def number_limits(q: _Bounded) -> list[Part]:
    if q.min is None and q.max is None:
        return []
    lo, hi = (None if v is None else _num(v) for v in (q.min, q.max))
    return [_range(".", lo, hi, "value")]


def text_limits(q: TextQuestion | LongTextQuestion) -> list[Part]:
    """A pattern (as ODK's regex()) and a length range (the default length is implied)."""
    parts: list[Part] = []
    pattern = getattr(q, "pattern", None)
    if pattern and not ("'" in pattern and '"' in pattern):
        quote = '"' if "'" in pattern else "'"
        hint: L10n | Msg = getattr(q, "pattern_hint", None) or {**texts("xlsform.limit.format")}
        parts.append((f"regex(., {quote}^(?:{pattern})${quote})", hint))
    default = type(q).model_fields["max_length"].default
    longest = q.max_length if q.max_length != default else None
    shortest = q.min_length
    if shortest is not None or longest is not None:
        lo, hi = (None if v is None else str(v) for v in (shortest, longest))
        parts.append(_range("string-length(.)", lo, hi, "length"))
    return parts


def selection_limits(q: MultipleChoiceQuestion) -> list[Part]:
    """How many answers may be ticked, and the choices that exclude the others."""
    parts: list[Part] = []
    if q.min_selected is not None or q.max_selected is not None:
        least, most = (None if v is None else str(v) for v in (q.min_selected, q.max_selected))
        parts.append(_range("count-selected(.)", least, most, "ticked"))
    for choice in q.choices:
        if choice.exclusive:
            test = f"not(selected(., '{choice.value}')) or count-selected(.) = 1"
            message: Msg = {
                lang: gettext("xlsform.limit.exclusive", lang, choice=choice.label.get(lang))
                for lang in LANGUAGES
            }
            parts.append((test, message))
    return parts


def date_limits(q: DateQuestion) -> list[Part]:
    if not (q.min_date or q.max_date):
        return []
    lo, hi = (f"date('{d.isoformat()}')" if d else None for d in (q.min_date, q.max_date))
    return [_range(".", lo, hi, "date")]
