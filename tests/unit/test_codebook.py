"""The codebook of a questionnaire version (issue 16): every variable with label, type,
unit, choices and codes, versions and years asked, personal or not; as a Frictionless
Table Schema (validated by the reference library), a table and a workbook."""

from __future__ import annotations

import io

import frictionless
import openpyxl
import pytest

from opp import codebook
from opp.access.viewer import SYSTEM
from opp.services import questionnaires
from opp.store import Store


@pytest.fixture(scope="module")
def book(module_demo_store: Store) -> codebook.Codebook:
    """The codebook of the latest cirque questionnaire, read from DuckDB then PostgreSQL."""
    latest = questionnaires.latest(module_demo_store, SYSTEM, "cirque")
    return codebook.load(module_demo_store, "cirque", latest.version)


def test_codebook__lists_every_variable_with_its_metadata(book):
    by_id = {v.id: v for v in book.variables}
    asked = {
        q.id for _, q, _ in book.questionnaire.iter_questions() if q.type not in ("note", "repeat")
    }
    assert set(by_id) == asked
    with_choices = next(v for v in book.variables if v.type == "single_choice")
    assert with_choices.choices
    assert all(c["code"] and c["fr"] for c in with_choices.choices)
    assert any(v.unit for v in book.variables)
    assert all(book.questionnaire.version in v.versions for v in book.variables)
    assert any(v.years for v in book.variables)  # the demo's campaigns used this version
    personal = {q.id for _, q, _ in book.questionnaire.iter_questions() if q.personal}
    assert {v.id for v in book.variables if v.personal} == personal


def test_codebook__is_a_valid_frictionless_table_schema(book):
    descriptor = codebook.table_schema(book)
    report = frictionless.validate(descriptor, type="schema")
    assert report.valid, report.flatten(["type", "note"])[:5]
    schema = frictionless.Schema.from_descriptor(descriptor)
    assert len(schema.fields) == len(book.variables)
    single = next(f for f in descriptor["fields"] if f["opp:type"] == "single_choice")
    assert single["constraints"]["enum"] == [c["code"] for c in single["opp:choices"]]


def test_codebook__readable_table_and_workbook(book):
    table = codebook.table(book, "fr")
    assert table.height == len(book.variables)
    assert {"variable", "libellé", "type", "unité", "personnelle", "versions", "années"} <= set(
        table.columns
    )
    english = codebook.table(book, "en")
    assert "label" in english.columns
    workbook = openpyxl.load_workbook(io.BytesIO(codebook.to_xlsx(book, "fr")))
    sheet = workbook.active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "variable" in values
    assert book.variables[0].id in values
