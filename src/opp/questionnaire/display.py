"""Human-readable answers (review page, exports, restitution).

One formatter per kind of answer; the question-type registry (`question_types`) says
which one each type uses and `question_types.format_value` calls it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from opp import geo

Formatter = Callable[[Any, Any, str], str]

_YES = {"fr": ("Oui", "Non"), "en": ("Yes", "No")}


def format_number(value: float, lang: str = "fr", digits: int = 0) -> str:
    text = f"{value:,.{digits}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def as_text(_question: Any, value: Any, _lang: str) -> str:
    return str(value)


def yes_no(_question: Any, value: Any, lang: str) -> str:
    return _YES[lang][0 if value else 1]


def single_choice(question: Any, value: Any, lang: str) -> str:
    return str(question.choice_label(value, lang))


def multiple_choice(question: Any, value: Any, lang: str) -> str:
    return ", ".join(question.choice_label(v, lang) for v in value)


def money(_question: Any, value: Any, lang: str) -> str:
    return f"{format_number(value, lang, 0 if float(value).is_integer() else 2)} €"


def percentage(_question: Any, value: Any, lang: str) -> str:
    return f"{format_number(value, lang, 0 if float(value).is_integer() else 1)} %"


def integer(question: Any, value: Any, lang: str) -> str:
    if question.min is not None and question.min >= 1900:  # a year: no separator
        return str(int(value))
    return format_number(value, lang)


def decimal(question: Any, value: Any, lang: str) -> str:
    return format_number(value, lang, question.decimals)


def date(_question: Any, value: Any, lang: str) -> str:
    if not isinstance(value, dt.date):
        return str(value)
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()


def place(_question: Any, value: Any, lang: str) -> str:
    return geo.place_label(value, lang)


def items(_question: Any, value: Any, lang: str) -> str:
    count = len(value)
    return f"{count} élément(s)" if lang == "fr" else f"{count} item(s)"
