"""XLSForm exchange: import of hand-written KoboToolbox/ODK workbooks, export, round trips.

Workbooks are built here with openpyxl (no binary fixture is committed), following the
XLSForm specification (https://xlsform.org): survey / choices / settings sheets, language
columns such as ``label::English (en)``.
"""

from __future__ import annotations

import io
import json
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from opp.errors import OppError
from opp.questionnaire import expressions, xlsform_workbook
from opp.questionnaire.catalogue import load_catalogue as _load_catalogue
from opp.questionnaire.loader import load_text
from opp.questionnaire.model import Questionnaire
from opp.questionnaire.xlsform import ImportNote, ImportResult, export_xlsform, import_xlsform

EN, FR = "English (en)", "Français (fr)"
SURVEY_HEADER = [
    "type",
    "name",
    f"label::{EN}",
    f"label::{FR}",
    f"hint::{EN}",
    f"hint::{FR}",
    "required",
    "relevant",
    "constraint",
    f"constraint_message::{EN}",
    f"constraint_message::{FR}",
    "appearance",
    "calculation",
]
CHOICES_HEADER = ["list_name", "name", f"label::{EN}", f"label::{FR}"]


def _book(
    survey: list[list[Any]],
    choices: list[list[Any]] | None = None,
    settings_rows: list[list[Any]] | None = None,
    *,
    header: list[str] = SURVEY_HEADER,
    choices_header: list[str] = CHOICES_HEADER,
) -> bytes:
    """An .xlsx with the given sheets (rows are lists; missing cells are blank)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in [header, *survey]:
        ws.append(row)
    if choices is not None:
        sheet = wb.create_sheet("choices")
        for row in [choices_header, *choices]:
            sheet.append(row)
    if settings_rows is not None:
        sheet = wb.create_sheet("settings")
        for row in settings_rows:
            sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


load_catalogue = cache(_load_catalogue)  # the shipped surveys, parsed once for the module


def _import(data: bytes, filiere: str = "cirque", **kwargs: Any) -> ImportResult:
    return import_xlsform(data, filiere=filiere, **kwargs)


def _notes(result: ImportResult, severity: str | None = None) -> list[ImportNote]:
    return [n for n in result.notes if severity is None or n.severity == severity]


def _rows_noted(result: ImportResult, severity: str = "warning") -> set[int | None]:
    return {n.row for n in _notes(result, severity) if n.sheet == "survey"}


# A form written the way KoboToolbox users write it: English first, French second.
KOBO_SURVEY = [
    ["begin_group", "identite", "Identity", "Identité", None, None, None, None, None],
    ["text", "nom", "Name", "Nom", "Usual name", "Nom d'usage", "yes"],
    [
        "text",
        "commentaire",
        "Comment",
        "Commentaire",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "multiline",
    ],
    [
        "integer",
        "effectif",
        "Staff",
        "Effectif",
        None,
        None,
        "TRUE",
        None,
        ". >= 0 and . <= 500",
        "Between 0 and 500",
        "Entre 0 et 500",
    ],
    [
        "decimal",
        "etp",
        "FTE",
        "ETP",
        None,
        None,
        None,
        "${effectif} > 0",
        ". <= ${effectif}",
        "No more than the staff",
        "Pas plus que l'effectif",
    ],
    ["select_one oui_non", "salaries", "Employees?", "Salariés ?", None, None, "yes"],
    ["select_one yes_no", "benevoles", "Volunteers?", "Bénévoles ?"],
    [
        "select_multiple disciplines",
        "disciplines",
        "Disciplines",
        "Disciplines",
        None,
        None,
        None,
        "${salaries} = 'true'",
        "count-selected(.) <= 2",
        "Two at most",
        "Deux au plus",
    ],
    [
        "select_one disciplines",
        "principale",
        "Main",
        "Principale",
        None,
        None,
        None,
        "count-selected(${disciplines}) > 1 and selected(${disciplines}, 'cirque')",
        None,
        None,
        None,
        "minimal",
    ],
    ["date", "creation", "Founded", "Création", None, None, None, None, ". <= today()"],
    [
        "select_one_from_file communes_occitanie.csv",
        "commune",
        "Town",
        "Commune",
        None,
        None,
        "yes",
    ],
    [
        "select_one_from_file departements_occitanie.csv",
        "departement",
        "Département",
        "Département",
    ],
    ["select_one_from_file regions_pays.csv", "pays", "Country", "Pays"],
    ["note", "merci", "Thanks", "Merci"],
    ["end_group"],
    ["begin_group", "diffusion", "Touring", "Diffusion", None, None, None, "${effectif} > 0"],
    ["begin_repeat", "representations", "Performances", "Représentations"],
    [
        "date",
        "rep_date",
        "Date",
        "Date",
        None,
        None,
        "yes",
        None,
        "int(format-date(., '%Y')) = ${annee_de_reference}",
    ],
    ["integer", "rep_public", "Audience", "Public", None, None, None, None, ". >= 0"],
    ["end_repeat"],
    ["end_group"],
    ["calculate", "annee_de_reference", *[None] * 10, "2024"],
]
KOBO_CHOICES = [
    ["oui_non", "true", "Yes", "Oui"],
    ["oui_non", "false", "No", "Non"],
    ["yes_no", "yes", "Yes", "Oui"],
    ["yes_no", "no", "No", "Non"],
    ["disciplines", "cirque", "Circus", "Cirque"],
    ["disciplines", "theatre", "Theatre", "Théâtre"],
    ["disciplines", "danse", "Dance", "Danse"],
]
KOBO_SETTINGS = [
    ["form_title", "form_id", "version", "default_language"],
    ["Enquête test", "Enquete-Test", 3, FR],
]


@cache
def _kobo() -> ImportResult:
    return _import(_book(KOBO_SURVEY, KOBO_CHOICES, KOBO_SETTINGS))


# --- import of hand-written forms -----------------------------------------------------------


def test_import__kobo_form_maps_every_supported_type():
    q = _kobo().questionnaire
    types = {qid: question.type for qid, question in q.questions.items()}
    assert types == {
        "nom": "text",
        "commentaire": "long_text",
        "effectif": "integer",
        "etp": "decimal",
        "salaries": "yes_no",
        "benevoles": "single_choice",
        "disciplines": "multiple_choice",
        "principale": "single_choice",
        "creation": "date",
        "commune": "commune",
        "departement": "departement",
        "pays": "region_country",
        "merci": "note",
        "representations": "repeat",
        "rep_date": "date",
        "rep_public": "integer",
    }
    assert [s.id for s in q.sections] == ["identite", "diffusion"]
    assert q.sections[1].relevant == "${effectif} > 0"
    assert [c.id for c in q.questions["representations"].questions] == ["rep_date", "rep_public"]


def test_import__kobo_form_keeps_texts_in_both_languages_and_settings():
    result = _kobo()
    q = result.questionnaire
    nom = q.questions["nom"]
    assert (nom.label.fr, nom.label.en) == ("Nom", "Name")
    assert (nom.help.fr, nom.help.en) == ("Nom d'usage", "Usual name")
    assert nom.required
    assert q.questions["effectif"].required
    assert not q.questions["etp"].required
    assert q.sections[0].title.model_dump() == {"fr": "Identité", "en": "Identity"}
    assert (q.id, q.version, q.filiere) == ("enquete_test", "3.0.0", "cirque")
    assert q.title.fr == "Enquête test"
    assert q.choice_lists == {}
    fields = {n.field for n in _notes(result, "info")}
    assert {"form_id", "version"} <= fields  # renamed id and normalised version are reported


def test_import__kobo_form_keeps_relevance_constraints_and_choices():
    q = _kobo().questionnaire
    etp = q.questions["etp"]
    assert (etp.relevant, etp.constraint) == ("${effectif} > 0", ". <= ${effectif}")
    assert etp.constraint_message.model_dump() == {
        "fr": "Pas plus que l'effectif",
        "en": "No more than the staff",
    }
    effectif = q.questions["effectif"]
    assert (effectif.min, effectif.max, effectif.constraint) == (0, 500, ". >= 0 and . <= 500")
    assert q.questions["rep_public"].min == 0
    assert q.questions["disciplines"].relevant == "${salaries} = true()"
    assert q.questions["disciplines"].choice_values == ["cirque", "theatre", "danse"]
    assert q.questions["disciplines"].choices[1].label.model_dump() == {
        "fr": "Théâtre",
        "en": "Theatre",
    }
    assert q.questions["benevoles"].choice_values == ["yes", "no"]
    assert q.questions["principale"].appearance == "dropdown"
    assert q.questions["rep_date"].constraint == "year(.) = ${_reference_year}"


def test_import__kobo_form_reports_recognised_lists_and_calculation():
    result = _kobo()
    messages = " ".join(n.message["en"] for n in result.notes)
    for name in ("oui_non", "communes_occitanie", "departements_occitanie", "regions_pays"):
        assert f"list '{name}' recognised" in messages
    assert "reference year" in messages
    assert not _notes(result, "warning")


def test_import__unsupported_features_are_all_reported_with_their_rows():
    extra = ["required_message", "choice_filter", "default", "read_only"]
    extra += ["parameters", "media::image", "repeat_count", "label::Español (es)"]
    header = [*SURVEY_HEADER, *extra]
    rows: list[dict[str, Any]] = [
        {"type": "start", "name": "start"},  # row 2
        {"type": "begin_group", "name": "g", "label::English (en)": "Group"},  # 3
        {"type": "calculate", "name": "total", "calculation": "1 + 1"},  # 4
        {"type": "geopoint", "name": "position", "label::English (en)": "Where?"},  # 5
        {"type": "image", "name": "photo", "label::English (en)": "Photo"},  # 6
        {"type": "calculate", "name": "plus_tard", "calculation": "once(now())"},  # 7
        {
            "type": "select_one_from_file autres.csv",
            "name": "autre",
            "label::Français (fr)": "Autre",
        },  # 8
        {
            "type": "integer",
            "name": "age",
            "label::Français (fr)": "Âge",
            "required": "${total} > 0",
        },
        {
            "type": "integer",
            "name": "nb",
            "label::Français (fr)": "Nb",
            "relevant": "${plus_tard} > 2",
        },
        {
            "type": "select_one couleurs or_other",
            "name": "couleur",
            "label::Français (fr)": "Couleur",
            "appearance": "likert",
        },  # 11
        {  # 12
            "type": "text",
            "name": "commentaire",
            "label::Français (fr)": "Commentaire",
            "required_message": "Needed",
            "default": "rien",
            "read_only": "yes",
            "parameters": "rows=3",
            "media::image": "a.png",
            "label::Español (es)": "Comentario",
        },
        {"type": "begin_repeat", "name": "vide", "label::Français (fr)": "Vide", "repeat_count": 3},
        {"type": "geotrace", "name": "trace", "label::Français (fr)": "Trace"},  # 14
        {"type": "end_repeat"},  # 15
        {"type": "end_group"},  # 16
        {"type": "barcode", "name": "code", "label::Français (fr)": "Code"},  # 17
    ]
    survey = [[row.get(column) for column in header] for row in rows]
    choices = [["couleurs", "rouge", "Red", "Rouge"], ["couleurs", "bleu", "Blue", "Bleu"]]
    result = _import(_book(survey, choices, header=header))
    q = result.questionnaire
    assert list(q.questions) == ["total", "age", "nb", "couleur", "couleur_other", "commentaire"]
    assert q.questions["total"].calculation == "1 + 1"
    assert q.questions["nb"].relevant is None  # cites a calculation OPP cannot run
    assert q.questions["age"].required_if == "${total} > 0"
    assert q.questions["couleur"].choice_values == ["rouge", "bleu", "other"]
    assert q.questions["couleur_other"].relevant == "selected(${couleur}, 'other')"
    warnings = _notes(result, "warning")
    assert {2, 5, 6, 7, 8, 10, 12, 13, 14, 17} <= {n.row for n in warnings}
    assert {n.field for n in warnings if n.row == 12} == {
        "required_message",
        "default",
        "read_only",
        "parameters",
        "media::image",
    }
    asked = {n.row: n.message["en"] for n in warnings}
    assert "'Where?' will not be asked" in asked[5]
    assert "recorded by the device" in asked[2]
    assert any(n.row == 13 and n.field == "repeat_count" for n in warnings)
    assert any(n.row == 11 and "likert" in n.message["fr"] for n in result.notes)
    assert any("Español" in (n.field or "") for n in _notes(result, "info"))
    assert any(n.row == 10 and n.field == "relevant" for n in warnings)  # cites skipped row 7
    for note in result.notes:
        assert note.message["fr"]
        assert note.message["en"]
        assert note.sheet in {"survey", "settings"}


def test_import__questions_outside_groups_are_gathered_into_sections():
    survey = [
        ["text", "avant", "Before", "Avant"],
        ["begin_group", "g", "Group", "Groupe"],
        ["integer", "dedans", "Inside", "Dedans"],
        ["end_group"],
        ["begin_repeat", "liste", "List", "Liste"],
        ["text", "element", "Item", "Élément"],
        ["end_repeat"],
    ]
    result = _import(_book(survey))
    sections = result.questionnaire.sections
    assert [(s.id, [q.id for q in s.questions]) for s in sections] == [
        ("section_1", ["avant"]),
        ("g", ["dedans"]),
        ("section_2", ["liste"]),
    ]
    assert {n.row for n in result.notes if "section_" in n.message["en"]} == {2, 6}


def test_import__form_without_groups_is_one_section_named_after_the_form():
    survey = [["text", "a", "A", "A"], ["integer", "b", "B", "B"]]
    settings_rows = [["form_title"], ["Mon enquête"]]
    q = _import(_book(survey, settings_rows=settings_rows)).questionnaire
    assert len(q.sections) == 1
    assert q.sections[0].title.fr == "Mon enquête"
    assert q.id == "formulaire"  # no form_id: from the file name


def test_import__nested_group_is_flattened_and_its_relevance_kept():
    survey = [
        ["begin_group", "s", "Section", "Section"],
        ["integer", "n", "N", "N"],
        ["begin_group", "detail", "Detail", "Détail", None, None, None, "${n} > 0"],
        ["text", "t", "T", "T", None, None, None, "${n} < 10"],
        ["end_group"],
        ["end_group"],
    ]
    result = _import(_book(survey))
    q = result.questionnaire
    assert [s.id for s in q.sections] == ["s"]
    assert q.questions["t"].relevant == "(${n} > 0) and (${n} < 10)"
    assert any(n.row == 4 and n.field == "detail" for n in result.notes)


def test_import__names_are_normalised_and_references_rewritten():
    survey = [
        ["begin_group", "Général", "General", "Général"],
        ["integer", "Effectif.Total", "Staff", "Effectif"],
        ["text", "Nom-Structure", "Name", "Nom", None, None, None, "${Effectif.Total} > 0"],
        ["end_group"],
    ]
    result = _import(_book(survey))
    q = result.questionnaire
    assert q.sections[0].id == "general"
    assert list(q.questions) == ["effectif_total", "nom_structure"]
    assert q.questions["nom_structure"].relevant == "${effectif_total} > 0"
    renamed = {n.field for n in result.notes if n.row in {2, 3, 4}}
    assert renamed == {"Général", "Effectif.Total", "Nom-Structure"}


def test_import__plain_label_column_is_the_default_language():
    header = ["type", "name", "label", "label::English (en)", "hint"]
    survey = [["text", "a", "Question A", "Question A (en)", "Aide"]]
    q = _import(_book(survey, header=header)).questionnaire
    assert q.questions["a"].label.model_dump() == {"fr": "Question A", "en": "Question A (en)"}
    assert q.questions["a"].help.fr == "Aide"


def test_import__english_only_form_uses_english_as_french_with_a_note():
    header = ["type", "name", "label::English (en)"]
    result = _import(_book([["text", "a", "Question"]], header=header))
    assert result.questionnaire.questions["a"].label.fr == "Question"
    assert any(n.field == "label" and n.severity == "warning" for n in result.notes)


def test_import__parameters_win_over_settings():
    data = _book([["text", "a", "A", "A"]], settings_rows=[["form_id", "version"], ["x", "1.2"]])
    q = _import(data, questionnaire_id="mon_id", version="2.0.1").questionnaire
    assert (q.id, q.version) == ("mon_id", "2.0.1")


def test_import__is_pure_and_repeatable():
    data = _book(KOBO_SURVEY, KOBO_CHOICES, KOBO_SETTINGS)
    assert _import(data) == _import(data)


# --- export ---------------------------------------------------------------------------------

SMALL_YAML = """
id: petit
filiere: cirque
version: 2.1.0
status: published
title: {fr: Petit questionnaire, en: Small questionnaire}
description: {fr: Pour les tests, en: For tests}
changelog:
  - {version: 2.1.0, date: 2025-01-15, changes: [{fr: Ajout, en: Added}]}
