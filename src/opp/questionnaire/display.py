"""Human-readable answers (review page, exports, restitution)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from opp import geo
from opp.questionnaire.model import (
    CommuneQuestion,
    DateQuestion,
    DecimalQuestion,
    DepartementQuestion,
    IntegerQuestion,
    MoneyQuestion,
    MultipleChoiceQuestion,
    PercentageQuestion,
    RegionCountryQuestion,
    RepeatQuestion,
    SingleChoiceQuestion,
    YesNoQuestion,
)

_YES = {"fr": ("Oui", "Non"), "en": ("Yes", "No")}


def format_number(value: float, lang: str = "fr", digits: int = 0) -> str:
    text = f"{value:,.{digits}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def format_value(question: Any, value: Any, lang: str = "fr") -> str:
    """One answer as text, in the reader's language."""
    if value is None:
        return "—"
    if isinstance(question, YesNoQuestion):
        return _YES[lang][0 if value else 1]
    if isinstance(question, SingleChoiceQuestion):
        return question.choice_label(value, lang)
    if isinstance(question, MultipleChoiceQuestion):
        return ", ".join(question.choice_label(v, lang) for v in value)
    if isinstance(question, MoneyQuestion):
        return f"{format_number(value, lang, 0 if float(value).is_integer() else 2)} €"
    if isinstance(question, PercentageQuestion):
        return f"{format_number(value, lang, 0 if float(value).is_integer() else 1)} %"
    if isinstance(question, IntegerQuestion):
        if question.min is not None and question.min >= 1900:  # a year: no separator
            return str(int(value))
        return format_number(value, lang)
    if isinstance(question, DecimalQuestion):
        return format_number(value, lang, question.decimals)
    if isinstance(question, DateQuestion) and isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()
    if isinstance(question, CommuneQuestion | DepartementQuestion | RegionCountryQuestion):
        return geo.place_label(value, lang)
    if isinstance(question, RepeatQuestion):
        count = len(value)
        return f"{count} élément(s)" if lang == "fr" else f"{count} item(s)"
    return str(value)
