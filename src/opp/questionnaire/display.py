"""Human-readable answers (review page, exports, restitution), formatted by `opp.i18n`.

One formatter per kind of answer; the question-type registry (`question_types`) says
which one each type uses and `question_types.format_value` calls it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from opp import geo
from opp.i18n import format_currency, format_date, format_number, format_percent, gettext, ngettext

Formatter = Callable[[Any, Any, str], str]


def as_text(_question: Any, value: Any, _lang: str) -> str:
    return str(value)


def yes_no(_question: Any, value: Any, lang: str) -> str:
    return gettext("form.yes" if value else "form.no", lang)


def single_choice(question: Any, value: Any, lang: str) -> str:
    return str(question.choice_label(value, lang))


def multiple_choice(question: Any, value: Any, lang: str) -> str:
    return ", ".join(question.choice_label(v, lang) for v in value)


def money(_question: Any, value: Any, lang: str) -> str:
    return format_currency(value, lang, 0 if float(value).is_integer() else 2)


def percentage(_question: Any, value: Any, lang: str) -> str:
    return format_percent(value, lang, 0 if float(value).is_integer() else 1)


def integer(question: Any, value: Any, lang: str) -> str:
    if question.min is not None and question.min >= 1900:  # a year: no separator
        return str(int(value))
    return format_number(value, lang)


def decimal(question: Any, value: Any, lang: str) -> str:
    return format_number(value, lang, question.decimals)


def date(_question: Any, value: Any, lang: str) -> str:
    if not isinstance(value, dt.date):
        return str(value)
    return format_date(value, lang)


def place(_question: Any, value: Any, lang: str) -> str:
    return geo.place_label(value, lang)


def items(_question: Any, value: Any, lang: str) -> str:
    return ngettext("repeat.count", len(value), lang)
