"""Reading a directory file: bytes → a table of cell texts, within limits.

CSV (comma, semicolon or tab; UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252)
and XLSX (openpyxl in read-only mode). A ZIP bomb is refused from the archive's directory,
before anything is decompressed: Python's `zipfile` stops every member at its declared
size, so the sum of declared sizes bounds what openpyxl can inflate. Every refusal is an
`OppError` with a `DIR_*` code saying how to fix the file; nothing here knows about
columns or values (`headers.py`, `values.py`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from openpyxl import load_workbook

from opp.errors import OppError

MAX_BYTES = 20_000_000
MAX_ROWS = 50_000  # structures per file (a region holds a few thousand)
MAX_COLUMNS = 60
MAX_UNZIPPED = 100_000_000
MAX_ZIP_MEMBERS = 500
HEADER_SEARCH = 10  # a title or a blank line may sit above the header row
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (and other old Office files)


@dataclass
class RawTable:
    """A sheet as texts: the header row and the rows under it, with their spreadsheet
    row numbers (the header's number included), so every message names the row the
    user sees in their spreadsheet."""

    kind: str  # "csv" or "xlsx"
    header_row: int
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def read_table(data: bytes, filename: str, is_header: Callable[[list[str]], bool]) -> RawTable:
    """The table of a CSV or XLSX file; `is_header` recognises the header row."""
    if not data:
        raise OppError("DIR_EMPTY_FILE", file=filename)
    if len(data) > MAX_BYTES:
        raise OppError(
            "DIR_TOO_BIG",
            file=filename,
            size=round(len(data) / 1_000_000, 1),
            limit=MAX_BYTES // 1_000_000,
        )
    if data.startswith(_OLE_MAGIC):
        raise OppError("DIR_OLD_XLS", file=filename)
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, filename, is_header)
    return _read_csv(data, filename, is_header)


# --- CSV ---------------------------------------------------------------------------------


def decode(data: bytes, filename: str) -> tuple[str, str]:
    """The text and the encoding it was read with: a BOM decides; otherwise UTF-8, then
    Windows-1252 (what French spreadsheets save as "CSV" by default)."""
    if data.startswith(b"\xef\xbb\xbf"):
        attempts = [("utf-8", "UTF-8 (BOM)", 3)]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        attempts = [("utf-16", "UTF-16", 0)]
    else:
        attempts = [("utf-8", "UTF-8", 0), ("cp1252", "Windows-1252", 0)]
    failure: UnicodeDecodeError | None = None
    for codec, name, skip in attempts:
        try:
            text = data[skip:].decode(codec)
        except UnicodeDecodeError as exc:
            failure = exc
            continue
        if "\x00" in text:
            raise OppError("DIR_BINARY", file=filename)
        return text, name
    assert failure is not None
    bad = failure.object[failure.start : failure.start + 1]
    raise OppError(
        "DIR_ENCODING",
        file=filename,
        byte=f"0x{bad[0]:02X}" if bad else "?",
        offset=failure.start + 1,
    )


def sniff_delimiter(text: str) -> str:
    """The separator of the first line: the most frequent of ';', ',' and tab outside
    quotes (';' on a tie, as French spreadsheets write it)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts.values())
    if best == 0:
        return ";"
    return next(d for d in (";", ",", "\t") if counts[d] == best)


def _read_csv(data: bytes, filename: str, is_header: Callable[[list[str]], bool]) -> RawTable:
    text, encoding = decode(data, filename)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table = _table(_csv_rows(reader, filename), filename, is_header, "csv")
    table.encoding, table.delimiter = encoding, delimiter
    return table


def _csv_rows(reader: Iterator[list[str]], filename: str) -> Iterator[tuple[int, list[str]]]:
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise OppError("DIR_CSV_SYNTAX", file=filename, line=number, reason=str(exc)) from None
        yield number, cells


# --- XLSX --------------------------------------------------------------------------------


def _read_xlsx(data: bytes, filename: str, is_header: Callable[[list[str]], bool]) -> RawTable:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise OppError("DIR_NOT_XLSX", file=filename, reason=type(exc).__name__) from None
    if (
        len(members) > MAX_ZIP_MEMBERS
        or sum(m.file_size for m in members) > MAX_UNZIPPED
        or any(m.file_size < 0 for m in members)
    ):
        raise OppError("DIR_ZIP_BOMB", file=filename, limit=MAX_UNZIPPED // 1_000_000)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any failure of the reader means "not a workbook"
        raise OppError("DIR_NOT_XLSX", file=filename, reason=type(exc).__name__) from None
    try:
        first_error: OppError | None = None
        for sheet in book.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            rows = (
                (number, [cell_text(v) for v in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            )
            try:
                table = _table(rows, filename, is_header, "xlsx")
            except OppError as err:
                if err.code != "DIR_NO_HEADER":
                    raise
                first_error = first_error or err
                continue
            table.sheet = sheet.title
            return table
        raise first_error or OppError("DIR_NO_HEADER", file=filename)
    except OppError:
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed sheet is a file problem
        raise OppError("DIR_NOT_XLSX", file=filename, reason=type(exc).__name__) from None
    finally:
        book.close()


def cell_text(value: object) -> str:
    """A cell as a directory reads it: whole numbers without '.0' (SIRET, INSEE codes),
    dates in ISO form, everything else as typed. A formula cell keeps its '=' text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "vrai" if value else "faux"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# --- common --------------------------------------------------------------------------------


def _table(
    rows: Iterable[tuple[int, list[str]]],
    filename: str,
    is_header: Callable[[list[str]], bool],
    kind: str,
) -> RawTable:
    table: RawTable | None = None
    seen = 0
    for number, cells in rows:
        if len(cells) > MAX_COLUMNS and any(c.strip() for c in cells[MAX_COLUMNS:]):
            raise OppError(
                "DIR_TOO_MANY_COLUMNS",
                file=filename,
                line=number,
                count=len(cells),
                limit=MAX_COLUMNS,
            )
        cells = cells[:MAX_COLUMNS]
        if not any(c.strip() for c in cells):
            continue
        if table is None:
            seen += 1
            if is_header(cells):
                table = RawTable(kind=kind, header_row=number, header=cells)
            elif seen >= HEADER_SEARCH:
                break
            continue
        if len(table.rows) >= MAX_ROWS:
            raise OppError(
                "DIR_TOO_MANY_ROWS", file=filename, limit=f"{MAX_ROWS:,}".replace(",", " ")
            )
        table.rows.append((number, cells))
    if table is None:
        raise OppError("DIR_NO_HEADER", file=filename)
    if not table.rows:
        raise OppError("DIR_NO_ROWS", file=filename)
    return table
