"""The gettext catalogues: every message translated in both languages, every message the
code asks for present, plurals and formats per language (opp.i18n)."""

from __future__ import annotations

import ast
import datetime as dt
import os
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from opp import i18n

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "opp" / "locale"
CODE = [*sorted((ROOT / "src" / "opp").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py"))]
CODE.append(ROOT / "app.py")


def _catalogue(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "opp.po").open("rb") as handle:
        return read_po(handle, locale=lang, domain="opp")


CATALOGUES = {lang: _catalogue(lang) for lang in i18n.LANGUAGES}
MSGIDS = {
    lang: {m.id[0] if isinstance(m.id, tuple) else m.id for m in cat if m.id}
    for lang, cat in CATALOGUES.items()
}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues__both_languages_hold_the_same_messages() -> None:
    assert MSGIDS["fr"] - MSGIDS["en"] == set(), "messages without an English translation"
    assert MSGIDS["en"] - MSGIDS["fr"] == set(), "messages without a French translation"
    assert len(MSGIDS["fr"]) > 600


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_catalogues__every_message_is_translated_and_not_fuzzy(lang: str) -> None:
    for message in CATALOGUES[lang]:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(f.strip() for f in forms), (lang, message.id)
        assert not message.fuzzy, (lang, message.id)
        if isinstance(message.id, tuple):
            assert len(forms) == 2, (lang, message.id)


def test_catalogues__both_languages_use_the_same_placeholders() -> None:
    english = {m.id: m.string for m in CATALOGUES["en"] if m.id}
    for message in CATALOGUES["fr"]:
        if not message.id:
            continue
        fr = message.string if isinstance(message.string, tuple) else (message.string,)
        en = english[message.id]
        en = en if isinstance(en, tuple) else (en,)
        names = {n for form in fr for n in _placeholders(form)}
        assert names == {n for form in en for n in _placeholders(form)}, message.id


def test_catalogues__no_hand_written_plural_left() -> None:
    """ "réponse(s)", "step(s)": a count picks its form through ngettext."""
    for lang, cat in CATALOGUES.items():
        for message in cat:
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            for form in forms:
                assert not re.search(r"\w\((s|e|es)\)", form), (lang, message.id, form)


# --- every message the code asks for exists ---------------------------------------------

# lookup function → prefix of its message ids in the catalogues
PREFIXES = {
    "gettext": "",
    "ngettext": "",
    "t": "",
    "tr": "",
    "trn": "",
    "wt": "wizard.",
    "wn": "wizard.",
}
# module → prefix of its own `_t` helper
OWN_HELPERS = {
    "src/opp/ui/repeat.py": "repeat.",
    "src/opp/reports.py": "fiche.report.",
    "src/opp/ui/filters.py": "filters.",
    "src/opp/mail/templates.py": "letter.",
}


def _module_prefixes(tree: ast.Module, path: Path) -> dict[str, str]:
    prefixes = dict(PREFIXES)
    own = OWN_HELPERS.get(path.relative_to(ROOT).as_posix())
    if own is not None:
        prefixes["_t"] = own
    if path.name == "dashboard.py" and path.parent.name == "ui":
        prefixes["t"] = "dash."
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "opp.ui.dashboard":
            for alias in node.names:
                if alias.name == "t":
                    prefixes[alias.asname or "t"] = "dash."
    return prefixes


def _asked() -> list[tuple[str, int, str]]:
    """(file, line, msgid) of every lookup with a literal message id."""
    asked = []
    for path in CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        prefixes = _module_prefixes(tree, path)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else None
            if isinstance(func, ast.Attribute) and func.attr in ("gettext", "ngettext"):
                name = func.attr
            first = node.args[0]
            if (
                name in prefixes
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                msgid = prefixes[name] + first.value
                asked.append((str(path.relative_to(ROOT)), node.lineno, msgid))
    return asked


def test_code__every_message_it_asks_for_is_in_the_catalogues() -> None:
    asked = _asked()
    assert len(asked) > 500  # the scan sees the interface's lookups
    missing = [a for a in asked if a[2] not in MSGIDS["fr"]]
    assert missing == []


def test_gettext__a_message_reads_in_each_language() -> None:
    assert i18n.gettext("nav.home", "fr") == "Accueil"
    assert i18n.gettext("nav.home", "en") == "Home"
    assert i18n.gettext("app.page_title", "en", page="Emploi") == "Emploi · OPP"
    assert i18n.gettext("nav.home", "de") == "Accueil"  # unknown language: French


@pytest.mark.parametrize(
    ("n", "fr", "en"),
    [
        (0, "0 élément", "0 items"),
        (1, "1 élément", "1 item"),
        (2, "2 éléments", "2 items"),
    ],
)
def test_ngettext__french_zero_is_singular_english_zero_plural(n: int, fr: str, en: str) -> None:
    assert i18n.ngettext("repeat.count", n, "fr") == fr
    assert i18n.ngettext("repeat.count", n, "en") == en


# --- numbers and dates ------------------------------------------------------------------

NNBSP, NBSP = "\u202f", "\u00a0"


def test_format_number__separators_per_language() -> None:
    assert i18n.format_number(10781200, "fr") == f"10{NNBSP}781{NNBSP}200"
    assert i18n.format_number(10781200, "en") == "10,781,200"
    assert i18n.format_number(68.66, "fr", 1) == "68,7"
    assert i18n.format_number(68.66, "en", 1) == "68.7"
    assert i18n.format_number(179900, "fr", 2) == f"179{NNBSP}900,00"
    assert i18n.format_decimal(2.5, "fr") == "2,5"


def test_format_currency__euros_per_language() -> None:
    assert i18n.format_currency(179900, "fr") == f"179{NNBSP}900{NBSP}€"
    assert i18n.format_currency(179900, "en") == "€179,900"
    assert i18n.format_currency(12.5, "fr", 2) == f"12,50{NBSP}€"


def test_format_percent__points_per_language() -> None:
    assert i18n.format_percent(48.6, "fr") == f"48,6{NBSP}%"
    assert i18n.format_percent(48.6, "en") == "48.6%"
    assert i18n.format_percent(50, "fr", 0) == f"50{NBSP}%"


def test_format_date__per_language() -> None:
    day = dt.date(2026, 3, 7)
    assert i18n.format_date(day, "fr") == "07/03/2026"
    assert i18n.format_date(day, "fr", "long") == "7 mars 2026"
    assert i18n.format_date(day, "en", "long") == "7 March 2026"
    moment = dt.datetime(2026, 3, 7, 18, 5, tzinfo=dt.UTC)
    assert i18n.format_datetime(moment, "fr") == "07/03/2026 18:05"
    assert i18n.format_datetime(moment, "en") == "07/03/2026 18:05"


def test_plotly_separators__match_the_tables() -> None:
    assert i18n.plotly_separators("fr") == f",{NNBSP}"
    assert i18n.plotly_separators("en") == ".,"


def test_catalogue__a_stale_compiled_file_is_not_used(tmp_path, monkeypatch) -> None:
    """The .mo compiled by `make` is used only when at least as recent as its .po: an
    edited .po is read directly until it is compiled again."""
    package = tmp_path / "opp"
    for lang in i18n.LANGUAGES:
        folder = package / "locale" / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        source = (LOCALE / lang / "LC_MESSAGES" / "opp.po").read_text(encoding="utf-8")
        (folder / "opp.mo").write_bytes(i18n._compiled(lang))
        edited = source.replace('msgstr "Accueil"', 'msgstr "Page d\'accueil"')
        (folder / "opp.po").write_text(edited, encoding="utf-8")
        later = (folder / "opp.mo").stat().st_mtime + 60  # edited a minute after compiling
        os.utime(folder / "opp.po", (later, later))
    monkeypatch.setattr(i18n.resources, "files", lambda _: package)
    assert b"Page d'accueil" in i18n._compiled("fr")
