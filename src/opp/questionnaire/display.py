"""Human-readable answers (review page, exports, restitution), formatted by `opp.i18n`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from opp import geo
from opp.i18n import format_currency, format_date, format_number, format_percent, gettext, ngettext
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


def format_value(question: Any, value: Any, lang: str = "fr") -> str:
    """One answer as text, in the reader's language."""
    if value is None:
        return "—"
    if isinstance(question, YesNoQuestion):
        return gettext("form.yes" if value else "form.no", lang)
    if isinstance(question, SingleChoiceQuestion):
        return question.choice_label(value, lang)
    if isinstance(question, MultipleChoiceQuestion):
        return ", ".join(question.choice_label(v, lang) for v in value)
    if isinstance(question, MoneyQuestion):
        return format_currency(value, lang, 0 if float(value).is_integer() else 2)
    if isinstance(question, PercentageQuestion):
        return format_percent(value, lang, 0 if float(value).is_integer() else 1)
    if isinstance(question, IntegerQuestion):
        if question.min is not None and question.min >= 1900:  # a year: no separator
            return str(int(value))
        return format_number(value, lang)
    if isinstance(question, DecimalQuestion):
        return format_number(value, lang, question.decimals)
    if isinstance(question, DateQuestion) and isinstance(value, dt.date):
        return format_date(value, lang)
    if isinstance(question, CommuneQuestion | DepartementQuestion | RegionCountryQuestion):
        return geo.place_label(value, lang)
    if isinstance(question, RepeatQuestion):
        return ngettext("repeat.count", len(value), lang)
    return str(value)
