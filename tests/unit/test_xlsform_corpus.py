"""The XLSForm corpus (pyxform's own test forms, tests/data/xlsform-corpus/) and the import
limits: forms pyxform converts import into OPP, forms it refuses are refused with their
sheet and row; what OPP computes from imported forms works when answering."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from opp.errors import OppError
from opp.questionnaire.validation import answer_resolver, validate_answers
from opp.questionnaire.xlsform import import_xlsform

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import xlsform_corpus  # noqa: E402

FORMS = xlsform_corpus.survey_forms()


def test_corpus__is_there():
    assert len(FORMS) >= 50


@pytest.mark.parametrize("path", FORMS, ids=[f.name for f in FORMS])
def test_corpus__pyxform_forms_import_and_refusals_are_located(path):
    row = xlsform_corpus.outcome(path)
    if row["pyxform"]:
        # Imported, or refused only because nothing answerable is left (the skipped rows
        # are listed in the message).
        assert row["opp"] == "imported" or row["code"] == "XLS_EMPTY_FORM", row
        if row["opp"] == "refused":
            assert "Rows skipped: " in str(row["message"])
            assert "Rows skipped: —" not in str(row["message"])
    else:
        assert row["opp"] == "refused", row
        message = str(row["message"])
        assert message.startswith(path.name + ", line ")
        assert "survey!" in message


def _book(survey: list[list[object]], choices: list[list[object]] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in survey:
        ws.append(row)
    if choices:
        sheet = wb.create_sheet("choices")
        for row in choices:
            sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


HEAD = ["type", "name", "label", "relevant", "required", "calculation", "choice_filter"]


def test_import__calculate_required_expression_cascading_and_labels_work_when_answering():
    survey = [
        HEAD,
        ["integer", "salaries", "Salariés"],
        ["integer", "benevoles", "Bénévoles"],
        ["calculate", "total", None, None, None, "${salaries} + ${benevoles}"],
        ["note", "recap", "Vous déclarez ${total} personnes", "${total} > 0"],
        ["text", "detail", "Détail", None, "${total} > 10"],
        ["select_one departements", "dep", "Département"],
        ["select_one communes", "commune", "Commune", None, None, None, "dep = ${dep}"],
    ]
    choices = [
        ["list_name", "name", "label", "dep"],
        ["departements", "31", "Haute-Garonne"],
        ["departements", "34", "Hérault"],
        ["communes", "toulouse", "Toulouse", "31"],
        ["communes", "muret", "Muret", "31"],
        ["communes", "montpellier", "Montpellier", "34"],
    ]
    q = import_xlsform(_book(survey, choices), filiere="cirque").questionnaire
    assert q.questions["total"].type == "calculate"
    assert q.questions["detail"].required_if == "${total} > 10"
    assert q.questions["commune"].choice_filter == "dep = ${dep}"
    answers = {"salaries": 8, "benevoles": 4, "dep": "31", "commune": "toulouse"}
    resolve = answer_resolver(q, answers)
    assert resolve("total") == 12
    result = validate_answers(q, answers)
    assert [e.question_id for e in result.errors] == ["detail"]  # required: 12 > 10
    assert "recap" not in result.hidden
    wrong = validate_answers(q, {**answers, "commune": "montpellier", "detail": "x"})
    assert [e.code for e in wrong.errors] == ["A_CHOICE_FILTERED"]
    few = validate_answers(q, {"salaries": 1, "benevoles": 0})
    assert not few.errors


def test_import__legacy_spellings_and_values_as_written_are_kept():
    survey = [
        ["type", "name", "label:English", "bind:relevant"],
        ["select one from niveaux", "niveau", "Level"],
        [
            "select all that apply from aides or specify other",
            "autres",
            "Others",
            "${niveau} != ''",
        ],
        ["date time", "quand", "When"],
    ]
    choices = [
        ["list name", "name", "label:English"],
        ["niveaux", "élémentaire", "Elementary"],
        ["niveaux", "père et mère", "Parents"],
        ["niveaux", "-99", "Don't know"],
        ["aides", "état", "State"],
        ["aides", "région", "Region"],
    ]
    result = import_xlsform(_book(survey, choices), filiere="cirque")
    q = result.questionnaire
    assert q.questions["niveau"].choice_values == ["élémentaire", "père et mère", "-99"]
    assert q.questions["niveau"].label.en == "Level"
    assert q.questions["autres"].relevant == "${niveau} != ''"
    assert q.questions["autres"].choice_values[-1] == "other"
    assert (
        q.questions["autres_other"].relevant == "(${niveau} != '') and selected(${autres}, 'other')"
    )
    assert q.questions["quand"].type == "date"
    assert any(n.row == 4 and "only the date" in n.message["en"] for n in result.notes)


def test_import__names_unique_per_group_get_unique_ids_reported():
    survey = [
        ["type", "name", "label"],
        ["begin_group", "a", "A"],
        ["integer", "nombre", "Nombre A"],
        ["end_group"],
        ["begin_group", "b", "B"],
        ["integer", "nombre", "Nombre B"],
        ["end_group"],
        ["text", "section_1", "Une question nommée comme une section"],
    ]
    result = import_xlsform(_book(survey), filiere="cirque")
    q = result.questionnaire
    assert list(q.questions) == ["nombre", "nombre_2", "section_1"]
    assert len({s.id for s in q.sections}) == len(q.sections)
    assert any(n.row == 6 and "'nombre_2'" in n.message["en"] for n in result.notes)


def test_import__formula_cells_read_as_cached_value_with_a_note():
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label", "hint"])
    ws.append(["text", "nom", "Nom", "=B2"])
    buffer = io.BytesIO()
    wb.save(buffer)  # openpyxl writes no cached value: read as empty, reported
    result = import_xlsform(buffer.getvalue(), filiere="cirque")
    note = next(n for n in result.notes if n.row == 2 and n.field == "hint")
    assert "=B2" in note.message["en"]
    assert "without a computed value" in note.message["en"]


def test_import__empty_formatted_rows_do_not_count_against_the_limits(monkeypatch):
    from opp.questionnaire import xlsform_workbook

    monkeypatch.setitem(xlsform_workbook.MAX_ROWS, "survey", 3)
    survey = [["type", "name", "label"], ["text", "a", "A"], *[[None]] * 50, ["text", "b", "B"]]
    q = import_xlsform(_book(survey), filiere="cirque").questionnaire
    assert list(q.questions) == ["a", "b"]


def test_import__limits_name_sheet_and_row_never_recursionerror():
    long_label = [["type", "name", "label"], ["text", "a", "x" * 20_000]]
    with pytest.raises(OppError) as info:
        import_xlsform(_book(long_label), filename="f.xlsx", filiere="cirque")
    assert info.value.code == "XLS_CELL_TOO_LONG"
    assert info.value.message("fr").startswith("f.xlsx, ligne 2, survey!C2 (label)")
    deep = [["type", "name", "label"]]
    deep += [["begin_group", f"g{i}", "G"] for i in range(5000)]
    deep += [["text", "a", "A"]] + [["end_group"]] * 5000
    with pytest.raises(OppError) as info:
        import_xlsform(_book(deep), filename="f.xlsx", filiere="cirque")
    assert info.value.code == "XLS_TOO_DEEP"
    assert info.value.line == 32
    assert "survey!A32" in info.value.message("en")


def test_export__an_imported_form_with_calculate_and_cascading_choices_goes_back_to_odk():
    """A KoboToolbox form brought into OPP can be exported again: its calculations are
    written as `calculate` rows (ODK Validate accepts the XForm) and the workbook imports
    back to the same questionnaire."""
    from pyxform.xls2xform import convert

    from opp.questionnaire.xlsform import export_xlsform

    survey = [
        HEAD,
        ["integer", "salaries", "Salariés"],
        ["integer", "benevoles", "Bénévoles"],
        ["calculate", "total", None, None, None, "${salaries} + ${benevoles}"],
        ["note", "recap", "Vous déclarez ${total} personnes", "${total} > 0"],
        ["text", "detail", "Détail", None, "${total} > 10"],
        ["select_one departements", "dep", "Département"],
        ["select_one communes", "commune", "Commune", None, None, None, "dep = ${dep}"],
    ]
    choices = [
        ["list_name", "name", "label", "dep"],
        ["departements", "31", "Haute-Garonne"],
        ["departements", "34", "Hérault"],
        ["communes", "toulouse", "Toulouse", "31"],
        ["communes", "montpellier", "Montpellier", "34"],
    ]
    q = import_xlsform(_book(survey, choices), filiere="cirque").questionnaire
    exported = export_xlsform(q, reference_year=2024)
    warnings: list[str] = []
    xform = convert(io.BytesIO(exported), warnings=warnings, validate=True, file_type=".xlsx")
    assert 'calculate="' in xform.xform
    assert warnings == []
    again = import_xlsform(exported, filiere="cirque").questionnaire
    assert again.questions["total"].type == "calculate"
    assert again.questions["total"].calculation == "${salaries} + ${benevoles}"
    assert again.model_dump() == q.model_dump()
