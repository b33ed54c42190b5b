"""Texts of the answering wizard: `wt(key, lang)` reads `wizard.<key>` from the gettext
catalogues (`opp.i18n`); `wn` is its plural form."""

from __future__ import annotations

from typing import Any

from opp.i18n import gettext, ngettext

# One icon per state of a step (opp.questionnaire.progress.StepState); "complete" is the
# validator's own status (section_statuses), shown where no progress is computed.
STATUS_ICONS = {
    "answered": "✅",
    "complete": "✅",
    "confirmed_empty": "➖",
    "to_confirm": "🔵",
    "incomplete": "🟠",
    "errors": "❌",
    "empty": "⚪",
}


def wt(key: str, lang: str, **params: Any) -> str:
    return gettext(f"wizard.{key}", lang, **params)


def wn(key: str, n: int, lang: str, **params: Any) -> str:
    return ngettext(f"wizard.{key}", n, lang, **params)
