"""Tables as CSV and XLSX files that are safe to open in Excel or LibreOffice.

Downloads are opened by non-technical users in a spreadsheet, which evaluates any cell
that looks like a formula. Following the OWASP "CSV injection" guidance, every string
cell and every header that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
(also after leading blanks or invisible characters, and in their full-width forms) is
prefixed with a single quote. Real numbers are never touched: a negative number stays a
number, while the *text* "-1+2" is neutralised.

CSV files are UTF-8 with a BOM (otherwise Excel guesses the legacy code page and breaks
accents), separated by `;` for French users (French Excel expects it, the comma being its
decimal mark) and by `,` for English users. French files write decimals with a comma
(2,5), as French Excel and LibreOffice read them; English files with a point.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

import openpyxl
import polars as pl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from opp.i18n import LANGUAGES, decimal_symbol

if TYPE_CHECKING:
    from openpyxl.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# What polars types `.dtype`, `.inner` and a struct field's dtype as (an instance or a class).
Dtype = pl.DataType | pl.datatypes.DataTypeClass

__all__ = ["export_filename", "neutralise", "safe_frame", "to_csv_bytes", "to_xlsx_bytes"]

# Characters a spreadsheet reads as the start of a formula (ASCII and full-width forms).
_DANGEROUS = "=+\\-@\\u0009\\u000d\\uff1d\\uff0b\\uff0d\\uff20"
# Characters a spreadsheet (or a user's clean-up) may drop before reading the first one:
# control characters, Unicode blanks, zero-width and bidirectional format characters.
_IGNORABLE = (
    "\\u0000-\\u0020\\u007f-\\u00a0\\u00ad\\u1680\\u180e\\u2000-\\u200f\\u2028-\\u202f"
    "\\u205f-\\u2064\\u2066-\\u206f\\u3000\\ufeff"
)
# One pattern, understood identically by Python's `re` and by polars (Rust `regex`), so
# that `neutralise` and `safe_frame` always agree.
_DANGER_PATTERN = f"^[{_IGNORABLE}]*[{_DANGEROUS}]"
_DANGER_RE = re.compile(_DANGER_PATTERN)

# Characters forbidden in XML 1.0: openpyxl refuses the controls and writes U+FFFE/U+FFFF
# into a file that no reader can open.
_XLSX_ILLEGAL_PATTERN = "[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff]"
_XLSX_ILLEGAL_RE = re.compile(_XLSX_ILLEGAL_PATTERN)
_XLSX_MAX_CELL = 32_767  # Excel's limit; longer texts make Excel "repair" the file.
_XLSX_MAX_WIDTH = 60
_XLSX_MIN_WIDTH = 8
_SHEET_FORBIDDEN_RE = re.compile(r"[\[\]:*?/\\\u0000-\u001f]")
_SHEET_MAX = 31

_LIST_JOINER = ", "
_CSV_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"

_FILENAME_MAX = 80
_FILENAME_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "đ": "d"}
)
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
_EXTENSION_RE = re.compile(r"[a-z0-9]+(?:\.[a-z0-9]+)*")


# --- neutralising -------------------------------------------------------------------------


def neutralise(value: object) -> object:
    """Return the value safe for a spreadsheet cell.

    Strings a spreadsheet would read as a formula get a leading "'"; every other value
    (numbers, dates, None...) is returned unchanged, so real numbers stay numbers.
    """
    if isinstance(value, str) and _DANGER_RE.match(value):
        return "'" + value
    return value


def _neutralise_text(expr: pl.Expr) -> pl.Expr:
    """Vectorised `neutralise` for a String expression (same pattern, same result)."""
    return pl.when(expr.str.contains(_DANGER_PATTERN)).then(pl.lit("'") + expr).otherwise(expr)


def _has_text(dtype: Dtype) -> bool:
    """Whether a (possibly nested) type holds strings that a spreadsheet could show."""
    if isinstance(dtype, pl.String | pl.Categorical | pl.Enum):
        return True
    if isinstance(dtype, pl.List | pl.Array):
        return _has_text(dtype.inner)
    if isinstance(dtype, pl.Struct):
        return any(_has_text(field.dtype) for field in dtype.fields)
    return False


def _neutralise_expr(expr: pl.Expr, dtype: Dtype) -> pl.Expr:
    """Neutralise every string inside `expr`, keeping its type where possible."""
    if not _has_text(dtype):
        return expr
    if isinstance(dtype, pl.String):
        return _neutralise_text(expr)
    if isinstance(dtype, pl.Enum):
        safe = [str(neutralise(category)) for category in dtype.categories.to_list()]
        text = _neutralise_text(expr.cast(pl.String))
        # An Enum cannot hold values outside its categories: keep it only if still unique.
        return text.cast(pl.Enum(safe)) if len(set(safe)) == len(safe) else text
    if isinstance(dtype, pl.Categorical):
        return _neutralise_text(expr.cast(pl.String)).cast(dtype)
    if isinstance(dtype, pl.List):
        return expr.list.eval(_neutralise_expr(pl.element(), dtype.inner))
    if isinstance(dtype, pl.Array):
        return expr.arr.eval(_neutralise_expr(pl.element(), dtype.inner))
    assert isinstance(dtype, pl.Struct)
    fields = [
        _neutralise_expr(expr.struct.field(field.name), field.dtype).alias(field.name)
        for field in dtype.fields
    ]
    return pl.when(expr.is_null()).then(None).otherwise(pl.struct(fields))


def _unique_names(names: Iterable[str]) -> list[str]:
    """Make names unique again after a rewrite ("'=a" may already exist next to "=a")."""
    seen: set[str] = set()
    unique: list[str] = []
    for name in names:
        candidate, rank = name, 2
        while candidate in seen:
            candidate, rank = f"{name} ({rank})", rank + 1
        seen.add(candidate)
        unique.append(candidate)
    return unique


def safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Same data with every string (also inside lists and structs) and every column name
    neutralised; numbers, dates and booleans untouched.

    If a neutralised name clashes with an existing one ("=a" next to "'=a"), it gets a
    " (2)" suffix so that no column is lost.
    """
    names = _unique_names(str(neutralise(name)) for name in frame.columns)
    return frame.select(
        _neutralise_expr(pl.nth(index), dtype).alias(new)
        for index, (dtype, new) in enumerate(zip(frame.dtypes, names, strict=True))
    )


