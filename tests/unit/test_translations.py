"""The gettext catalogues: every message translated in both languages, every message the
code asks for present, plurals and formats per language (opp.i18n)."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
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
    "src/opp/cli.py": "cli.",
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


# --- no bilingual table nor language branch in the code ---------------------------------

LANGUAGE_CODES = set(i18n.LANGUAGES)
# file → (how many bilingual literals it may hold, why): content that is data, not
# interface text. Everything else reads its texts from the catalogues.
ALLOWED_BILINGUAL = {
    "src/opp/i18n.py": (1, "LOCALES: each language's Babel locale, not a text"),
    "src/opp/geo.py": (1, "country names: ISO 3166 data, French from pycountry's catalogue"),
    "src/opp/questionnaire/loader.py": (
        1,
        "a pydantic refusal: English is pydantic's own message, French translated beside it",
    ),
    "src/opp/demo/codesign.py": (5, "a demo proposal: questionnaire content, bilingual data"),
}


def _bilingual_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """Dict literals keyed by two or more language codes ({"fr": …, "en": …}),
    `L10n(fr=…, en=…)` calls, and comparisons with a language code (`lang == "fr"`)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if len(keys & LANGUAGE_CODES) >= 2:
                found.append((node.lineno, "dict"))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "L10n":
            if {k.arg for k in node.keywords} >= LANGUAGE_CODES:
                found.append((node.lineno, "L10n"))
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            equality = any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops)
            if equality and any(
                isinstance(s, ast.Constant) and s.value in LANGUAGE_CODES for s in sides
            ):
                found.append((node.lineno, "comparison"))
    return found


def _scanned() -> dict[str, list[tuple[int, str]]]:
    return {
        path.relative_to(ROOT).as_posix(): _bilingual_literals(
            ast.parse(path.read_text(encoding="utf-8"))
        )
        for path in CODE
    }


def test_code__no_bilingual_table_nor_language_branch() -> None:
    """Interface text lives in the catalogues: a `{"fr": …, "en": …}` literal, an
    `L10n(fr=…, en=…)` or a `lang == "en"` in src/opp, pages/ or app.py fails here unless
    the file is listed in ALLOWED_BILINGUAL with the reason."""
    offending = {
        relative: found
        for relative, found in _scanned().items()
        if len(found) > ALLOWED_BILINGUAL.get(relative, (0, ""))[0]
    }
    assert offending == {}


def test_code__the_scan_sees_a_bilingual_literal() -> None:
    source = 'A = {"fr": "Oui", "en": "Yes"}\nif lang == "en":\n    pass\nL10n(fr="a", en="b")\n'
    kinds = sorted(kind for _, kind in _bilingual_literals(ast.parse(source)))
    assert kinds == ["L10n", "comparison", "dict"]
    assert _bilingual_literals(ast.parse('B = {"fr": "Oui"}\nC = {lang: 1 for lang in L}\n')) == []


def test_vocabularies__every_code_has_its_label_in_every_language() -> None:
    """Code lists (filières, roles, actions…) name their codes from the catalogues."""
    for module in (  # the modules that create vocabularies
        "opp.access.policy",
        "opp.datapackage",
        "opp.directory.values",
        "opp.indicators.trends",
        "opp.questionnaire.edits",
        "opp.referentiel",
        "opp.services.codesign",
        "opp.services.membership",
    ):
        importlib.import_module(module)

    assert len(i18n.VOCABULARIES) >= 15
    for vocabulary in i18n.VOCABULARIES:
        for code in vocabulary:
            for lang in i18n.LANGUAGES:
                assert vocabulary.msgid(code) in MSGIDS[lang], (vocabulary.prefix, code, lang)


def test_vocabulary__labels_follow_the_language() -> None:
    from opp.access.viewer import ROLE_LABELS, Role
    from opp.referentiel import FILIERE_SHORT, FILIERES, label

    assert label(FILIERES, "cirque", "fr") == "Arts du cirque"
    assert label(FILIERES, "cirque", "en") == "Circus arts"
    assert label(FILIERES, "inconnue", "en") == "inconnue"  # an unknown code stays as is
    assert FILIERES["cirque"] == {"fr": "Arts du cirque", "en": "Circus arts"}
    assert list(FILIERES)[:2] == ["arts_de_la_rue", "marionnette"]
    assert "cirque" in FILIERES
    assert ROLE_LABELS.label(Role.ADMIN, "en") == "Administrator (agency)"
    # one short name per filière, read by the menu and the charts alike
    assert FILIERE_SHORT.msgid("cirque") == "nav.filiere.cirque"
    assert FILIERE_SHORT.label("arts_de_la_rue", "fr") == i18n.gettext(
        "nav.filiere.arts_de_la_rue", "fr"
    )


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "fr"),
        ({"LANG": "C.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8", "OPP_LANG": "fr"}, "fr"),
        ({"OPP_LANG": "en"}, "en"),
    ],
)
def test_operator_language__opp_lang_then_locale_then_french(
    environ: dict[str, str], lang: str
) -> None:
    assert i18n.operator_language(environ) == lang
