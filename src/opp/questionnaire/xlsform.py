"""XLSForm exchange: import a KoboToolbox/ODK workbook, export a questionnaire to XLSForm.

XLSForm (https://xlsform.org) is the spreadsheet format of KoboToolbox and ODK. Our
expression syntax is its XPath subset, so most of a questionnaire maps directly; what
XLSForm cannot say (units, money, carry-forward, personal data, rules, bounds…) travels in
an extra sheet named ``opp`` that ODK ignores, so ``ours → XLSForm → ours`` is lossless.
A plain XLSForm (no ``opp`` sheet) is imported as faithfully as our model allows; every
element that is not supported or is transformed is reported in ``ImportResult.notes``
(never dropped silently); a malformed workbook raises `OppError` naming the sheet, the
row and the column and saying how to fix it.

Mapping (survey sheet row ↔ our model)

==========================  =========================================================
XLSForm                     OPP
==========================  =========================================================
begin_group / end_group     `Section` at top level (name = id, label = title,
                            relevant). Export adds appearance ``field-list`` (one page)
                            unless the section holds a repeat, and the section
                            description as a ``note`` row ``<id>_description``. Import:
                            a group inside a section is flattened into it (its
                            relevance is and-ed onto each question; note); questions
                            outside any group are gathered into a section (note).
begin_repeat / end_repeat   `RepeatQuestion` (a repeat inside a repeat is an error;
                            ``repeat_count`` is not supported: note).
text                        text; appearance ``multiline`` ↔ long_text.
integer / decimal           integer / decimal; money and percentage export as decimal
                            (their type and unit are kept in the opp sheet).
select_one L / select_mult. single_choice / multiple_choice with list L of the
                            choices sheet; appearance ``minimal`` ↔ dropdown.
select_one oui_non          yes_no; the list's values are ``true`` / ``false``. On import
                            any select_one whose list has exactly these two values.
select_one communes_occ…    commune (4,485 INSEE codes), ``departements_occitanie`` →
                            departement, ``regions_pays`` → region_country (FR-<INSEE>
                            regions and ISO countries). Recognised by list name on
                            import, also as select_one_from_file ``<name>.csv``.
date / note                 date / note.
calculate annee_de_ref…     ``${_reference_year}``: export writes one calculate row with
                            the year as a constant (``reference_year`` argument, default
                            last year); import maps it back (info note).
other types                 calculate, geo*, media, barcode, range, rank, trigger,
                            metadata (start, end, today, deviceid…), time, dateTime…:
                            row skipped with a warning; expressions citing a skipped row
                            are removed with a warning.
hint / label::<lang>        help / label, French and English (``label::Français (fr)``,
                            ``label::fr``, ``label::English``…); a plain ``label`` is
                            the default language (settings), else French. Other
                            languages are ignored (note).
required                    yes/true/1 → True; an expression → False with a warning.
relevant                    relevant (copied: same syntax).
constraint (+ message)      constraint. Export and-s onto it what XLSForm cannot say:
                            min/max (``. >= a and . <= b``), lengths, pattern
                            (``regex(., '^(?:p)$')``), selection counts, exclusive
                            choices, date bounds and the *error* rules whose first
                            field is this question; messages are joined. The opp
                            sheet keeps the originals. Import (plain XLSForm): a
                            number constraint exactly ``. >= a``/``. <= b`` (or both
                            and-ed) also sets min/max (note); the text is kept.
year(x)                     ``int(format-date(x, '%Y'))`` (ODK has no year()).
yes_no = true()             ``${x} = 'true'`` (an ODK answer is text); a bare yes_no
                            reference in a boolean place becomes ``${x} = 'true'``.
settings                    form_title = title (default language), form_id = id,
                            version = semver (import normalises ``1``, ``1.2``,
                            ``2024031501``… with a note), default_language, style pages.
required_message, default,  not supported: warning note naming the row and column when
read_only, calculation,     the cell is not empty. Unknown columns: info note.
choice_filter, parameters,
media::*, guidance_hint
names                       our ids are ``[a-z][a-z0-9_]*``: other names are lowercased,
                            accents removed, other characters replaced by ``_`` (note;
                            references rewritten); collisions are errors.
opp sheet (kind/name/data)  JSON per element: our type, fields XLSForm cannot express
                            (unit, carry_forward, personal, min/max, decimals, lengths,
                            pattern, item_label, min/max_items, appearance…), exclusive
                            choices per list, rules, title/description/status/changelog
                            and, for every transformed cell, what was written and the
                            original. A cell edited after export wins (note).
==========================  =========================================================

Not carried: ``include`` and ``composed_from`` — the export is the composed whole, so the
import is self-contained (including the modules again would duplicate their sections).
Spaces around texts and carriage returns are dropped (Excel cells). Rules of severity
``warning`` are not ODK constraints (ODK has no soft checks; they would block the answer)
but round-trip through the opp sheet. Semantics differ slightly in ODK: a constraint is
checked only once its own question is answered, and an empty answer compared with a
number is false there (unknown, hence not checked, in OPP). A plain XLSForm gives no
``choice_lists`` (choices are inlined), default text lengths (300 / 5,000) and no rules.

Code: this module holds the entry points and what import and export share (names, notes,
expression rewrites); `xlsform_workbook` reads the sheets, `xlsform_import` and
`xlsform_survey` import, `xlsform_export` exports.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeGuard

from opp.i18n import LANGUAGES, language_name, texts
from opp.questionnaire import expressions, question_types
from opp.questionnaire.expr_syntax import Binary, Call, Current, Node, Ref, Unary, to_text
from opp.questionnaire.expr_syntax import Literal as Lit
from opp.questionnaire.model import Questionnaire
from opp.questionnaire.question_types import REGISTRY

Severity = Literal["info", "warning"]

# How a language is named in the XLSForm columns ("label::Français (fr)").
LANG_NAMES = {lang: f"{language_name(lang)} ({lang})" for lang in LANGUAGES}
# Types exported with a fixed list (their descriptors in `question_types` name it).
GEO_LISTS = {
    key: kind.xls.list_name
    for key, kind in REGISTRY.items()
    if kind.codes is not None and kind.xls is not None and kind.xls.list_name
}
YES_NO_LIST = question_types.YES_NO_LIST
YES_NO_VALUES = ("true", "false")
REFERENCE_YEAR_CALC = "annee_de_reference"
OPP_SHEET = "opp"
OPP_FORMAT = "opp-xlsform/1"
# Keys of a question written in the survey sheet; the rest goes to the opp sheet.
SURVEY_KEYS = {
    "repeat": {"id", "type", "label", "relevant", "questions"},
    "note": {"id", "type", "label", "help", "relevant"},
    "calculate": {"id", "type", "label", "relevant", "calculation"},
    "*": {"id", "type", "label", "help", "required", "relevant", "constraint"}
    | {"constraint_message", "choices", "choice_filter"},
}


@dataclass(frozen=True)
class ImportNote:
    """Something of the workbook that was not supported or was transformed."""

    row: int | None  # row number in the sheet, 1-based as Excel shows it
    sheet: str
    field: str | None  # column or element name
    message: dict[str, str]  # the note in every language (opp.i18n.texts)
    severity: Severity


@dataclass(frozen=True)
class ImportResult:
    questionnaire: Questionnaire  # validated by the loader's checks
    notes: list[ImportNote]


def import_xlsform(
    data: bytes,
    *,
    filename: str = "formulaire.xlsx",
    filiere: str,
    questionnaire_id: str | None = None,
    version: str | None = None,
) -> ImportResult:
    """Read an XLSForm workbook into a checked questionnaire; pure (writes nothing).

    Raises `OppError` (and only that) for a malformed workbook, naming sheet, row, column.
    """
    from opp.questionnaire.xlsform_import import Importer

    return Importer(data, filename, filiere, questionnaire_id, version).run()


def export_xlsform(
    questionnaire: Questionnaire,
    *,
    languages: tuple[str, ...] = ("fr", "en"),
    reference_year: int | None = None,
) -> bytes:
    """An .xlsx accepted by KoboToolbox/ODK (survey, choices, settings) plus the opp sheet.

    `reference_year` is the value given to ``${_reference_year}`` in ODK (default: last year).
    """
    from opp.questionnaire.xlsform_export import Exporter

    return Exporter(questionnaire, languages, reference_year).run()


# --- notes ---------------------------------------------------------------------------------

# The texts of the notes are catalogue messages, `xlsform.note.<key>` (placeholders:
# `{value}`, `{field}` and the note's own parameters).


def make_note(
    key: str, sheet: str, row: int | None, field: str | None, severity: Severity, **params: object
) -> ImportNote:
    """A note from the catalogue message `xlsform.note.<key>`, in every language;
    parameters are cut to 120 characters."""
    shown = {k: str(v)[:120] for k, v in {"value": field, **params}.items()}
    message = texts(f"xlsform.note.{key}", **{"field": field, **shown})
    return ImportNote(row, sheet, field, message, severity)


# --- names ---------------------------------------------------------------------------------


def normalize_name(raw: str) -> str:
    """An XLSForm name as one of our ids: ``Nom-Structure`` → ``nom_structure``."""
    plain = unicodedata.normalize("NFKD", raw)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    plain = re.sub(r"[^a-z0-9_]", "_", plain)
    if not plain[:1].isalpha() or not plain[:1].isascii():
        plain = "q" + ("" if plain.startswith("_") else "_") + plain
    return plain[:63]


# --- expressions ---------------------------------------------------------------------------


def map_tree(node: Node, fn: Callable[[Node], Node]) -> Node:
    """Rebuild a tree bottom-up, letting `fn` replace each node."""
    if isinstance(node, Unary):
        node = Unary(node.op, map_tree(node.operand, fn))
    elif isinstance(node, Binary):
        node = Binary(node.op, map_tree(node.left, fn), map_tree(node.right, fn))
    elif isinstance(node, Call):
        node = Call(node.name, tuple(map_tree(arg, fn) for arg in node.args))
    return fn(node)


def from_odk(expr: expressions.Expression, yes_no: set[str]) -> str:
    """Back from ODK: ``${x} = 'true'`` on a yes_no question is ``${x} = true()``."""

    def convert(node: Node) -> Node:
        if isinstance(node, Binary) and node.op in {"=", "!="}:
            left, right = node.left, node.right
            if isinstance(left, Ref) and left.name in yes_no and _is_bool_text(right):
                return Binary(node.op, left, Call(str(right.value), ()))
            if isinstance(right, Ref) and right.name in yes_no and _is_bool_text(left):
                return Binary(node.op, Call(str(left.value), ()), right)
        return node

    tree = map_tree(expr.node, convert)
    return expr.source if tree == expr.node else to_text(tree)


def _is_bool_text(node: Node) -> TypeGuard[Lit]:
    return isinstance(node, Lit) and node.value in YES_NO_VALUES


def bounds_of(constraint: str | None) -> dict[str, float] | None:
    """`. >= a`, `. <= b` or both and-ed → {"min": a, "max": b}; anything else → None."""

    def bound(part: Node) -> tuple[str, float] | None:
        if isinstance(part, Binary) and part.op in {">=", "<="} and isinstance(part.left, Current):
            value, sign = part.right, 1
            if isinstance(value, Unary):
                value, sign = value.operand, -1
            if isinstance(value, Lit) and not isinstance(value.value, str):
                return ("min" if part.op == ">=" else "max", sign * value.value)
        return None

    node = expressions.parse(constraint).node if constraint else None
    if isinstance(node, Binary) and node.op == "and":
        left, right = bound(node.left), bound(node.right)
        return dict([left, right]) if left and right and left[0] != right[0] else None
    single = bound(node) if node else None
    return dict([single]) if single else None


_INT_FORMAT_DATE = re.compile(r"\bint\s*\(\s*format-date\s*\(")


def year_back(text: str) -> str:
    """``int(format-date(x, '%Y'))`` → ``year(x)``, before parsing (ODK has no year())."""
    out: list[str] = []
    pos = 0
    while match := _INT_FORMAT_DATE.search(text, pos):
        close = _closing(text, match.end())
        tail = re.match(r"\s*\)", text[close + 1 :]) if close >= 0 else None
        comma = _last_top_comma(text, match.end(), close) if tail else -1
        fmt = text[comma + 1 : close].strip() if comma >= 0 else ""
        if fmt not in {"'%Y'", '"%Y"'} or tail is None:
            out.append(text[pos : match.end()])
            pos = match.end()
            continue
        out.append(f"{text[pos : match.start()]}year({text[match.end() : comma].strip()})")
        pos = close + 1 + tail.end()
    return "".join(out) + text[pos:]


def _closing(text: str, start: int) -> int:
    """Index of the parenthesis closing the one opened just before `start`, or -1."""
    depth, quote = 1, ""
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _last_top_comma(text: str, start: int, end: int) -> int:
    depth, quote, found = 0, "", -1
    for i in range(start, end):
        ch = text[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            found = i
    return found