# --- flattening for files -----------------------------------------------------------------


def _text_expr(expr: pl.Expr, dtype: Dtype) -> pl.Expr:
    """Any value as readable text (used inside lists, which become one cell)."""
    if isinstance(dtype, pl.List):
        return expr.list.eval(_text_expr(pl.element(), dtype.inner)).list.join(_LIST_JOINER)
    if isinstance(dtype, pl.Array):
        return _text_expr(expr.cast(pl.List(dtype.inner)), pl.List(dtype.inner))
    if isinstance(dtype, pl.Struct):
        return pl.when(expr.is_null()).then(None).otherwise(expr.struct.json_encode())
    if isinstance(dtype, pl.Binary):
        return expr.bin.encode("hex")
    if isinstance(dtype, pl.Duration):
        return expr.dt.to_string("iso")  # "P1DT2H": polars cannot write durations to CSV
    return expr.cast(pl.String)


def _flat_expr(index: int, dtype: Dtype) -> pl.Expr:
    """A column as cell values a CSV writer and openpyxl both accept."""
    col = pl.nth(index)
    if isinstance(dtype, pl.List | pl.Array | pl.Struct | pl.Binary | pl.Duration):
        return _text_expr(col, dtype)
    if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
        # Spreadsheets have no time zones: show the wall-clock time of the column's zone.
        return col.dt.replace_time_zone(None)
    if isinstance(dtype, pl.Float32):
        # Widen through the shortest text so that 0.1f32 is written 0.1, not 0.10000000149.
        col = col.cast(pl.String).cast(pl.Float64)
    if dtype.is_float():
        # NaN and infinities have no spreadsheet cell (openpyxl would write a corrupt file).
        return pl.when(col.is_finite()).then(col).otherwise(None)
    return col


