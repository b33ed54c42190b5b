"""A question's own limits (bounds, lengths, patterns, ticks, dates) as XLSForm constraints.

The XLSForm counterpart of the `check_*` functions of `coercion`: ODK and KoboToolbox
refuse what OPP would refuse. Each question type's descriptor (`question_types`) names
its function; the export and-s the parts with the question's own constraint and rules.
"""

from __future__ import annotations

from typing import Any

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


def _range(expr: str, lo: str | None, hi: str | None, what: tuple[str, str]) -> tuple[str, Msg]:
    """`expr >= lo and expr <= hi` with a message in both languages."""
    tests = ([f"{expr} >= {lo}"] if lo is not None else []) + (
        [f"{expr} <= {hi}"] if hi is not None else []
    )
    shown_lo, shown_hi = (v.removeprefix("date(").strip("')") if v else v for v in (lo, hi))
    if lo is not None and hi is not None:
        fr, en = f"entre {shown_lo} et {shown_hi}", f"between {shown_lo} and {shown_hi}"
    elif lo is not None:
        fr, en = f"au moins {shown_lo}", f"at least {shown_lo}"
    else:
        fr, en = f"au plus {shown_hi}", f"at most {shown_hi}"
    return " and ".join(tests), {"fr": f"{what[0]} : {fr}.", "en": f"{what[1]}: {en}."}


def no_limits(_q: Any) -> list[Part]:
    return []


def number_limits(q: _Bounded) -> list[Part]:
    if q.min is None and q.max is None:
        return []
    lo, hi = (None if v is None else _num(v) for v in (q.min, q.max))
    return [_range(".", lo, hi, ("Valeur attendue", "Expected value"))]


def text_limits(q: TextQuestion | LongTextQuestion) -> list[Part]:
    """A pattern (as ODK's regex()) and a length range (the default length is implied)."""
    parts: list[Part] = []
    pattern = getattr(q, "pattern", None)
    if pattern and not ("'" in pattern and '"' in pattern):
        quote = '"' if "'" in pattern else "'"
        hint = getattr(q, "pattern_hint", None) or {
            "fr": "Format non valide.",
            "en": "Invalid format.",
        }
        parts.append((f"regex(., {quote}^(?:{pattern})${quote})", hint))
    default = type(q).model_fields["max_length"].default
    longest = q.max_length if q.max_length != default else None
    shortest = q.min_length
    if shortest is not None or longest is not None:
        lo, hi = (None if v is None else str(v) for v in (shortest, longest))
        parts.append(_range("string-length(.)", lo, hi, ("Nombre de caractères", "Length")))
    return parts


def selection_limits(q: MultipleChoiceQuestion) -> list[Part]:
    """How many answers may be ticked, and the choices that exclude the others."""
    parts: list[Part] = []
    if q.min_selected is not None or q.max_selected is not None:
        least, most = (None if v is None else str(v) for v in (q.min_selected, q.max_selected))
        parts.append(
            _range("count-selected(.)", least, most, ("Réponses cochées", "Answers ticked"))
        )
    for choice in q.choices:
        if choice.exclusive:
            test = f"not(selected(., '{choice.value}')) or count-selected(.) = 1"
            fr = f"« {choice.label.fr} » ne peut pas être coché avec une autre réponse."
            en = f"'{choice.label.get('en')}' cannot be ticked with another answer."
            parts.append((test, {"fr": fr, "en": en}))
    return parts


def date_limits(q: DateQuestion) -> list[Part]:
    if not (q.min_date or q.max_date):
        return []
    lo, hi = (f"date('{d.isoformat()}')" if d else None for d in (q.min_date, q.max_date))
    return [_range(".", lo, hi, ("Date attendue", "Expected date"))]
