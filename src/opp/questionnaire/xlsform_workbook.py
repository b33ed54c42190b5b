"""Reading an XLSForm workbook (.xlsx or .xls) with pyxform, within limits, as sheets of texts.

pyxform (the reference implementation of XLSForm) reads the workbook: `.xls` (old Excel,
through xlrd) and `.xlsx`, formulas as their cached values, numbers and dates as XLSForm
reads them. Before it reads anything we refuse what is not a workbook or is too big: the
file's size, and for `.xlsx` (a ZIP archive) each entry's uncompressed size and their total,
read from the archive's directory (decompression bombs, 20 MB of shared strings). After it,
every cell's length, the number of non-empty rows and the nesting of groups are capped,
each refusal naming the sheet, the row and the column. Formula cells are reported (the
value Excel last computed is used). `Sheet` finds columns by base name and language, with
pyxform's aliases (``relevance``, ``bind::relevant``, ``label:English``, ``caption``…).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from pyxform import aliases
from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import DefinitionData, get_xlsform

from opp.errors import OppError
from opp.questionnaire.xlsform import OPP_SHEET

# Limits keep a mistaken or hostile upload from exhausting memory or the processor.
MAX_BYTES = 20_000_000  # the upload itself
MAX_UNZIPPED = 40_000_000  # all entries of an .xlsx, uncompressed
MAX_ENTRY = 20_000_000  # one entry (e.g. the shared strings)
MAX_ENTRIES = 2_000
MAX_CELL = 10_000  # characters in one cell (a long label is ~500)
MAX_DEPTH = 30  # groups and repeats nested in one another
MAX_ROWS = {"survey": 20_000, "choices": 200_000, "settings": 100, OPP_SHEET: 50_000}
MAX_COLUMNS = 300
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003)
TRANSLATABLE = {"label", "hint", "constraint_message", "required_message", "guidance_hint"}
TRANSLATABLE |= {"image", "audio", "video", "big-image"}
# pyxform's grouped names (bind::…, control::…, media::…) → our column names.
FROM_PYXFORM = {"jr:constraintMsg": "constraint_message", "jr:requiredMsg": "required_message"}
FROM_PYXFORM |= {"calculate": "calculation", "readonly": "read_only", "jr:count": "repeat_count"}
FROM_PYXFORM |= {"jr:noAppErrorString": "no_app_error_string"}
HEADER_ALIASES = {"list name": "list_name", "list_name": "list_name", "value": "name"}
HEADER_ALIASES |= {"form_title": "form_title", "form_id": "form_id"}  # settings keep ours
LANG_WORDS = {"fr": "fr", "fra": "fr", "fre": "fr", "french": "fr", "français": "fr"}
LANG_WORDS |= {"francais": "fr", "en": "en", "eng": "en", "english": "en", "anglais": "en"}


def lang_code(text: str) -> str:
    """``Français (fr)``, ``fr``, ``English`` → fr / en; other languages → their code."""
    match = re.search(r"\(\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?\s*\)\s*$", text)
    word = (match.group(1) if match else text).strip().lower()
    return LANG_WORDS.get(word, word)


def base_name(head: str) -> str:
    """A header's column (before any language), through pyxform's aliases."""
    low = " ".join(head.lower().split())
    if low in HEADER_ALIASES:
        return HEADER_ALIASES[low]
    alias = aliases.survey_header.get(low) or aliases.list_header.get(low)
    if isinstance(alias, tuple):
        name: str = alias[1]
        return FROM_PYXFORM.get(name, name)
    if isinstance(alias, str):
        return alias
    return low.replace(" ", "_")


def split_header(text: str, double_colon: bool) -> tuple[str, str, bool]:
    """(base, language, translated?) of a header, as pyxform groups them."""
    low = " ".join(text.strip().lower().split())
    if low in aliases.survey_header or low in HEADER_ALIASES:
        return base_name(low), "", False
    parts = text.split("::" if double_colon else ":")
    head = parts[0]
    if head.strip().lower() in {"bind", "control", "media"} and len(parts) > 1:
        # bind::relevant, control::appearance, media::image[::lang]
        key = (":" if not double_colon else "::").join(parts[1:2])
        if not double_colon and len(parts) > 2 and parts[1].lower() == "jr":
            key, parts = f"jr:{parts[2]}", [head, f"jr:{parts[2]}", *parts[3:]]
        base = FROM_PYXFORM.get(key, key.strip().lower())
        rest = parts[2:]
        return base, (rest[0] if rest else ""), bool(rest)
    if len(parts) == 1:
        return base_name(head), "", False
    return base_name(head), (":" if not double_colon else "::").join(parts[1:]), True


class Sheet:
    """A sheet's header (columns by base name, then language) and its non-empty rows."""

    def __init__(self, title: str, header: list[str], rows: list[tuple[int, list[str]]]) -> None:
        self.title = title
        self.rows = rows
        self.columns: dict[str, dict[str, int]] = {}  # base → language ("" = plain) → index
        self.headers = header
        self.other_languages: list[str] = []
        self.default = "fr"
        self.french_missing: set[str] = set()
        double = any("::" in h for h in header if h)
        for index, text in enumerate(header):
            if not text:
                continue
            base, rest, translated = split_header(text, double)
            if translated and base not in TRANSLATABLE:
                base, rest = text.strip().lower(), ""
            lang = lang_code(rest) if translated else ""
            if lang not in {"", "fr", "en"}:
                self.other_languages.append(text)
            self.columns.setdefault(base, {}).setdefault(lang, index)

    def set_default_language(self, text: str) -> None:
        self.default = lang_code(text) if text else "fr"

    def letter(self, base: str) -> str:
        indexes = self.columns.get(base)
        return get_column_letter(min(indexes.values()) + 1) if indexes else ""

    def get(self, cells: list[str], base: str) -> str:
        index = self.columns.get(base, {}).get("")
        return cells[index] if index is not None and index < len(cells) else ""

    def texts(self, cells: list[str], base: str) -> dict[str, str]:
        """fr/en texts of a translatable column; the plain column is the default language."""
        out: dict[str, str] = {}
        for lang, index in self.columns.get(base, {}).items():
            if lang in {"fr", "en"} and index < len(cells) and cells[index]:
                out.setdefault(lang, cells[index])
        plain = self.get(cells, base)
        if plain and self.default in {"fr", "en"}:
            out.setdefault(self.default, plain)
        return out

    def l10n(self, cells: list[str], base: str) -> dict[str, str] | None:
        """Texts as an L10n dict; English stands in for missing French (reported once)."""
        texts = self.texts(cells, base)
        if "fr" not in texts and "en" in texts:
            self.french_missing.add(base)
            texts["fr"] = texts["en"]
        return texts or None

    def used(self, accept: Callable[[str], bool]) -> list[str]:
        """Headers of the columns whose base name `accept`s and that hold a value."""
        indexes = {i for b, langs in self.columns.items() if accept(b) for i in langs.values()}
        filled = {i for _, cells in self.rows for i in indexes if i < len(cells) and cells[i]}
        return [self.headers[i] for i in sorted(filled)]

    def filled(self, cells: list[str], accept: Callable[[str], bool]) -> list[tuple[str, str]]:
        """(header, value) of the non-empty cells whose base name `accept`s."""
        return [
            (self.headers[i], cells[i])
            for base, langs in self.columns.items()
            if accept(base)
            for i in langs.values()
            if i < len(cells) and cells[i]
        ]


