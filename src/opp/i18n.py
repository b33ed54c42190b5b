"""The one home of interface text and of number and date formatting, per language.

Interface texts live in gettext catalogues (`src/opp/locale/<lang>/LC_MESSAGES/opp.po`,
compiled to `opp.mo` by `make`); message ids are neutral keys (`"nav.home"`), so both
languages are translations and a missing one is caught by a test. Texts are
`str.format` templates (`{n}`, `{date}`); plurals go through `ngettext` (French: 0 and 1
are singular). Numbers, amounts, percentages and dates go through Babel with the
language's locale (`fr` → fr_FR, `en` → en_GB), so a French reader sees `10 781 200`,
`179 900 €`, `68,7` and `48,6 %` everywhere (cards, tables, charts), an English reader
`10,781,200`, `€179,900`, `68.7`, `48.6%`.

Code lists (filières, roles, actions…) are `Vocabulary` objects: their codes in Python,
their labels in the catalogues (`<prefix>.<code>`). A text that travels as a value to be
read later in its reader's language (an `OppError` parameter, an import note) is built by
`texts(msgid)`, the message in every language. Questionnaire texts (YAML) and the error
catalogue (`error_catalogue*.py`) are content written in both languages side by side;
they do not go through these catalogues.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as _gettext
import io
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from typing import Any, Literal

from babel import Locale
from babel import dates as _dates
from babel import numbers as _numbers

LANGUAGES = ("fr", "en")
DEFAULT = "fr"
DOMAIN = "opp"
LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def language(lang: str | None) -> str:
    """A supported language code (anything else reads as French, the default)."""
    return lang if lang in LANGUAGES else DEFAULT


def language_name(lang: str) -> str:
    """A language named in itself, as a language menu shows it: "Français", "English"."""
    name = Locale.parse(LOCALES.get(lang, lang)).get_language_name(lang) or lang
    return name[:1].upper() + name[1:]


def locale(lang: str | None) -> str:
    """The Babel locale used to format numbers and dates for a language."""
    return LOCALES[language(lang)]


def catalogue_path(lang: str, suffix: str = "po") -> Any:
    """The catalogue file of a language inside the package (`.po` source or `.mo`)."""
    return resources.files("opp") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.{suffix}"


def _compiled(lang: str) -> bytes:
    """The `.mo` bytes of a language: the file compiled by `make` when it is at least as
    recent as its source, else compiled in memory from the `.po` (a fresh checkout, or a
    `.po` edited since), so a stale `.mo` never hides a change."""
    source, compiled = catalogue_path(lang, "po"), catalogue_path(lang, "mo")
    try:
        # (a little slack: an installer writes both files in the same second, any order)
        if compiled.is_file() and (
            not source.is_file() or compiled.stat().st_mtime >= source.stat().st_mtime - 2
        ):
            return bytes(compiled.read_bytes())
    except (OSError, AttributeError):  # a resource without stat (zip): use the .mo
        return bytes(compiled.read_bytes())
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with source.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


@functools.cache
def translations(lang: str) -> _gettext.GNUTranslations:
    """The catalogue of a language; English falls back to French for a missing text."""
    lang = language(lang)
    catalogue = _gettext.GNUTranslations(io.BytesIO(_compiled(lang)))
    if lang != DEFAULT:
        catalogue.add_fallback(translations(DEFAULT))
    return catalogue


def gettext(msgid: str, lang: str | None = DEFAULT, **params: Any) -> str:
    """The interface text `msgid` in `lang`, its `{placeholders}` filled from `params`."""
    text = translations(language(lang)).gettext(msgid)
    return text.format(**params) if params else text


def ngettext(msgid: str, n: int, lang: str | None = DEFAULT, **params: Any) -> str:
    """The singular or plural form of `msgid` for the count `n` (available as `{n}`)."""
    text = translations(language(lang)).ngettext(msgid, msgid, int(n))
    return text.format(**({"n": n} | params))


def has_message(msgid: str, lang: str = DEFAULT) -> bool:
    """Whether the catalogue of `lang` itself translates `msgid` (no fallback): for
    texts keyed by open-ended codes (audit actions), which keep the code when unknown."""
    return msgid in _msgids(language(lang))


def texts(msgid: str, **params: Any) -> dict[str, str]:
    """The message `msgid` in every language (`{"fr": …, "en": …}`), for a text passed on
    as a value and read later in its reader's language: an `OppError` parameter, an
    XLSForm import note, the `libelle_fr`/`libelle_en` columns of the open data."""
    return {lang: gettext(msgid, lang, **params) for lang in LANGUAGES}


def operator_language(environ: Mapping[str, str]) -> str:
    """The language of someone at a terminal: `OPP_LANG`, else the `LANG`/`LC_ALL`/
    `LC_MESSAGES` locale (`en_GB.UTF-8` → English), else French."""
    for name in ("OPP_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = (environ.get(name) or "").strip().lower()
        if value and value not in ("c", "posix") and not value.startswith("c."):
            code = value.replace("-", "_").split("_")[0].split(".")[0]
            return language(code)
    return DEFAULT


class Vocabulary(Mapping[str, dict[str, str]]):
    """A code list whose codes live in Python and whose labels live in the catalogues,
    one message per code (`<prefix>.<code>`; `aliases` let several codes share one
    message). Ordered like `codes`; `label(code, lang)` reads one label; as a mapping,
    `vocabulary[code]` is the label in every language (see `texts`)."""

    def __init__(
        self, prefix: str, codes: Iterable[str], aliases: Mapping[str, str] | None = None
    ) -> None:
        self.prefix = prefix
        self.codes = tuple(str(code) for code in codes)
        self.aliases = dict(aliases or {})
        VOCABULARIES.append(self)

    def msgid(self, code: str) -> str:
        code = str(code)
        return f"{self.prefix}.{self.aliases.get(code, code)}"

    def label(self, code: str | None, lang: str | None = DEFAULT) -> str:
        """The label of a code in `lang`, the code itself when it is not in the list."""
        if code is None:
            return "—"
        return gettext(self.msgid(code), lang) if str(code) in self.codes else str(code)

    def __getitem__(self, code: str) -> dict[str, str]:
        if str(code) not in self.codes:
            raise KeyError(code)
        return texts(self.msgid(code))

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self.codes

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __repr__(self) -> str:
        return f"Vocabulary({self.prefix!r}, {self.codes!r})"


# every vocabulary created (a test checks that each code has its message in each language)
VOCABULARIES: list[Vocabulary] = []


def message_ids(lang: str = DEFAULT) -> frozenset[str]:
    """Every message id the catalogue of `lang` itself translates."""
    return _msgids(language(lang))


@functools.cache
def _msgids(lang: str) -> frozenset[str]:
    catalogue: dict[Any, str] = translations(lang)._catalog  # type: ignore[attr-defined]
    return frozenset(key[0] if isinstance(key, tuple) else key for key in catalogue if key)


# --- numbers --------------------------------------------------------------------------


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits > 0 else "")


def format_number(value: float, lang: str | None = DEFAULT, digits: int = 0) -> str:
    """A number with exactly `digits` decimals and the language's separators
    (`10 781 200`, `68,7` / `10,781,200`, `68.7`)."""
    return _numbers.format_decimal(value, format=_pattern(digits), locale=locale(lang))


def format_decimal(value: float, lang: str | None = DEFAULT, max_digits: int = 3) -> str:
    """A number with as many decimals as it needs, up to `max_digits`."""
    pattern = "#,##0" + ("." + "#" * max_digits if max_digits > 0 else "")
    return _numbers.format_decimal(value, format=pattern, locale=locale(lang))


def format_currency(
    value: float, lang: str | None = DEFAULT, digits: int = 0, currency: str = "EUR"
) -> str:
    """An amount (`179 900 €` / `€179,900`); `digits=2` shows cents."""
    standard = Locale.parse(locale(lang)).currency_formats["standard"].pattern
    pattern = standard.split(";")[0].replace("#,##0.00", _pattern(digits))
    return _numbers.format_currency(
        value, currency, format=pattern, locale=locale(lang), currency_digits=False
    )


def format_percent(points: float, lang: str | None = DEFAULT, digits: int = 1) -> str:
    """A percentage given in points (48.6 → `48,6 %` / `48.6%`)."""
    standard = Locale.parse(locale(lang)).percent_formats[None].pattern
    pattern = standard.split(";")[0].replace("#,##0", _pattern(digits))
    return _numbers.format_percent(points / 100, format=pattern, locale=locale(lang))


def format_measure(
    value: float, unit: str | None, lang: str | None = DEFAULT, digits: int = 0
) -> str:
    """A value in an indicator's unit: euros and percentages the language's way
    (`179 900 €` / `€179,900`, `48,6 %` / `48.6%`), full-time equivalents and points
    with their abbreviation (`684 ETP` / `684 FTE`), counts bare."""
    if unit == "eur":
        return format_currency(value, lang, digits)
    if unit == "percent":
        return format_percent(value, lang, digits)
    number = format_number(value, lang, digits)
    return gettext(f"unit.{unit}", lang, value=number) if unit in ("fte", "points") else number


def decimal_symbol(lang: str | None = DEFAULT) -> str:
    return _numbers.get_decimal_symbol(locale(lang))


def group_symbol(lang: str | None = DEFAULT) -> str:
    return _numbers.get_group_symbol(locale(lang))


def plotly_separators(lang: str | None = DEFAULT) -> str:
    """Plotly's `layout.separators` (decimal mark then thousands separator), so hover
    labels and axes read like the cards and tables of the same language."""
    return decimal_symbol(lang) + group_symbol(lang)


# --- dates ----------------------------------------------------------------------------


def format_date(value: dt.date, lang: str | None = DEFAULT, form: str = "short") -> str:
    """A date (`short`: 30/11/2026 in both languages; `long`: 30 novembre 2026 /
    30 November 2026)."""
    return _dates.format_date(value, format=form, locale=locale(lang))


def format_datetime(value: dt.datetime, lang: str | None = DEFAULT, form: str = "short") -> str:
    """A date and time in the time zone the value carries (30/11/2026 19:39 /
    30/11/2026, 19:39)."""
    pattern = {
        "short": f"{_date_pattern(lang, 'short')} HH:mm",
        "medium": f"{_date_pattern(lang, 'medium')} HH:mm",
    }.get(form, form)
    return _dates.format_datetime(value, format=pattern, tzinfo=value.tzinfo, locale=locale(lang))


def month_name(month: int, lang: str | None = DEFAULT) -> str:
    """The name of a month (1–12) as it reads alone: "janvier" / "January"."""
    return str(_dates.get_month_names("wide", "stand-alone", locale=locale(lang))[month])


def _date_pattern(lang: str | None, form: Literal["short", "medium"]) -> str:
    return str(_dates.get_date_format(form, locale=locale(lang)).pattern)
