"""Importing a directory of structures: formats and encodings, the line-by-line report,
duplicates and matches against the store, all or nothing, hostile files, the CLI."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from typer.testing import CliRunner

from opp.access.viewer import Role, Viewer
from opp.cli import app
from opp.directory import reading
from opp.directory.headers import is_header, map_headers
from opp.directory.plan import plan
from opp.directory.service import check_file, import_file, report_lines
from opp.directory.validate import validate_rows
from opp.errors import OppError
from opp.services import organisation_archive, organisations, reads
from opp.store import bulk
from opp.store.db import Store

pytestmark = pytest.mark.both_backends

ADMIN = Viewer(role=Role.ADMIN, account_id="agence")
COORD = Viewer(role=Role.COORDINATEUR, account_id="coord-cirque", filiere="cirque")
FILIERES = {
    "cirque": {"fr": "Arts du cirque"},
    "marionnette": {"fr": "Marionnette"},
    "arts_de_la_rue": {"fr": "Rue"},
    "musiques_actuelles": {"fr": "Musiques actuelles"},
}


def luhn(digits13: str) -> str:
    for last in "0123456789":
        candidate = digits13 + last
        total = 0
        for index, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError


SIRETS = [luhn(f"44{n:011d}") for n in range(1, 60)]
HEADER = "nom;siret;code_commune;filiere;type_structure;email;labels"


def thirty(*, broken: int | None = None) -> list[str]:
    """30 structures of a network's spreadsheet; `broken`: the index of a row with a
    mistyped SIRET."""
    rows = [HEADER]
    for i in range(30):
        siret = SIRETS[i]
        if i == broken:
            siret = siret[:-1] + str((int(siret[-1]) + 1) % 10)
        filiere = "Arts du cirque" if i % 3 else '"cirque; arts de la rue"'
        rows.append(f"Compagnie {i:02d};{siret};31555;{filiere};Compagnie;cie{i}@example.org;")
    return rows


def csv_bytes(rows: list[str], encoding: str = "utf-8", newline: str = "\n") -> bytes:
    return newline.join(rows).encode(encoding) + newline.encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def store(tmp_store: Store) -> Store:
    bulk.publish_catalogue(tmp_store, [], FILIERES)
    return tmp_store


def _names(store: Store) -> list[str]:
    return sorted(o.name for o in organisations.list_visible(store, ADMIN, archived=None))


# --- formats ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [
        ("utf-8", ";", False),
        ("utf-8", ",", True),
        ("cp1252", ";", False),
        ("utf-16", "\t", True),
        ("utf-8", "\t", False),
    ],
)
def test_read__csv_separators_and_encodings(store, encoding, delimiter, bom):
    rows = [
        delimiter.join(
            ["Nom de la structure", "N° SIRET", "Commune (code)", "Filière(s)", "Type de structure"]
        ),
        delimiter.join(["Théâtre de l'Écluse", SIRETS[0], "31555", "cirque", "Lieu de diffusion"]),
    ]
    data = csv_bytes(rows, encoding, "\r\n")
    if bom and encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    report = check_file(store, ADMIN, data, "annuaire.csv")
    assert report.ok, [i.line("fr") for i in report.issues]
    assert report.delimiter == delimiter
    assert report.planned[0].fields.name == "Théâtre de l'Écluse"
    assert report.planned[0].fields.structure_type == "lieu"


def test_read__xlsx_with_numbers_for_codes_and_a_title_row(store):
    data = xlsx_bytes(
        [
            ["Annuaire des structures — réseau cirque"],
            [],
            ["Nom", "SIRET", "Code INSEE", "Filière", "Type", "Téléphone"],
            ["Cie Ariégeoise", int(SIRETS[1]), 9001, "cirque", "compagnie", "05 61 00 00 00"],
        ]
    )
    report = check_file(store, ADMIN, data, "annuaire.xlsx")
    assert report.ok, [i.line("fr") for i in report.issues]
    assert report.header_row == 3
    entry = report.planned[0]
    assert (entry.fields.siret, entry.fields.commune) == (SIRETS[1], "09001")
    assert report.ignored == ["Téléphone"]
    assert any(i.code == "DIR_COLUMN_IGNORED" for i in report.warnings)


def test_read__unreadable_encoding_old_xls_and_binary_say_how_to_save_the_file(store):
    cases = {
        b"nom;siret\n\x81\x8d\x8f;1\n": "DIR_ENCODING",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100: "DIR_OLD_XLS",
        b"nom;x\x00y\n": "DIR_BINARY",
        b"": "DIR_EMPTY_FILE",
        b"PK\x03\x04 not really a zip": "DIR_NOT_XLSX",
        b"a;b\n1;2\n": "DIR_NO_HEADER",
        b"nom;siret\n": "DIR_NO_ROWS",
    }
    for data, code in cases.items():
        report = check_file(store, ADMIN, data, "annuaire.csv")
        assert [i.code for i in report.errors] == [code], data
        assert report.errors[0].fix("fr")
    encoding = check_file(store, ADMIN, b"nom;siret\n\x81\x8d\x8f;1\n", "a.csv").errors[0]
    assert "CSV UTF-8" in encoding.fix("fr")
    assert _names(store) == []


# --- the report --------------------------------------------------------------------------------


def test_report__one_bad_row_imports_nothing_and_says_which_row(store):
    data = csv_bytes(thirty(broken=11))
    report = check_file(store, ADMIN, data, "annuaire.csv")
    assert not report.ok
    [error] = report.errors
    assert (error.row, error.column, error.code) == (13, "siret", "DIR_SIRET_KEY")  # header = 1
    assert "ligne 13, colonne « siret »" in error.line("fr")
    assert "row 13, column 'siret'" in error.line("en")
    with pytest.raises(OppError) as refused:
        import_file(store, ADMIN, data, "annuaire.csv")
    assert refused.value.code == "DIR_REFUSED"
    assert "ligne 13" in refused.value.message("fr")
    assert _names(store) == []


def test_report__corrected_file_creates_then_updates_then_leaves_unchanged(store):
    report = import_file(store, ADMIN, csv_bytes(thirty()), "annuaire.csv")
    assert report.applied
    assert report.count("create") == 30
    assert len(_names(store)) == 30
    first = organisations.search(store, ADMIN, "Compagnie 00")[0][0]
    assert first.filieres == ["cirque", "arts_de_la_rue"]
    assert first.departement == "31"
    again = check_file(store, ADMIN, csv_bytes(thirty()), "annuaire.csv")
    assert (again.count("create"), again.count("update"), again.count("unchanged")) == (0, 0, 30)
    changed = thirty()
    changed[5] = (
        changed[5]
        .replace("cie4@example.org", "contact@cie4.fr")
        .replace("Compagnie 04", "Compagnie Quatre")
    )
    update = check_file(store, ADMIN, csv_bytes(changed), "annuaire.csv")
    [row] = [r for r in update.planned if r.action == "update"]
    assert set(row.changes) == {"name", "email"}
    assert row.changes["email"] == ("cie4@example.org", "contact@cie4.fr")
    import_file(store, ADMIN, csv_bytes(changed), "annuaire.csv", expected=update.fingerprint)
    assert "Compagnie Quatre" in _names(store)
    entries = reads.audit_entries(store, ADMIN, action="organisation.update")
    assert entries[0]["detail"]["fields"] == ["email", "name"]
    assert "contact@cie4.fr" not in str(entries[0]["detail"])
    summary = reads.audit_entries(store, ADMIN, action="directory.import")[0]["detail"]
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 1, 29)


def test_report__an_empty_cell_never_erases_what_the_directory_holds(store):
    import_file(store, ADMIN, csv_bytes(thirty()), "annuaire.csv")
    rows = [HEADER, f"Compagnie 00;{SIRETS[0]};;;;;"]
    report = check_file(store, ADMIN, csv_bytes(rows), "annuaire.csv")
    assert report.planned[0].action == "unchanged"


def test_report__duplicates_inside_the_file(store):
    rows = [
        HEADER,
        f"Cie A;{SIRETS[0]};31555;cirque;compagnie;;",
        f"Cie A bis;{SIRETS[0]};31555;cirque;compagnie;;",
        "Cie Sans Siret;;34172;cirque;compagnie;;",
        "CIE SANS SIRET;;34172;cirque;compagnie;;",
        f"Même nom;{SIRETS[1]};31555;cirque;compagnie;;",
        f"Même nom;{SIRETS[2]};31555;cirque;compagnie;;",  # two establishments: fine
    ]
    report = check_file(store, ADMIN, csv_bytes(rows), "annuaire.csv")
    assert [(i.row, i.code, i.params.get("other")) for i in report.errors] == [
        (3, "DIR_DUPLICATE_SIRET", 2),
        (5, "DIR_DUPLICATE_NAME", 4),
    ]


def test_report__matches_against_the_store(store):
    organisations.create(
        store,
        ADMIN,
        name="Le Cirque Bleu",
        structure_type="compagnie",
        filieres=["cirque"],
        commune="34172",
    )
    twin = {"name": "Les Jumeaux", "structure_type": "compagnie", "filieres": ["cirque"]}
    organisations.create(store, ADMIN, commune="31555", **twin)
    organisations.create(store, ADMIN, commune="31555", **twin)
    archived = organisations.create(
        store,
        ADMIN,
        name="Cie Endormie",
        structure_type="compagnie",
        filieres=["cirque"],
        siret=SIRETS[5],
        commune="31555",
    )
    organisation_archive.archive(store, ADMIN, archived.id)
    rows = [
        HEADER,
        f"le cirque bleu;{SIRETS[3]};34172;cirque;compagnie;;",  # gets its SIRET
        "Les Jumeaux;;31555;cirque;compagnie;;",  # two stored: ambiguous
        f"Cie Endormie;{SIRETS[5]};31555;cirque;compagnie;endormie@example.org;",
        f"Le Cirque Bleu;{SIRETS[4]};31555;cirque;compagnie;;",  # other commune: new
    ]
    report = check_file(store, ADMIN, csv_bytes(rows), "annuaire.csv")
    assert [(i.row, i.code) for i in report.errors] == [(3, "DIR_AMBIGUOUS_MATCH")]
    assert "Fusionnez" in report.errors[0].fix("fr")
    rows.pop(2)
    report = check_file(store, ADMIN, csv_bytes(rows), "annuaire.csv")
    assert report.ok
    actions = {r.row: (r.action, sorted(r.changes)) for r in report.planned}
    assert actions == {
        2: ("update", ["name", "siret"]),
        3: ("update", ["email"]),
        4: ("create", []),
    }
    assert [(i.row, i.code) for i in report.warnings] == [(3, "DIR_ARCHIVED")]


def test_report__same_stored_structure_named_twice(store):
    organisations.create(
        store,
        ADMIN,
        name="Cie Unique",
        structure_type="compagnie",
        filieres=["cirque"],
        commune="31555",
        siret=SIRETS[0],
    )
    rows = [
        HEADER,
        f"Cie Unique;{SIRETS[0]};31555;cirque;compagnie;;",
        f"Autre nom;{SIRETS[0][:-1]}{SIRETS[0][-1]};;cirque;compagnie;;",
    ]
    report = check_file(store, ADMIN, csv_bytes(rows), "annuaire.csv")
    assert [i.code for i in report.errors] == ["DIR_DUPLICATE_SIRET"]


def test_report__new_structure_needs_type_and_filiere(store):
    rows = ["nom;code_commune;filiere", "Cie Sans Type;31555;cirque"]
    report = check_file(store, ADMIN, csv_bytes(rows), "annuaire.csv")
    [error] = report.errors
    assert error.code == "DIR_COLUMN_MISSING"
    assert "type_structure" in error.what("fr")
    no_filiere = check_file(store, ADMIN, b"nom;code_commune;type\nCie;31555;lieu\n", "a.csv")
    assert [i.code for i in no_filiere.errors] == ["DIR_COLUMN_MISSING"]


def test_report__coordinator_imports_for_their_filiere_only(store):
    organisations.create(
        store,
        ADMIN,
        name="Cie Marionnette",
        structure_type="compagnie",
        filieres=["marionnette"],
        commune="31555",
        siret=SIRETS[7],
    )
    organisations.create(
        store,
        ADMIN,
        name="Cie Partagée",
        structure_type="compagnie",
        filieres=["cirque", "marionnette"],
        commune="31555",
        siret=SIRETS[8],
    )
    rows = [
        "nom;siret;code_commune;type_structure;filiere",
        f"Cie Nouvelle;{SIRETS[6]};31555;compagnie;",  # defaults to the coordinator's
        f"Cie Marionnette;{SIRETS[7]};31555;compagnie;",  # stored in another filière
        f"Cie Partagée;{SIRETS[8]};31555;compagnie;cirque",  # keeps marionnette
        f"Cie Rue;{SIRETS[9]};31555;compagnie;arts de la rue",
    ]
    report = check_file(store, COORD, csv_bytes(rows), "annuaire.csv")
    assert [(i.row, i.code) for i in report.errors] == [
        (3, "DIR_OUTSIDE_SCOPE"),
        (5, "DIR_FILIERE_OUTSIDE"),
    ]
    assert "Cie Marionnette" not in report.errors[0].line("fr")  # no name of another filière
    rows = [rows[0], rows[1], rows[3]]
    report = import_file(store, COORD, csv_bytes(rows), "annuaire.csv")
    created = organisations.search(store, ADMIN, "Cie Nouvelle")[0][0]
    assert created.filieres == ["cirque"]
    shared = organisations.search(store, ADMIN, "Cie Partagée")[0][0]
    assert shared.filieres == ["cirque", "marionnette"]
    assert report.count("unchanged") == 1


def test_report__coreps_and_contributors_may_not_import(store):
    for viewer in (
        Viewer(role=Role.COREPS),
        Viewer(role=Role.CONTRIBUTEUR, organisation_id="x"),
    ):
        with pytest.raises(OppError) as info:
            check_file(store, viewer, csv_bytes(thirty()), "annuaire.csv")
        assert info.value.code == "FORBIDDEN"


def test_import__refused_when_the_directory_changed_since_the_preview(store):
    preview = check_file(store, ADMIN, csv_bytes(thirty()), "annuaire.csv")
    organisations.create(
        store,
        ADMIN,
        name="Compagnie 03",
        structure_type="compagnie",
        filieres=["cirque"],
        commune="31555",
    )
    with pytest.raises(OppError) as info:
        import_file(store, ADMIN, csv_bytes(thirty()), "annuaire.csv", expected=preview.fingerprint)
    assert info.value.code == "DIR_CHANGED"
    assert _names(store) == ["Compagnie 03"]


# --- hostile files -----------------------------------------------------------------------------


def test_hostile__formulas_are_refused_by_row_html_is_kept_as_text(store):
    rows = [
        HEADER,
        f'"=HYPERLINK(""http://evil.example"",""clic"")";{SIRETS[0]};31555;cirque;compagnie;;',
        f"@SUM(1+1);{SIRETS[1]};31555;cirque;compagnie;;",
        f"Cie;{SIRETS[2]};31555;=1+1;compagnie;;",
    ]
    report = check_file(store, ADMIN, csv_bytes(rows), "annuaire.csv")
    assert [(i.row, i.code) for i in report.errors] == [
        (2, "DIR_FORMULA"),
        (3, "DIR_FORMULA_LIKE"),
        (4, "DIR_FORMULA"),
    ]
    book = xlsx_bytes(
        [
            ["nom", "siret", "code_commune", "filiere", "type"],
            ['=CONCATENATE("Cie","X")', SIRETS[3], "31555", "cirque", "compagnie"],
        ]
    )
    assert [i.code for i in check_file(store, ADMIN, book, "a.xlsx").errors] == ["DIR_FORMULA"]
    html = [HEADER, f"<img src=x onerror=alert(1)><b>Cie</b>;{SIRETS[4]};31555;cirque;lieu;;"]
    import_file(store, ADMIN, csv_bytes(html), "annuaire.csv")
    assert _names(store) == ["<img src=x onerror=alert(1)><b>Cie</b>"]


def test_hostile__100_000_rows_are_refused_whole(store):
    rows = [HEADER] + [f"Cie {i};;31555;cirque;compagnie;;" for i in range(100_000)]
    report = check_file(store, ADMIN, csv_bytes(rows), "annuaire.csv")
    [error] = report.errors
    assert error.code == "DIR_TOO_MANY_ROWS"
    assert "50 000" in error.what("fr")
    assert "Découpez" in error.fix("fr")
    assert _names(store) == []


def test_hostile__a_zip_bomb_is_refused_before_decompressing(store, monkeypatch):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        chunk = b"\x00" * 1_000_000
        for _ in range(reading.MAX_UNZIPPED // 1_000_000 + 5):
            member.write(chunk)
    data = out.getvalue()
    assert len(data) < 1_000_000  # a few hundred kilobytes that inflate past the limit

    def never(*_args, **_kwargs):
        raise AssertionError("the workbook must not be opened")

    monkeypatch.setattr(reading, "load_workbook", never)
    report = check_file(store, ADMIN, data, "annuaire.xlsx")
    assert [i.code for i in report.errors] == ["DIR_ZIP_BOMB"]
    assert "CSV" in report.errors[0].fix("fr")


def test_hostile__huge_cells_and_broken_quotes(store):
    rows = [HEADER, f"{'x' * 5000};{SIRETS[0]};31555;cirque;compagnie;;"]
    report = check_file(store, ADMIN, csv_bytes(rows), "annuaire.csv")
    assert [(i.row, i.code) for i in report.errors] == [(2, "DIR_CELL_TOO_LONG")]
    broken = check_file(store, ADMIN, csv_bytes([HEADER, '"Cie;1;2', "x;y"]), "a.csv")
    assert [(i.row, i.code) for i in broken.errors] == [(2, "DIR_CSV_SYNTAX")]
    assert "guillemets" in broken.errors[0].fix("fr")
    too_wide = check_file(store, ADMIN, csv_bytes([HEADER + ";x" * 100, "a" + ";b" * 100]), "w.csv")
    assert [i.code for i in too_wide.errors] == ["DIR_TOO_MANY_COLUMNS"]


# --- command line ------------------------------------------------------------------------------


def test_cli__dry_run_then_import(tmp_path: Path):
    runner = CliRunner()
    db = tmp_path / "opp.duckdb"
    runner.invoke(app, ["init", "--empty", "--path", str(db)])
    bad = tmp_path / "annuaire-erreurs.csv"
    bad.write_bytes(csv_bytes(thirty(broken=0), "cp1252"))
    result = runner.invoke(app, ["import-organisations", str(bad), "--path", str(db)])
    assert result.exit_code == 2
    assert "1 erreur : rien n'a été importé." in result.output
    assert "ligne 2, colonne « siret »" in result.output
    good = tmp_path / "annuaire.csv"
    good.write_bytes(csv_bytes(thirty(), "cp1252"))
    result = runner.invoke(app, ["import-organisations", str(good), "--dry-run", "--path", str(db)])
    assert result.exit_code == 0
    assert "Structures à créer : 30" in result.output
    assert "rien n'a été importé" in result.output
    result = runner.invoke(
        app, ["import-organisations", str(good), "--path", str(db), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "Organisations created: 30, updated: 0, unchanged: 0." in result.output
    missing = runner.invoke(app, ["import-organisations", str(tmp_path / "absent.csv")])
    assert missing.exit_code == 2
    assert "introuvable" in missing.output


def test_report_lines__french_and_english(store):
    report = check_file(store, ADMIN, csv_bytes(thirty(broken=2)), "annuaire.csv")
    assert any("ligne 4" in line for line in report_lines(report, "fr"))
    assert any("row 4" in line for line in report_lines(report, "en"))


# --- any input: a report, never a crash ------------------------------------------------------


_CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30
) | st.sampled_from(
    ["31555", "Toulouse", "cirque", "Compagnie", SIRETS[0], "=1+1", "", "a@b.fr", "lieu; smac"]
)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3_000))
def test_any_bytes__refused_with_a_message_never_a_crash(data):
    try:
        table = reading.read_table(data, "hasard.csv", is_header)
    except OppError as err:
        refusal = err
    else:
        map_headers(table.header)
        return
    assert refusal.part("fix", "fr")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=5, max_size=5), min_size=1, max_size=20))
def test_any_rows__each_is_an_entry_or_issues_with_row_numbers(rows):
    table = reading.RawTable(
        kind="csv",
        header_row=1,
        header=["nom", "siret", "code_commune", "filiere", "type_structure"],
        rows=[(n, cells) for n, cells in enumerate(rows, start=2)],
    )
    hmap = map_headers(table.header)
    entries, issues = validate_rows(table, hmap, own_filiere=None)
    assert {e.row for e in entries}.isdisjoint({i.row for i in issues})
    assert {e.row for e in entries} | {i.row for i in issues} == {n for n, _ in table.rows}
    for issue in issues:
        assert issue.what("fr")
        assert issue.fix("en")
    planned, found = plan(entries, [], own_filiere=None, columns=hmap.titles)
    assert {p.row for p in planned}.isdisjoint({i.row for i in found if i.severity == "error"})