@dataclass(frozen=True)
class Formula:
    """A cell holding an Excel formula: read as the value Excel last computed (or empty)."""

    sheet: str
    row: int
    column: str
    formula: str
    value: str


@dataclass
class Workbook:
    sheets: dict[str, Sheet]  # survey, choices, settings, opp (lower-case names)
    formulas: list[Formula]
    definition: DefinitionData  # pyxform's reading, for its own conversion
    kind: str  # ".xlsx" or ".xls"


def read_workbook(data: bytes, filename: str) -> Workbook:
    """Read with pyxform after the size checks; OppError (only) for anything refused."""
    kind = _kind(data, filename)
    try:
        definition = get_xlsform(io.BytesIO(data), file_type=kind)
    except PyXFormError as exc:
        raise _read_error(data, kind, filename, str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - any failure of the reader means "not a workbook"
        raise OppError(
            "XLS_NOT_XLSX", file=filename, value=filename, reason=type(exc).__name__
        ) from None
    sheets: dict[str, Sheet] = {}
    titles = {name.lower(): name for name in definition.sheet_names or []}
    for key in ("survey", "choices", "settings"):
        rows = getattr(definition, key, None)
        header_rows = getattr(definition, f"{key}_header", None) or [{}]
        if rows is None and not header_rows[0]:
            continue
        title = titles.get(key) or (definition.sheet_names or [key])[0]
        sheets[key] = _sheet(filename, title, list(header_rows[0]), rows or [], key)
    formulas: list[Formula] = []
    if kind == ".xlsx":
        formulas, opp = _xlsx_extras(data, filename)
        if opp is not None:
            sheets[OPP_SHEET] = opp
    return Workbook(sheets, formulas, definition, kind)


def _kind(data: bytes, filename: str) -> str:
    if not isinstance(data, bytes | bytearray) or len(data) > MAX_BYTES:
        size = f"{len(data) // 1_000_000} Mo" if isinstance(data, bytes | bytearray) else "?"
        raise OppError("XLS_NOT_XLSX", file=filename, value=filename, reason=f"> 20 Mo ({size})")
    if bytes(data[:8]) == OLE2:
        return ".xls"
    if not bytes(data[:4]) == b"PK\x03\x04":
        raise OppError("XLS_NOT_XLSX", file=filename, value=filename, reason="format")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:  # refuse decompression bombs
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise OppError(
            "XLS_NOT_XLSX", file=filename, value=filename, reason=type(exc).__name__
        ) from None
    biggest = max((e.file_size for e in entries), default=0)
    total = sum(e.file_size for e in entries)
    if len(entries) > MAX_ENTRIES or biggest > MAX_ENTRY or total > MAX_UNZIPPED:
        largest = max(entries, key=lambda e: e.file_size).filename if entries else "—"
        raise OppError(
            "XLS_TOO_BIG",
            file=filename,
            path=largest,
            size=f"{total / 1e6:.0f}",
            limit=f"{MAX_UNZIPPED / 1e6:.0f}",
        )
    return ".xlsx"


def _sheet(filename: str, title: str, header: list[str], rows: list[dict], key: str) -> Sheet:
    """pyxform's rows (dicts, empty rows kept so numbers match) as our numbered rows."""
    header = [str(h) for h in header[:MAX_COLUMNS]]
    kept: list[tuple[int, list[str]]] = []
    for number, row in enumerate(rows, start=2):
        if not row:
            continue
        if len(kept) >= MAX_ROWS[key]:
            raise OppError("XLS_LIMIT", file=filename, path=title, limit=MAX_ROWS[key])
        cells = [str(row.get(h, "") or "") for h in header]
        for index, text in enumerate(cells):
            if len(text) > MAX_CELL:
                where = f"{title}!{get_column_letter(index + 1)}{number} ({header[index]})"
                raise OppError(
                    "XLS_CELL_TOO_LONG",
                    file=filename,
                    line=number,
                    path=where,
                    length=len(text),
                    limit=MAX_CELL,
                )
        kept.append((number, cells))
    return Sheet(title, header, kept)


def _xlsx_extras(data: bytes, filename: str) -> tuple[list[Formula], Sheet | None]:
    """Formula cells of the XLSForm sheets, and our own ``opp`` sheet (pyxform skips it)."""
    formulas: list[Formula] = []
    opp: Sheet | None = None
    try:
        formula_book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        value_book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - pyxform has read it: extras are best effort
        return formulas, None
    for ws in formula_book.worksheets:
        key = ws.title.strip().lower()
        if key == OPP_SHEET:
            opp = _opp_sheet(filename, ws)
            continue
        if key not in {"survey", "choices", "settings"}:
            continue
        values = value_book[ws.title].iter_rows(values_only=True)
        header: list[str] = []
        for number, (cells, computed) in enumerate(zip(ws.iter_rows(), values, strict=False), 1):
            if number == 1:
                header = ["" if c.value is None else str(c.value) for c in cells]
            for index, cell in enumerate(cells[:MAX_COLUMNS]):
                if getattr(cell, "data_type", "") != "f" or index >= len(header):
                    continue
                value = computed[index] if index < len(computed) else None
                formulas.append(
                    Formula(
                        ws.title,
                        number,
                        header[index] or get_column_letter(index + 1),
                        str(cell.value)[:80],
                        "" if value is None else str(value)[:80],
                    )
                )
    formula_book.close()
    value_book.close()
    return formulas, opp


def _opp_sheet(filename: str, ws: Worksheet) -> Sheet:
    """`ws`: a read-only sheet (it borrows Worksheet's `iter_rows`)."""
    rows: list[tuple[int, list[str]]] = []
    header: list[str] = []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        texts = ["" if v is None else str(v).strip() for v in values[:MAX_COLUMNS]]
        if number == 1:
            header = texts
            continue
        if not any(texts):
            continue
        if len(rows) >= MAX_ROWS[OPP_SHEET]:
            raise OppError("XLS_LIMIT", file=filename, path=OPP_SHEET, limit=MAX_ROWS[OPP_SHEET])
        if any(len(t) > MAX_CELL * 10 for t in texts):  # JSON payloads are longer than labels
            raise OppError(
                "XLS_CELL_TOO_LONG",
                file=filename,
                line=number,
                path=f"{OPP_SHEET}!C{number} (data)",
                length=max(len(t) for t in texts),
                limit=MAX_CELL * 10,
            )
        rows.append((number, texts))
    return Sheet(OPP_SHEET, header, rows)


_DUPLICATE = re.compile(r"Duplicate column header: (.+)$")
_ROW = re.compile(r"\[row : (\d+)\]")
_SHEET_WORD = re.compile(r"'(survey|choices|settings)' sheet", re.IGNORECASE)


def _read_error(data: bytes, kind: str, filename: str, message: str) -> OppError:
    """pyxform refused to read the workbook: say where, when its message lets us."""
    duplicate = _DUPLICATE.search(message)
    if duplicate:
        header = duplicate.group(1).strip()
        sheet = _sheet_with_header(data, kind, header) or "survey"
        return OppError(
            "XLS_HEADER_DUPLICATE",
            file=filename,
            line=1,
            path=f"{sheet}!1 ({header})",
            value=header,
        )
    return refused(filename, message)


def refused(filename: str, message: str, sheet: str | None = None) -> OppError:
    """pyxform's own refusal, located from its ``[row : N]`` and sheet words."""
    row = _ROW.search(message)
    named = _SHEET_WORD.search(message)
    sheet = sheet or (named.group(1).lower() if named else "survey")
    line = int(row.group(1)) if row else None
    text = " ".join(message.split())[:400]
    return OppError(
        "XLS_REFUSED",
        file=filename,
        line=line,
        path=f"{sheet}!{line or ''}".rstrip("!"),
        reason=text,
    )


def _sheet_with_header(data: bytes, kind: str, header: str) -> str | None:
    """Which sheet repeats a column header (pyxform's message does not say)."""
    try:
        if kind == ".xls":
            import xlrd

            book = xlrd.open_workbook(file_contents=data)
            firsts = {
                s.name: [str(c.value).strip() for c in s.row(0)] for s in book.sheets() if s.nrows
            }
        else:
            wb = load_workbook(io.BytesIO(data), read_only=True)
            firsts = {
                ws.title: [str(v).strip() for v in next(ws.iter_rows(values_only=True), ()) if v]
                for ws in wb.worksheets
            }
    except Exception:  # noqa: BLE001 - best effort: the message still names the header
        return None
    return next((name for name, heads in firsts.items() if heads.count(header) > 1), None)


def nesting_depth(rows: list[tuple[int, str]]) -> tuple[int, int]:
    """Deepest nesting of begin_/end_ rows, and the first row going past `MAX_DEPTH`
    (else the row where the deepest level is reached)."""
    depth = deepest = row_at = 0
    for number, kind in rows:
        low = kind.lower().replace(" ", "_")
        if low.startswith("begin_"):
            depth += 1
            if depth > deepest and deepest <= MAX_DEPTH:
                row_at = number
            deepest = max(deepest, depth)
        elif low.startswith("end_"):
            depth = max(0, depth - 1)
    return deepest, row_at
