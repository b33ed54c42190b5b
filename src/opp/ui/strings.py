"""Interface texts: `t(key, lang, **params)` reads the gettext catalogues through
`opp.i18n` (questionnaire texts live in the YAML files)."""

from __future__ import annotations

from opp.i18n import gettext as t
from opp.i18n import ngettext

__all__ = ["ngettext", "t"]
