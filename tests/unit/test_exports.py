"""CSV and XLSX exports: formula injection is impossible, numbers stay numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.worksheet import Worksheet

from opp.exports import export_filename, neutralise, safe_frame, to_csv_bytes, to_xlsx_bytes

BOM = b"\xef\xbb\xbf"
DANGEROUS_FIRST = set("=+-@\t\r＝＋－＠")
PAYLOADS = [
    "=1+1",
    "@SUM(1)",
    "+cmd|' /C calc'!A0",
    "-2+3",
    '=HYPERLINK("http://evil")',
    "\t=1",
    "\r=1",
    "  =1",
    "＝1",
    "＋1",
    "－1",
    "＠SUM(1)",
    "\u00a0=1",  # no-break space
    "\u200b=1",  # zero-width space
    "\n-1",
]
XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
DELIMITERS = {"fr": ";", "en": ","}
# Arbitrary text, often starting with a dangerous, blank or invisible character.
_prefixes = st.sampled_from(sorted(DANGEROUS_FIRST | {" ", "\u3000", "\u200b", "\x01", "'"}))
_texts = st.one_of(st.text(max_size=12), st.builds(str.__add__, _prefixes, st.text(max_size=8)))
_headers = st.one_of(_texts, st.sampled_from(["*", "^.*$", "nombre", "'=x"]))


def _csv_rows(data: bytes, lang: str = "fr") -> list[list[str]]:
    assert data.startswith(BOM)
    text = data[len(BOM) :].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITERS[lang]))


def _sheet(data: bytes) -> Worksheet:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def _looks_dangerous(text: str) -> bool:
    """Whether a spreadsheet could read the text as a formula (ignoring leading blanks)."""
    stripped = text.lstrip("".join(chr(c) for c in range(0x21)) + "\u00a0\u200b\u3000\ufeff")
    return text[:1] in DANGEROUS_FIRST or stripped[:1] in DANGEROUS_FIRST


def _payload_frame() -> pl.DataFrame:
    """One payload per row, and every payload also as a column name."""
    columns = {payload: [payload] * len(PAYLOADS) for payload in PAYLOADS}
    columns["payload"] = PAYLOADS
    return pl.DataFrame(columns)


# --- neutralise -------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralise__prefixes_dangerous_strings_with_a_quote(payload: str):
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize(
    "value",
    [-1, -2.5, 0, 10**20, None, True, dt.date(2025, 1, 2), "", "abc", "a=1", "'=1", *XSS],
)
def test_neutralise__leaves_safe_values_unchanged(value: object):
    assert neutralise(value) is value


def test_neutralise__is_idempotent():
    for payload in PAYLOADS:
        once = neutralise(payload)
        assert neutralise(once) == once


# --- safe_frame -------------------------------------------------------------------------


def test_safe_frame__neutralises_string_cells_and_names_only():
    frame = pl.DataFrame(
        {
            "=total": ["-1+2", "ok", None],
            "n": [-1, 2, None],
            "x": [-2.5, 0.1, None],
            "d": [dt.date(2025, 1, 2), None, dt.date(2024, 12, 31)],
            "b": [True, False, None],
        }
    )
    safe = safe_frame(frame)
    assert safe.columns == ["'=total", "n", "x", "d", "b"]
    assert safe["'=total"].to_list() == ["'-1+2", "ok", None]
    assert safe.drop("'=total").equals(frame.drop("=total"))
    assert safe.schema["n"] == pl.Int64


def test_safe_frame__name_collision_keeps_every_column():
    frame = pl.DataFrame({"'=a": [1], "=a": [2]})
    safe = safe_frame(frame)
    assert safe.columns == ["'=a", "'=a (2)"]
    assert safe.row(0) == (1, 2)


def test_safe_frame__reaches_strings_inside_lists_categoricals_enums_and_structs():
    frame = pl.DataFrame(
        {
            "l": [["=a", "b"], None, []],
            "c": pl.Series(["=c", "c", None], dtype=pl.Categorical),
            "e": pl.Series(["=e", "e", None], dtype=pl.Enum(["=e", "e"])),
            "s": [{"k": "@k", "n": -1}, None, {"k": "k", "n": 2}],
        }
    )
    safe = safe_frame(frame)
    assert safe["l"].to_list() == [["'=a", "b"], None, []]
    assert safe["c"].to_list() == ["'=c", "c", None]
    assert safe.schema["c"] == pl.Categorical()
    assert safe["e"].to_list() == ["'=e", "e", None]
    assert safe.schema["e"] == pl.Enum(["'=e", "e"])
    assert safe["s"].to_list() == [{"k": "'@k", "n": -1}, None, {"k": "k", "n": 2}]


def test_safe_frame__column_names_that_look_like_patterns_are_plain_names():
    frame = pl.DataFrame({"*": ["=1"], "^.*$": ["a"], "=x": [1]})
    assert safe_frame(frame).rows(named=True) == [{"*": "'=1", "^.*$": "a", "'=x": 1}]
    assert _csv_rows(to_csv_bytes(frame)) == [["*", "^.*$", "'=x"], ["'=1", "a", "1"]]
    assert [c.value for c in _sheet(to_xlsx_bytes(frame))[2]] == ["'=1", "a", 1]


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.one_of(st.none(), _texts), max_size=8))
def test_safe_frame__agrees_with_neutralise(values: list[str | None]):
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    assert safe_frame(frame)["v"].to_list() == [neutralise(v) for v in values]


# --- CSV --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_to_csv_bytes__neutralises_every_payload_in_cells_and_headers(lang: str):
    rows = _csv_rows(to_csv_bytes(_payload_frame(), lang=lang), lang)
    header, body = rows[0], rows[1:]
    assert header[:-1] == ["'" + payload for payload in PAYLOADS]
    assert len(body) == len(PAYLOADS)
    for row in body:
        assert all(cell.startswith("'") for cell in row)
    assert [row[-1] for row in body] == ["'" + payload for payload in PAYLOADS]


@pytest.mark.parametrize(("lang", "separator"), [("fr", b";"), ("en", b","), ("fr-FR", b";")])
def test_to_csv_bytes__separator_by_language_and_utf8_bom(lang: str, separator: bytes):
    data = to_csv_bytes(pl.DataFrame({"commune": ["Nîmes"], "n": [1]}), lang=lang)
    assert data == BOM + b"commune" + separator + b"n\r\n" + "Nîmes".encode() + separator + b"1\r\n"


def test_to_csv_bytes__rejects_an_unknown_language():
    with pytest.raises(ValueError, match="de"):
        to_csv_bytes(pl.DataFrame({"a": [1]}), lang="de")


def test_to_csv_bytes__numbers_are_written_plainly():
    frame = pl.DataFrame(
        {
            "i": [-2, 2**62, 0],
            "f": [-2.5, 1e20, 1.5e-7],
            "f32": pl.Series([0.1, -1.0, 2.5], dtype=pl.Float32),
        }
    )
    rows = _csv_rows(to_csv_bytes(frame, lang="en"), "en")
    assert rows[1:] == [
        ["-2", "-2.5", "0.1"],
        [str(2**62), "100000000000000000000", "-1"],
        ["0", "0.00000015", "2.5"],
    ]


def test_to_csv_bytes__french_files_use_a_decimal_comma():
    rows = _csv_rows(to_csv_bytes(pl.DataFrame({"f": [-2.5, 1200.25]}), lang="fr"), "fr")
    assert rows[1:] == [["-2,5"], ["1200,25"]]


def test_to_csv_bytes__none_dates_and_lists():
    frame = pl.DataFrame(
        {
            "s": [None, "a"],
            "x": [float("nan"), None],
            "d": [dt.date(2025, 1, 2), None],
            "t": [dt.datetime(2025, 1, 2, 3, 4, 5), None],
            "l": [["théâtre", "danse"], None],
            "li": [[1, 2], []],
        }
    )
    rows = _csv_rows(to_csv_bytes(frame))
    assert rows[1:] == [
        ["", "", "2025-01-02", "2025-01-02 03:04:05", "théâtre, danse", "1, 2"],
        ["a", "", "", "", "", ""],
    ]


def test_to_csv_bytes__times_and_durations_are_text():
    frame = pl.DataFrame({"h": [dt.time(20, 30)], "d": [dt.timedelta(days=1, hours=2)]})
    assert _csv_rows(to_csv_bytes(frame))[1] == ["20:30:00", "P1DT2H"]


def test_to_csv_bytes__quotes_separators_and_newlines_inside_text():
    values = ["a;b", 'dit "non"', "ligne\nsuivante", "x,y"]
    rows = _csv_rows(to_csv_bytes(pl.DataFrame({"v": values})))
    assert [row[0] for row in rows[1:]] == values


def test_to_csv_bytes__xss_text_is_kept_as_inert_text():
    rows = _csv_rows(to_csv_bytes(pl.DataFrame({"<b>": XSS})))
    assert rows == [["<b>"], [XSS[0]], [XSS[1]]]


# --- XLSX -------------------------------------------------------------------------------


def test_to_xlsx_bytes__neutralises_every_payload_in_cells_and_headers():
    sheet = _sheet(to_xlsx_bytes(_payload_frame(), title="=titre", notes=["-note"]))
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert len(cells) == 2 + (len(PAYLOADS) + 1) * (len(PAYLOADS) + 1)
    assert sheet.cell(row=3, column=len(PAYLOADS) + 1).value == "payload"
    for cell in cells:
        if cell.value == "payload":
            continue
        assert cell.data_type == "s"
        assert str(cell.value).startswith("'")
    # "\r" is read back as "\n" (XML line-end normalisation); the quote still comes first.
    assert [cell.value for cell in sheet[3]][:3] == ["'=1+1", "'@SUM(1)", "'+cmd|' /C calc'!A0"]


def test_to_xlsx_bytes__numbers_stay_numeric_cells():
    frame = pl.DataFrame({"i": [-2, 2**53, None], "f": [-2.5, 0.1, 1e20], "b": [True, False, None]})
    sheet = _sheet(to_xlsx_bytes(frame))
    assert [(c.value, c.data_type) for c in sheet["A"][1:]] == [
        (-2, "n"),
        (2**53, "n"),
        (None, "n"),
    ]
    assert [(c.value, c.data_type) for c in sheet["B"][1:]] == [
        (-2.5, "n"),
        (0.1, "n"),
        (1e20, "n"),
    ]
    assert [c.value for c in sheet["C"][1:]] == [True, False, None]


def test_to_xlsx_bytes__none_dates_lists_and_non_finite_floats():
    frame = pl.DataFrame(
        {
            "d": [dt.date(2025, 1, 2), None],
            "t": [dt.datetime(2025, 1, 2, 3, 4, 5), None],
            "l": [["=théâtre", "danse"], None],
            "x": [float("nan"), float("inf")],
            "z": pl.Series([dt.datetime(2025, 1, 2, 12, tzinfo=dt.UTC)] * 2).dt.convert_time_zone(
                "Europe/Paris"
            ),
        }
    )
    sheet = _sheet(to_xlsx_bytes(frame))
    date_cell, datetime_cell, list_cell, nan_cell, zoned_cell = sheet[2]
    assert date_cell.is_date
    assert date_cell.value == dt.datetime(2025, 1, 2)
    assert datetime_cell.value == dt.datetime(2025, 1, 2, 3, 4, 5)
    assert (list_cell.value, list_cell.data_type) == ("'=théâtre, danse", "s")
    assert nan_cell.value is None
    assert zoned_cell.value == dt.datetime(2025, 1, 2, 13)  # wall-clock time in Paris
    assert [cell.value for cell in sheet[3]] == [
        None,
        None,
        None,
        None,
        dt.datetime(2025, 1, 2, 13),
    ]


def test_to_xlsx_bytes__title_and_notes_above_a_bold_frozen_header():
    frame = pl.DataFrame({"commune": ["Albi"], "n": [3]})
    notes = ["Source : OPP, enquête 2025", "Secret statistique : cases de moins de 3 masquées"]
    sheet = _sheet(to_xlsx_bytes(frame, title="Fréquentation", notes=notes))
    assert [row[0].value for row in sheet.iter_rows()] == [
        "Fréquentation",
        *notes,
        "commune",
        "Albi",
    ]
    assert sheet["A1"].font.b
    assert [cell.value for cell in sheet[4]] == ["commune", "n"]
    assert all(cell.font.b for cell in sheet[4])
    assert not sheet["A5"].font.b
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:B5"


def test_to_xlsx_bytes__without_title_the_header_is_the_first_row():
    sheet = _sheet(to_xlsx_bytes(pl.DataFrame({"a": [1]})))
    assert sheet.title == "Données"
    assert sheet["A1"].value == "a"
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"


def test_to_xlsx_bytes__error_codes_and_control_characters_stay_plain_text():
    frame = pl.DataFrame({"v": ["#N/A", "#DIV/0!", "\x01=1", "a\x00b", "\uffff"]})
    sheet = _sheet(to_xlsx_bytes(frame))
    assert [(c.value, c.data_type) for c in sheet["A"][1:5]] == [
        ("#N/A", "s"),
        ("#DIV/0!", "s"),
        ("'=1", "s"),
        ("ab", "s"),
    ]
    last = sheet["A6"]  # U+FFFF would corrupt the file: it is dropped, leaving empty text
    assert last.value is None
    assert last.data_type != "f"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Données", "Données"),
        ("a/b\\c[d]e:f*g?h", "a-b-c-d-e-f-g-h"),
        ("x" * 40, "x" * 31),
        ("'cité'", "cité"),
        ("[]", "--"),
        ("", "Données"),
        ("History", "History-"),
    ],
)
def test_to_xlsx_bytes__sheet_name_is_sanitised(name: str, expected: str):
    assert _sheet(to_xlsx_bytes(pl.DataFrame({"a": [1]}), sheet=name)).title == expected


def test_to_xlsx_bytes__column_widths_fit_content_up_to_a_maximum():
    frame = pl.DataFrame({"a": ["x"], "nom du spectacle": ["court"], "long": ["y" * 500]})
    sheet = _sheet(to_xlsx_bytes(frame))
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths[0] < widths[1] < widths[2] == 60


def test_to_xlsx_bytes__xss_text_is_kept_as_inert_text():
    sheet = _sheet(to_xlsx_bytes(pl.DataFrame({"<b>": XSS})))
    assert [(c.value, c.data_type) for c in sheet["A"]] == [("<b>", "s")] + [(x, "s") for x in XSS]


def test_to_xlsx_bytes__empty_frame_gives_a_valid_workbook():
    sheet = _sheet(to_xlsx_bytes(pl.DataFrame(), title="Vide"))
    assert sheet["A1"].value == "Vide"
    assert sheet.max_row == 1


# --- property ---------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(st.one_of(st.none(), _texts), min_size=1, max_size=5), header=_headers)
def test_exports__no_cell_can_become_a_formula(values: list[str | None], header: str):
    numbers = "nombre (2)" if header == "nombre" else "nombre"
    frame = pl.DataFrame({header: values, numbers: [-1.5] * len(values)})
    expected = safe_frame(frame)

    for lang in ("fr", "en"):
        rows = _csv_rows(to_csv_bytes(frame, lang=lang), lang)
        assert rows[0] == expected.columns
        texts = [row[0] for row in rows[1:]]
        assert texts == [v or "" for v in expected[:, 0].to_list()]
        # A negative number, written plainly (decimal comma in French files).
        assert {row[1] for row in rows[1:]} == {"-1,5" if lang == "fr" else "-1.5"}
        for cell in rows[0] + texts:
            assert cell[:1] not in DANGEROUS_FIRST
            assert not _looks_dangerous(cell) or cell.startswith("'")

    sheet = _sheet(to_xlsx_bytes(frame, title=header, notes=values[:1] if values[0] else None))
    for cell in (cell for row in sheet.iter_rows() for cell in row):
        assert cell.data_type != "f"
        if isinstance(cell.value, str):
            assert cell.data_type == "s"
            assert cell.value[:1] not in DANGEROUS_FIRST
            assert not _looks_dangerous(cell.value) or cell.value.startswith("'")
        else:
            assert cell.value is None or cell.value == -1.5


# --- file names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "extension", "expected"),
    [
        ("Égalité femmes-hommes 2025", "csv", "egalite-femmes-hommes-2025.csv"),
        ("Œuvres & cœurs — été 2024 / total !", "xlsx", "oeuvres-coeurs-ete-2024-total.xlsx"),
        ("  ../../etc/passwd  ", "csv", "etc-passwd.csv"),
        ("=cmd|' /C calc'!A0", "csv", "cmd-c-calc-a0.csv"),
        ("", "csv", "export.csv"),
        ("日本語", ".XLSX", "export.xlsx"),
        ("CON", "csv", "con-export.csv"),
        ("tar archive", "tar.gz", "tar-archive.tar.gz"),
    ],
)
def test_export_filename__ascii_slug(stem: str, extension: str, expected: str):
    assert export_filename(stem, extension) == expected


def test_export_filename__slug_is_at_most_80_characters():
    name = export_filename("spectacle vivant " * 20, "csv")
    stem = name.removesuffix(".csv")
    assert len(stem) <= 80
    assert not stem.endswith("-")
    assert stem.isascii()


@pytest.mark.parametrize("extension", ["", "c/v", "x y", "../csv"])
def test_export_filename__rejects_a_bad_extension(extension: str):
    with pytest.raises(ValueError, match="extension"):
        export_filename("rapport", extension)