def _objects_as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Python-object columns as their `str()`, converted here in Python: a Python
    callback inside a Polars expression (`map_elements`) can deadlock a server whose
    threads share Polars' pool."""
    objects = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.Object)]
    return frame.with_columns(
        pl.Series(name, [None if v is None else str(v) for v in frame[name]], dtype=pl.String)
        for name in objects
    )


def _flat_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """One plain value per cell: lists joined with ', ', structs as JSON, no time zones."""
    frame = _objects_as_text(frame)
    return frame.select(
        _flat_expr(index, dtype).alias(name)
        for index, (name, dtype) in enumerate(frame.schema.items())
    )


# --- CSV ----------------------------------------------------------------------------------


def _separator(lang: str) -> str:
    """The field separator a spreadsheet of that language expects: `;` where the decimal
    mark is a comma (French: Excel's French locale), `,` elsewhere (English); "fr-FR"
    style also works."""
    base = lang.replace("_", "-").split("-", 1)[0].lower()
    if base not in LANGUAGES:
        msg = f"Unsupported export language {lang!r}; expected one of {sorted(LANGUAGES)}."
        raise ValueError(msg)
    return ";" if decimal_symbol(base) == "," else ","


def to_csv_bytes(frame: pl.DataFrame, *, lang: str = "fr") -> bytes:
    """The table as a spreadsheet-safe CSV file (UTF-8 with BOM, `;` for fr, `,` for en).

    Decimal comma for fr, point for en; floats without scientific notation, None/NaN/inf
    as empty cells,
    dates ISO (datetimes "YYYY-MM-DD HH:MM:SS"), list values joined with ', '.
    """
    separator = _separator(lang)
    safe = safe_frame(_flat_frame(frame))
    text = safe.write_csv(
        separator=separator,
        line_terminator="\r\n",
        quote_char='"',
        date_format="%Y-%m-%d",
        datetime_format=_CSV_DATETIME_FORMAT,
        time_format="%H:%M:%S",
        float_scientific=False,
        decimal_comma=lang.lower().startswith("fr"),
        null_value="",
        quote_style="necessary",
    )
    return b"\xef\xbb\xbf" + text.encode("utf-8")


# --- XLSX ---------------------------------------------------------------------------------


def _xlsx_text(text: str) -> str:
    """Text openpyxl can store and Excel can open: no XML-illegal characters, neutralised,
    within Excel's cell length (the leading quote survives the cut)."""
    return str(neutralise(_XLSX_ILLEGAL_RE.sub("", text)))[:_XLSX_MAX_CELL]


def _xlsx_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Flat, cleaned and neutralised frame whose names are the final header texts."""
    flat = _flat_frame(frame)
    cleaned = flat.select(
        pl.nth(index).str.replace_all(_XLSX_ILLEGAL_PATTERN, "")
        if dtype == pl.String
        else pl.nth(index)
        for index, dtype in enumerate(flat.dtypes)
    )
    cleaned.columns = _unique_names(_XLSX_ILLEGAL_RE.sub("", name) for name in flat.columns)
    safe = safe_frame(cleaned)
    cut = safe.select(
        pl.nth(index).str.slice(0, _XLSX_MAX_CELL) if dtype == pl.String else pl.nth(index)
        for index, dtype in enumerate(safe.dtypes)
    )
    cut.columns = _unique_names(name[:_XLSX_MAX_CELL] for name in safe.columns)
    return cut


def _sheet_title(name: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\, no leading/trailing quote, 31 chars max."""
    title = _SHEET_FORBIDDEN_RE.sub("-", name).strip(" '")[:_SHEET_MAX].strip(" '")
    if not title:
        return "Données"
    if title.casefold() == "history":  # reserved by Excel
        return "History-"
    return title


def _text_cell(sheet: WriteOnlyWorksheet, text: str, font: Font | None = None) -> Cell:
    """A cell that is text whatever it looks like (never a formula nor an error code)."""
    cell = WriteOnlyCell(sheet, value=_xlsx_text(text))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _value_cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    """A data cell: strings forced to text, other values left for openpyxl to type."""
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)  # already cleaned and neutralised
        cell.data_type = "s"
        return cell
    return value


