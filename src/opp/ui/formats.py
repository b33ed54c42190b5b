"""Dates and questionnaire versions as a person reads them in the interface's tables:
the day as `opp.i18n` writes it (Babel: `16/10/2026`), a time only when there is one,
"—" for nothing (before: `2026-10-16 00:00:00`, `None`, `NaT`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from opp.i18n import format_date, format_datetime

NOTHING = "—"


def date_text(value: Any, lang: str = "fr") -> str:
    """A date (or the day of a date-time) in the reader's language."""
    if value is None or value != value:  # None, NaT/NaN
        return NOTHING
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return str(value)
    return format_date(value, lang)


def datetime_text(value: Any, lang: str = "fr") -> str:
    """A date-time with its hour and minute; a midnight time reads as the day alone."""
    if isinstance(value, dt.datetime) and (value.hour, value.minute) != (0, 0):
        return format_datetime(value, lang)
    return date_text(value, lang)


def version_label(title: str, version: str) -> str:
    """A questionnaire version as people name it: "Cirque — version 1.0.0" (not
    `cirque@1.0.0`)."""
    return f"{title} — version {version}"
