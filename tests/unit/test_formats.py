"""Dates and versions as the interface's tables show them."""

from __future__ import annotations

import datetime as dt

from opp.ui.formats import date_text, datetime_text, version_label


def test_formats__dates_in_each_language_without_midnight_or_none() -> None:
    day = dt.date(2026, 10, 16)
    assert date_text(day, "fr") == "16/10/2026"
    assert date_text(day, "en") == "16/10/2026"  # en_GB (opp.i18n, Babel)
    # Before: "2026-10-16 00:00:00", "None", "NaT".
    assert datetime_text(dt.datetime(2026, 10, 16), "fr") == "16/10/2026"
    assert datetime_text(dt.datetime(2026, 10, 16, 8, 5), "en") == "16/10/2026 08:05"
    assert date_text(None) == "—"
    assert date_text(float("nan")) == "—"


def test_formats__a_questionnaire_version_is_named() -> None:
    assert version_label("Cirque", "1.0.0") == "Cirque — version 1.0.0"