def _widths(frame: pl.DataFrame) -> list[float]:
    """Column widths that fit the header and the longest value, within reasonable bounds."""
    widths: list[float] = []
    for index, (name, dtype) in enumerate(frame.schema.items()):
        longest = len(name)
        if frame.height and dtype != pl.Null:
            try:
                text = pl.nth(index).cast(pl.String)
                lengths = frame.select(text.str.len_chars().max()).item()
            except pl.exceptions.PolarsError:
                lengths = 12
            if isinstance(lengths, int):
                longest = max(longest, lengths)
        widths.append(float(min(max(longest + 2, _XLSX_MIN_WIDTH), _XLSX_MAX_WIDTH)))
    return widths


def to_xlsx_bytes(
    frame: pl.DataFrame,
    *,
    sheet: str = "Données",
    title: str | None = None,
    notes: list[str] | None = None,
) -> bytes:
    """The table as a one-sheet workbook: optional bold title, optional note rows (source,
    confidentiality...), a bold frozen header row with a filter, then the data.

    Numbers, dates and booleans stay typed cells; every text cell is neutralised and
    forced to text, so nothing is ever evaluated as a formula. None/NaN/inf are empty.
    """
    return to_xlsx_workbook({sheet: frame}, title=title, notes=notes)


def to_xlsx_workbook(
    sheets: dict[str, pl.DataFrame],
    *,
    title: str | None = None,
    notes: list[str] | None = None,
) -> bytes:
    """Several tables, one sheet each (same layout and safety as `to_xlsx_bytes`)."""
    workbook = openpyxl.Workbook(write_only=True)
    used: set[str] = set()
    for sheet, frame in sheets.items():
        name = _sheet_title(sheet)
        while name in used:  # sheet names must be unique once shortened
            name = _sheet_title(f"{name[:27]}-{len(used)}")
        used.add(name)
        _write_sheet(workbook.create_sheet(name), _xlsx_frame(frame), title, notes)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(
    worksheet: WriteOnlyWorksheet, data: pl.DataFrame, title: str | None, notes: list[str] | None
) -> None:
    # A write-only sheet writes its layout with the first row: set it all up front.
    header_row = 1 + (title is not None) + len(notes or [])
    worksheet.freeze_panes = f"A{header_row + 1}"
    # column_dimensions and auto_filter are set by Worksheet._setup: the stubs miss them
    columns = worksheet.column_dimensions  # type: ignore[attr-defined]
    for index, width in enumerate(_widths(data), start=1):
        columns[get_column_letter(index)].width = width
    if title is not None:
        worksheet.append([_text_cell(worksheet, title, Font(bold=True, size=14))])
    for note in notes or []:
        worksheet.append([_text_cell(worksheet, note, Font(italic=True))])
    if data.width:
        last = get_column_letter(data.width)
        auto_filter = worksheet.auto_filter  # type: ignore[attr-defined]  # (see above)
        auto_filter.ref = f"A{header_row}:{last}{header_row + data.height}"
        bold = Font(bold=True)
        worksheet.append([_text_cell(worksheet, name, bold) for name in data.columns])
        for row in data.iter_rows():
            worksheet.append([_value_cell(worksheet, value) for value in row])


# --- file names ---------------------------------------------------------------------------


def export_filename(stem: str, extension: str) -> str:
    """A file name safe on every system and in a Content-Disposition header: an ASCII slug
    of `stem` ("Égalité femmes-hommes 2025" → "egalite-femmes-hommes-2025"), at most
    80 characters, then '.' and the extension."""
    ext = extension.strip().lstrip(".").lower()
    if not _EXTENSION_RE.fullmatch(ext):
        msg = f"Invalid file extension {extension!r}."
        raise ValueError(msg)
    ascii_text = (
        unicodedata.normalize("NFKD", stem.translate(_FILENAME_LIGATURES))
        .encode("ascii", "ignore")
        .decode("ascii")
        .lower()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    slug = slug[:_FILENAME_MAX].rstrip("-") or "export"
    if slug in _WINDOWS_RESERVED:
        slug = f"{slug}-export"
    return f"{slug}.{ext}"
