"""Reading an XLSForm workbook: its sheets as header + rows of cell texts, within limits.

Kept apart from the mapping so that the importer works on plain texts: `read_sheets` refuses
what is not a workbook (or is too big, including decompression bombs) with `OppError`, and
`Sheet` finds columns by base name and language (``label::Français (fr)``, ``label::fr``…).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Callable

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from opp.errors import OppError
from opp.questionnaire.xlsform import OPP_SHEET

# Limits keep a mistaken or hostile upload from exhausting memory (the sheets are read whole).
MAX_BYTES = 30_000_000
MAX_UNZIPPED = 300_000_000
MAX_ROWS = {"survey": 20_000, "choices": 200_000, "settings": 100, OPP_SHEET: 50_000}
MAX_COLUMNS = 300
TRANSLATABLE = {"label", "hint", "constraint_message", "required_message", "guidance_hint"}
TRANSLATABLE |= {"image", "audio", "video", "big-image"}
HEADER_ALIASES = {
    "constraint message": "constraint_message",
    "required message": "required_message",
}
HEADER_ALIASES |= {"relevance": "relevant", "readonly": "read_only", "jr:count": "repeat_count"}
HEADER_ALIASES |= {"count": "repeat_count", "value": "name", "list name": "list_name"}
HEADER_ALIASES |= {"calculate": "calculation", "caption": "label"}
LANG_WORDS = {"fr": "fr", "fra": "fr", "fre": "fr", "french": "fr", "français": "fr"}
LANG_WORDS |= {"francais": "fr", "en": "en", "eng": "en", "english": "en", "anglais": "en"}


def lang_code(text: str) -> str:
    """``Français (fr)``, ``fr``, ``English`` → fr / en; other languages → their code."""
    match = re.search(r"\(\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?\s*\)\s*$", text)
    word = (match.group(1) if match else text).strip().lower()
    return LANG_WORDS.get(word, word)


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
        for index, text in enumerate(header):
            if not text:
                continue
            head, sep, rest = text.partition("::")
            base = " ".join(head.lower().split())
            base = HEADER_ALIASES.get(base, base).replace(" ", "_")
            if sep and base not in TRANSLATABLE:
                base, rest = text.strip().lower(), ""
            lang = lang_code(rest) if sep else ""
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


def read_sheets(data: bytes, filename: str) -> dict[str, Sheet]:
    """The survey, choices, settings and opp sheets (names compared case-insensitively)."""
    if not isinstance(data, bytes | bytearray) or len(data) > MAX_BYTES:
        size = f"{len(data) // 1_000_000} Mo" if isinstance(data, bytes | bytearray) else "?"
        raise OppError("XLS_NOT_XLSX", file=filename, value=filename, reason=f"> 30 Mo ({size})")
    sheets: dict[str, Sheet] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:  # refuse decompression bombs
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise OppError("XLS_NOT_XLSX", file=filename, value=filename, reason="> 300 Mo")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        for ws in book.worksheets:
            key = ws.title.strip().lower()
            if key not in MAX_ROWS or key in sheets:
                continue
            rows: list[tuple[int, list[str]]] = []
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS[key] + 1:
                    raise OppError("XLS_LIMIT", file=filename, path=ws.title, limit=MAX_ROWS[key])
                texts = [cell_text(v) for v in values[:MAX_COLUMNS]]
                if number == 1 or any(texts):
                    rows.append((number, texts))
            header = rows.pop(0)[1] if rows and rows[0][0] == 1 else []
            sheets[key] = Sheet(ws.title, header, rows)
        book.close()
    except OppError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of the reader means "not a workbook"
        reason = type(exc).__name__
        raise OppError("XLS_NOT_XLSX", file=filename, value=filename, reason=reason) from None
    return sheets


def cell_text(value: object) -> str:
    """A cell as XLSForm reads it: text, integers without '.0', dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()