choice_lists:
  tailles:
    - {value: petite, label: {fr: Petite, en: Small}}
    - {value: grande, label: {fr: Grande, en: Large}}
sections:
  - id: general
    title: {fr: Général, en: General}
    description: {fr: Quelques questions., en: A few questions.}
    questions:
      - {id: nom, type: text, label: {fr: Nom, en: Name}, required: true, max_length: 80,
         pattern: "[A-Z].*", pattern_hint: {fr: Majuscule d'abord, en: Capital first},
         carry_forward: true}
      - {id: histoire, type: long_text, label: Histoire, personal: true}
      - {id: formule, type: text, label: "=SOMME(A1)", constraint_message: {fr: Seul}}
      - {id: taille, type: single_choice, label: {fr: Taille, en: Size}, choices: tailles,
         appearance: dropdown}
      - {id: autre_taille, type: single_choice, label: Autre taille, choices: tailles,
         appearance: radio}
      - {id: budget, type: money, label: {fr: Budget, en: Budget}, max: 100000,
         unit: {fr: "€", en: "€"}}
      - {id: part, type: percentage, label: {fr: Part, en: Share}}
      - {id: etp, type: decimal, label: ETP, decimals: 1, min: 0}
      - {id: salaries, type: yes_no, label: {fr: "Salariés ?", en: "Employees?"}}
      - {id: effectif, type: integer, label: Effectif, min: 0, max: 50,
         relevant: "${salaries} = true()", constraint: ". <= ${_reference_year}",
         constraint_message: {fr: Trop grand, en: Too big}}
      - {id: aides, type: multiple_choice, label: Aides, min_selected: 1, max_selected: 2,
         relevant: "not(${salaries})",
         choices: [{value: aucune, label: Aucune, exclusive: true}, {value: etat, label: État},
                   {value: region, label: Région}]}
      - {id: debut, type: date, label: Début, min_date: 2000-01-01, max_date: 2030-12-31}
      - {id: dep, type: departement, label: Département}
      - {id: ailleurs, type: region_country, label: Ailleurs}
      - {id: info, type: note, label: {fr: Merci, en: Thanks}, help: Fin}
  - id: quand
    title: Dates
    relevant: "${effectif} > 0"
    questions:
      - id: representations
        type: repeat
        label: Représentations
        help: Une ligne par date
        item_label: Représentation
        min_items: 1
        max_items: 20
        questions:
          - {id: quand, type: date, label: Quand, required: true,
             constraint: "year(.) = ${_reference_year}"}
          - {id: public, type: integer, label: Public, min: 0}
rules:
  - {id: part_budget, check: "${part} <= 100 or ${budget} = 0", message: Incohérent,
     fields: [part, budget]}
  - {id: effectif_dates, check: "count(${representations}) <= ${effectif} * 10",
     message: {fr: Beaucoup, en: Many}, fields: [representations, effectif],
     severity: warning}
"""


@cache
def _small() -> Questionnaire:
    return load_text(SMALL_YAML, "petit.yaml").questionnaire


@cache
def _small_exported() -> bytes:
    return export_xlsform(_small(), reference_year=2024)


@cache
def _exported(questionnaire_id: str) -> bytes:
    return export_xlsform(load_catalogue().get(questionnaire_id), reference_year=2024)


@cache
def _sheets(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of every sheet, padded to the header's width (blank trailing cells are not stored)."""
    out = {}
    for ws in load_workbook(io.BytesIO(data), read_only=True).worksheets:
        rows = list(ws.iter_rows(values_only=True))
        out[ws.title] = [tuple(row) + (None,) * (len(rows[0]) - len(row)) for row in rows]
    return out


def _sheet(data: bytes, name: str) -> list[tuple[Any, ...]]:
    return _sheets(data)[name]


QUESTIONNAIRE_IDS = sorted(q.id for q in load_catalogue().all())


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_export__survey_sheet_is_structurally_valid_xlsform(questionnaire_id):
    data = _exported(questionnaire_id)
    survey, choices = _sheet(data, "survey"), _sheet(data, "choices")
    header = list(survey[0])
    assert {"type", "name", f"label::{FR}", f"label::{EN}", "relevant", "constraint"} <= set(header)
    col = {name: header.index(name) for name in header}
    lists = {row[0] for row in choices[1:]}
    stack: list[str] = []
    names: set[str] = set()
    for row in survey[1:]:
        kind = row[col["type"]]
        if kind.startswith("begin_"):
            stack.append(kind[6:])
        elif kind.startswith("end_"):
            assert stack.pop() == kind[4:]
        if kind.split()[0] in {"select_one", "select_multiple"}:
            assert kind.split()[1] in lists
        if not kind.startswith("end_"):
            assert row[col["name"]] not in names
            names.add(row[col["name"]])
            assert kind == "calculate" or row[col[f"label::{FR}"]]
    assert stack == []
    settings_rows = _sheet(data, "settings")
    values = dict(zip(settings_rows[0], settings_rows[1], strict=True))
    assert values["form_id"] == questionnaire_id
    assert values["default_language"] == FR


def test_export__odk_expressions_and_reference_year():
    data = _exported("cirque")
    survey = _sheet(data, "survey")
    col = {name: i for i, name in enumerate(survey[0])}
    rows = {row[col["name"]]: row for row in survey[1:]}
    assert rows["annee_de_reference"][col["calculation"]] == "2024"
    assert (
        rows["rep_date"][col["constraint"]] == "int(format-date(., '%Y')) = ${annee_de_reference}"
    )
    assert rows["rep_commune"][col["relevant"]] == "${rep_en_occitanie} = 'true'"
    assert rows["rep_commune"][col["type"]] == "select_one communes_occitanie"
    choices = _sheet(data, "choices")
    assert sum(1 for row in choices if row[0] == "communes_occitanie") == 4485
    assert {row[1] for row in choices if row[0] == "oui_non"} == {"true", "false"}


def _survey_rows(data: bytes) -> tuple[dict[str, int], dict[str, tuple[Any, ...]]]:
    survey = _sheet(data, "survey")
    col = {name: i for i, name in enumerate(survey[0])}
    return col, {row[col["name"]]: row for row in survey[1:] if row[col["name"]]}


def test_export__model_bounds_and_error_rules_become_odk_constraints():
    col, rows = _survey_rows(_small_exported())
    constraint = {name: row[col["constraint"]] for name, row in rows.items()}
    assert constraint["nom"] == "regex(., '^(?:[A-Z].*)$') and string-length(.) <= 80"
    assert constraint["effectif"] == ". <= ${annee_de_reference} and . >= 0 and . <= 50"
    assert constraint["part"] == ". >= 0 and . <= 100 and (${part} <= 100 or ${budget} = 0)"
    assert constraint["debut"] == ". >= date('2000-01-01') and . <= date('2030-12-31')"
    assert "not(selected(., 'aucune')) or count-selected(.) = 1" in constraint["aides"]
    assert constraint["representations"] is None  # warning rule: opp sheet only
    message = rows["part"][col[f"constraint_message::{FR}"]]
    assert "entre 0 et 100" in message
    assert "Incohérent" in message
    types = {name: row[col["type"]] for name, row in rows.items()}
    assert (types["budget"], types["part"], types["salaries"]) == (
        "decimal",
        "decimal",
        "select_one oui_non",
    )
    assert (types["taille"], types["autre_taille"]) == ("select_one tailles",) * 2
    assert rows["taille"][col["appearance"]] == "minimal"
    assert rows["histoire"][col["appearance"]] == "multiline"
    assert rows["aides"][col["relevant"]] == "not(${salaries} = 'true')"
    assert types["general_description"] == "note"  # the section description, shown in ODK


def test_export__languages_parameter_limits_the_columns():
    q = _small()
    data = export_xlsform(q, languages=("fr",))
    header = _sheet(data, "survey")[0]
    assert f"label::{FR}" in header
    assert f"label::{EN}" not in header
    imported = _import(data).questionnaire
    assert list(imported.questions) == list(q.questions)
    with pytest.raises(ValueError, match="languages"):
        export_xlsform(q, languages=("de",))


# --- round trips ----------------------------------------------------------------------------


def _canonical(source: str | None) -> str | None:
    return expressions.parse(source).canonical() if source else source


def _dump(q: Questionnaire) -> dict[str, Any]:
    """Everything we carry, expressions in canonical form. `include` and `composed_from`
    are not carried: the export is the composed whole, so the import is self-contained."""
    data = q.model_dump(mode="json", exclude={"include", "composed_from"})
    for section in data["sections"]:
        section["relevant"] = _canonical(section["relevant"])
        for question in [
            *section["questions"],
            *(c for x in section["questions"] for c in x.get("questions", [])),
        ]:
            question["relevant"] = _canonical(question["relevant"])
            question["constraint"] = _canonical(question["constraint"])
    for rule in data["rules"]:
        rule["check"] = _canonical(rule["check"])
    return data


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_round_trip__every_shipped_questionnaire_is_unchanged(questionnaire_id):
    original = load_catalogue().get(questionnaire_id)
    result = _import(_exported(questionnaire_id), filiere=original.filiere)
    assert result.notes == []
    assert _dump(result.questionnaire) == _dump(original)
    assert [(s.id, [x.id for x in s.questions]) for s in result.questionnaire.sections] == [
        (s.id, [x.id for x in s.questions]) for s in original.sections
    ]


def _row_of(data: bytes, name: str) -> int:
    survey = _sheet(data, "survey")
    return next(i for i, row in enumerate(survey, start=1) if row[1] == name)


def _edit(data: bytes, edits: dict[tuple[str, str], str], drop_sheet: str | None = None) -> bytes:
    """Change survey cells ({(name, column): value}) or remove a sheet, like a user would."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb["survey"]
    col = {cell.value: cell.column for cell in ws[1]}
    for row in ws.iter_rows(min_row=2):
        for (name, column), value in edits.items():
            if row[1].value == name:
                ws.cell(row=row[0].row, column=col[column], value=value)
    if drop_sheet:
        del wb[drop_sheet]
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_round_trip__small_questionnaire_with_every_feature_is_unchanged():
    result = _import(_small_exported())
    assert result.notes == []
    assert _dump(result.questionnaire) == _dump(_small())


def test_round_trip__cells_edited_after_export_win_over_the_opp_sheet():
    edits = {("nom", f"label::{FR}"): "Nom d'usage", ("effectif", "constraint"): ". >= 1"}
    result = _import(_edit(_small_exported(), edits))
    questions = result.questionnaire.questions
    assert questions["nom"].label.fr == "Nom d'usage"
    effectif = questions["effectif"]
    assert (effectif.constraint, effectif.min, effectif.max) == (". >= 1", 0, 50)  # opp bounds
    assert effectif.constraint_message == _small().questions["effectif"].constraint_message
    row = _row_of(_small_exported(), "effectif")
    assert [(n.field, n.row, n.severity) for n in result.notes] == [("constraint", row, "info")]


def test_round_trip__without_the_opp_sheet_keeps_questions_and_recognised_types():
    original = load_catalogue().get("cirque")
    result = _import(_edit(_exported("cirque"), {}, drop_sheet="opp"))
    q = result.questionnaire
    descriptions = [qid for qid in q.questions if qid.endswith("_description")]
    assert [qid for qid in q.questions if qid not in descriptions] == list(original.questions)
    assert len(descriptions) == sum(1 for s in original.sections if s.description)
    expected = {"money": "decimal", "percentage": "decimal", "long_text": "long_text"}
    for qid, question in original.questions.items():
        assert q.questions[qid].type == expected.get(question.type, question.type), qid
        assert q.questions[qid].label == question.label
    assert q.rules == []
    assert q.sections[0].questions[0].type == "note"  # a section description as a note


@pytest.mark.parametrize(
    ("edits", "code"),
    [
        ({("histoire", "type"): "integer"}, None),
        ({("histoire", "relevant"): "${inconnue} > 0"}, "Q_REF_UNKNOWN"),
    ],
)
def test_round_trip__opp_sheet_no_longer_applying_is_reported(edits, code):
    data = _edit(_small_exported(), edits)
    if code is None:
        result = _import(data)
        assert result.questionnaire.questions["histoire"].type == "integer"
        assert result.questionnaire.questions["histoire"].personal is False  # opp row ignored
        assert any(n.field == "histoire" and n.severity == "warning" for n in result.notes)
    else:
        with pytest.raises(OppError) as info:
            _import(data)
        assert info.value.code == code


# --- malformed workbooks --------------------------------------------------------------------


def _no_survey() -> bytes:
    wb = Workbook()
    wb.active.title = "questions"
    wb.create_sheet("notes")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


MALFORMED = {
    "not_xlsx": (b"PK not really a zip", "XLS_NOT_XLSX", None),
    "no_survey": (_no_survey(), "XLS_SHEET_MISSING", None),
    "no_type_column": (_book([["x"]], header=["nom", "label"]), "XLS_COLUMN_MISSING", 1),
    "unknown_type": (
        _book([["text", "a", "A", "A"], ["integr", "b", "B", "B"]]),
        "XLS_TYPE_UNKNOWN",
        3,
    ),
    "duplicate_name": (
        _book([["text", "a", "A", "A"], ["integer", "A", "B", "B"]]),
        "XLS_NAME_DUPLICATE",
        3,
    ),
    "missing_name": (_book([["text", None, "A", "A"]]), "XLS_NAME_MISSING", 2),
    "group_not_closed": (
        _book([["begin_group", "g", "G", "G"], ["text", "a", "A", "A"]]),
        "XLS_UNBALANCED",
        2,
    ),
    "end_without_begin": (_book([["text", "a", "A", "A"], ["end_group"]]), "XLS_UNBALANCED", 3),
    "end_mismatch": (
        _book([["begin_group", "g", "G", "G"], ["text", "a", "A", "A"], ["end_repeat"]]),
        "XLS_UNBALANCED",
        4,
    ),
    "missing_list": (
        _book([["select_one couleurs", "c", "C", "C"]], [["formes", "rond", "Round", "Rond"]]),
        "XLS_CHOICE_LIST_MISSING",
        2,
    ),
    "select_without_list": (_book([["select_one", "c", "C", "C"]]), "XLS_TYPE_LIST_MISSING", 2),
    "duplicate_choice": (
        _book([["select_one l", "c", "C", "C"]], [["l", "a", "A", "A"], ["l", "a", "A", "A"]]),
        "XLS_REFUSED",
        3,
    ),
    "unknown_reference": (
        _book([["integer", "a", "A", "A", None, None, None, "${b} > 1"]]),
        "Q_REF_UNKNOWN",
        2,
    ),
    "only_unsupported": (_book([["geopoint", "p", "P", "P"]]), "XLS_EMPTY_FORM", None),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_import__malformed_workbook_names_sheet_row_and_fix(case):
    data, code, row = MALFORMED[case]
    with pytest.raises(OppError) as info:
        _import(data, filename="enquete.xlsx")
    err = info.value
    assert err.code == code
    fr, en = err.message("fr"), err.message("en")
    assert fr != en
    assert fr.startswith("enquete.xlsx")
    if row is not None:
        assert err.line == row
        assert f"ligne {row}" in fr
        assert f"line {row}" in en
        sheet = "choices" if "choice" in case else "survey"
        assert f"{sheet}!" in fr
        assert f"{sheet}!" in en
    if case == "unknown_type":
        assert "integer" in fr
        assert "Vouliez-vous dire « integer »" in fr
        assert "(type)" in fr


def test_import__decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(xlsform_workbook, "MAX_UNZIPPED", 10_000)  # a real bomb would be gigabytes
    with pytest.raises(OppError) as info:
        _import(_small_exported())
    assert info.value.code == "XLS_TOO_BIG"


def test_import__loader_errors_point_back_at_the_row():
    # min > max can only come from the opp sheet: the loader's check names the survey row.
    wb = load_workbook(io.BytesIO(_small_exported()))
    for row in wb["opp"].iter_rows(min_row=2):
        if row[1].value == "effectif":
            payload = json.loads(row[2].value)
            payload["extra"]["min"] = 3000
            row[2].value = json.dumps(payload)
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(OppError) as info:
        _import(buffer.getvalue(), filename="petit.xlsx")
    row = _row_of(_small_exported(), "effectif")
    assert (info.value.code, info.value.line) == ("Q_MIN_MAX", row)
    assert info.value.message("en").startswith(
        f"petit.xlsx, line {row}, survey!I{row} (constraint)"
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_import__random_bytes_only_ever_raise_opperror(data):
    with pytest.raises(OppError):
        _import(data)


CELLS = st.one_of(
    st.none(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.sampled_from(
        [
            "text",
            "integer",
            "select_one l",
            "begin_group",
            "end_group",
            "begin_repeat",
            "end_repeat",
            "calculate",
            "note",
            "yes",
            ". > 0",
            "${a} = 'x'",
            "a",
            "b",
            "l",
        ]
    ),
    st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12),
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(CELLS, min_size=1, max_size=9), min_size=1, max_size=8),
    st.lists(st.lists(CELLS, min_size=2, max_size=4), max_size=4),
)
def test_import__random_cells_only_ever_raise_opperror(survey, choices):
    data = _book(survey, [["l", "x", "X", "X"], *choices])
    try:
        outcome: Any = _import(data).questionnaire
    except OppError as exc:
        outcome = (exc.message("fr"), exc.message("en"))
    assert isinstance(outcome, Questionnaire) or all(outcome)


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_export__every_shipped_questionnaire_converts_with_pyxform_without_warnings(
    questionnaire_id,
):
    from opp.questionnaire.xlsform_verdict import pyxform_refusal, pyxform_warnings
    from opp.questionnaire.xlsform_workbook import read_workbook

    book = read_workbook(_exported(questionnaire_id), f"{questionnaire_id}.xlsx")
    assert pyxform_refusal(book, f"{questionnaire_id}.xlsx") is None
    assert pyxform_warnings(book) == []


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_export__every_shipped_questionnaire_passes_odk_validate_without_warnings(
    questionnaire_id,
):
    """ODK Validate (the Java validator shipped inside pyxform's wheel, run on Debian's
    Java installed by the Makefile) accepts the XForm of every shipped questionnaire's
    export, with no warning: what ODK Collect and KoboToolbox would load."""
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    result = convert(
        io.BytesIO(_exported(questionnaire_id)),
        warnings=warnings,
        validate=True,
        file_type=".xlsx",
    )
    assert "<h:html" in result.xform
    assert warnings == []
