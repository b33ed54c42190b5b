"""The question-type registry (issue 14, item 3): every question model has one descriptor
and one widget, and each type behaves as it did when its rules were spread over tables
and isinstance chains (the expectations below are those former tables)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from opp import codebook
from opp.questionnaire import answers
from opp.questionnaire.model import QUESTION_TYPES, Question, Questionnaire
from opp.questionnaire.question_types import (
    CHOICE_TYPES,
    NUMERIC_TYPES,
    PROPOSABLE_TYPES,
    REGISTRY,
    coerce,
    descriptor,
    format_value,
    type_label,
    value_kind,
)
from opp.questionnaire.xlsform_export import Exporter
from opp.ui.widgets import WIDGETS

MODELS = get_args(get_args(Question)[0])
QUESTION = TypeAdapter(Question)
CHOICES = [{"value": "a", "label": "A"}, {"value": "b", "label": {"fr": "Bé", "en": "Bee"}}]


def make(kind: str, **fields: Any) -> Any:
    data: dict[str, Any] = {"id": f"q_{kind}", "type": kind, "label": kind, **fields}
    if kind in CHOICE_TYPES:
        data.setdefault("choices", CHOICES)
    if kind == "calculate":
        data.setdefault("calculation", "1 + 1")
    if kind == "repeat":
        data.setdefault("questions", [{"id": "child", "type": "integer", "label": "n"}])
    return QUESTION.validate_python(data)


def test_registry__every_question_model_has_one_descriptor_and_one_widget():
    for model in MODELS:
        key = get_args(model.model_fields["type"].annotation)[0]
        kind = REGISTRY[key]
        assert kind.model is model, key
        assert kind.key == key
        assert descriptor(make(key)) is kind
        assert callable(WIDGETS[key]), f"no widget for {key} in opp.ui.widgets.WIDGETS"
    assert set(REGISTRY) == set(QUESTION_TYPES) == set(WIDGETS)
    assert len(MODELS) == len(REGISTRY)


def test_registry__derived_sets_are_the_former_ones():
    assert {"integer", "decimal", "money", "percentage"} == NUMERIC_TYPES
    assert {"single_choice", "multiple_choice"} == CHOICE_TYPES
    assert tuple(t for t in QUESTION_TYPES if t not in {"repeat", "calculate"}) == PROPOSABLE_TYPES


# --- value columns (answers rows, analytics pivot) ---------------------------------------

FORMER_VALUE_KINDS = {"integer": "num", "decimal": "num", "money": "num", "percentage": "num"}
FORMER_VALUE_KINDS |= {"yes_no": "bool", "multiple_choice": "list", "date": "date"}


@pytest.mark.parametrize("kind", QUESTION_TYPES)
def test_value_kind__is_the_former_catalogue_mapping(kind):
    assert value_kind(kind) == FORMER_VALUE_KINDS.get(kind, "text")


ROUND_TRIPS = [
    ("text", "Bonjour", "value_text"),
    ("long_text", "Un texte\nlong", "value_text"),
    ("integer", 1200, "value_num"),
    ("decimal", 3.14, "value_num"),
    ("money", 1200.5, "value_num"),
    ("percentage", 48.6, "value_num"),
    ("yes_no", False, "value_bool"),
    ("single_choice", "b", "value_text"),
    ("multiple_choice", ["a", "b"], "value_list"),
    ("date", dt.date(2024, 3, 1), "value_date"),
    ("commune", "31555", "value_text"),
    ("departement", "34", "value_text"),
    ("region_country", "BE", "value_text"),
]


@pytest.mark.parametrize(("kind", "value", "column"), ROUND_TRIPS)
def test_answers__each_type_is_stored_in_its_column_and_read_back_unchanged(kind, value, column):
    question = make(kind)
    q = Questionnaire.model_validate(
        {"id": "t", "filiere": "cirque", "title": "T", "version": "1.0.0"}
        | {"sections": [{"id": "s", "title": "S", "questions": [question]}]}
    )
    (row,) = answers.to_rows(q, {question.id: value})
    assert getattr(row, column) is not None
    stored = (row.question_id, row.item, row.value_num, row.value_text, row.value_bool)
    stored += (row.value_date, row.value_list)
    back = answers.from_rows(q, [stored])[question.id]
    assert back == value
    assert type(back) is type(value)


# --- coercion and validation ---------------------------------------------------------------

COERCIONS = [
    ("text", "  Bonjour ", "Bonjour", None),
    ("text", True, None, "A_NOT_TEXT"),
    ("text", "x" * 301, None, "A_TOO_LONG"),
    ("long_text", "a\x00b", "ab", None),
    ("integer", "1 200", 1200, None),
    ("integer", "1,5", None, "A_NOT_INTEGER"),
    ("integer", 10.0, 10, None),
    ("decimal", "3,14159", 3.14, None),
    ("decimal", "abc", None, "A_NOT_NUMBER"),
    ("money", "1 200,504 €", 1200.5, None),
    ("money", -1, None, "A_BELOW_MIN"),
    ("percentage", "101", None, "A_ABOVE_MAX"),
    ("percentage", "48,66 %", 48.66, None),
    ("yes_no", "oui", True, None),
    ("yes_no", "No", False, None),
    ("yes_no", "peut-être", None, "A_NOT_BOOL"),
    ("single_choice", "b", "b", None),
    ("single_choice", "z", None, "A_CHOICE_UNKNOWN"),
    ("multiple_choice", "b a", ["a", "b"], None),
    ("multiple_choice", ["a", "z"], None, "A_CHOICE_UNKNOWN"),
    ("date", "2024-03-01", dt.date(2024, 3, 1), None),
    ("date", "01/03/2024", None, "A_NOT_DATE"),
    ("commune", "31555", "31555", None),
    ("commune", "75056", None, "A_COMMUNE_UNKNOWN"),
    ("departement", 9, "09", None),
    ("departement", "75", None, "A_DEPARTEMENT_UNKNOWN"),
    ("region_country", "BE", "BE", None),
    ("region_country", "ZZ", None, "A_PLACE_UNKNOWN"),
    ("note", "anything", None, None),
    ("calculate", "3", None, None),
    ("repeat", [{"child": 1}], None, None),
]


@pytest.mark.parametrize(("kind", "raw", "value", "code"), COERCIONS)
def test_coerce__each_type_parses_and_checks_as_before(kind, raw, value, code):
    got, problem = coerce(make(kind), raw)
    assert got == value
    assert (problem[0] if problem else None) == code


def test_coerce__the_question_limits_are_checked_after_parsing():
    assert coerce(make("integer", min=1900, max=2030), "1850")[1] == (
        "A_BELOW_MIN",
        {"min": "1\u202f900"},
    )
    assert coerce(make("text", min_length=3), "ab")[1] == ("A_TOO_SHORT", {"min": 3})
    exclusive = [{"value": "aucun", "label": "Aucun", "exclusive": True}, *CHOICES]
    problem = coerce(make("multiple_choice", choices=exclusive), ["aucun", "a"])[1]
    assert problem
    assert problem[0] == "A_CHOICE_EXCLUSIVE"
    too_many = coerce(make("multiple_choice", max_selected=1), ["a", "b"])[1]
    assert too_many == ("A_TOO_MANY_CHOICES", {"max": 1})
    late = coerce(make("date", max_date="2024-12-31"), "2025-01-01")[1]
    assert late == ("A_DATE_AFTER", {"max": "31/12/2024"})


RAW = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**16), 10**16),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.lists(st.sampled_from(["a", "b", "z", ""]), max_size=4),
    st.dates(),
)


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(QUESTION_TYPES), raw=RAW)
def test_coerce__never_raises_and_a_coerced_value_is_accepted_again(kind, raw):
    question = make(kind, **({"min": -100, "max": 10**9} if kind == "integer" else {}))
    value, problem = coerce(question, raw)
    assert value is None or problem is None
    if problem is not None:
        assert problem[0].startswith("A_")
    if value is not None:
        assert coerce(question, value) == (value, None)


# --- display -------------------------------------------------------------------------------

DISPLAYS = [
    ("text", "Bonjour", "fr", "Bonjour"),
    ("yes_no", True, "fr", "Oui"),
    ("yes_no", False, "en", "No"),
    ("single_choice", "b", "en", "Bee"),
    ("multiple_choice", ["a", "b"], "fr", "A, Bé"),
    ("money", 1200.0, "fr", "1\u202f200\xa0€"),  # Babel (CLDR fr_FR), opp.i18n
    ("money", 1200.5, "en", "€1,200.50"),
    ("percentage", 48.6, "fr", "48,6\xa0%"),
    ("integer", 10781200, "fr", "10\u202f781\u202f200"),
    ("decimal", 3.14159, "en", "3.14"),
    ("date", dt.date(2024, 3, 1), "fr", "01/03/2024"),
    ("date", dt.date(2024, 3, 1), "en", "01/03/2024"),  # en_GB
    ("departement", "34", "fr", "Hérault (34)"),
    ("repeat", [{}, {}], "fr", "2 éléments"),  # ngettext
    ("repeat", [{}], "en", "1 item"),
    ("note", "x", "fr", "x"),
]


@pytest.mark.parametrize(("kind", "value", "lang", "shown"), DISPLAYS)
def test_format_value__each_type_reads_as_before(kind, value, lang, shown):
    assert format_value(make(kind), value, lang) == shown


def test_format_value__a_year_has_no_separator_and_no_answer_is_a_dash():
    assert format_value(make("integer", min=1900), 2019, "fr") == "2019"
    assert format_value(make("money"), None, "en") == "—"


# --- labels, codebook, open data, XLSForm -------------------------------------------------

FORMER_TYPE_LABELS = {
    "text": ("Texte court", "Short text"),
    "money": ("Montant (€)", "Amount (€)"),
    "commune": ("Commune d'Occitanie", "Municipality in Occitanie"),
    "note": ("Texte d'information", "Information text"),
    "repeat": ("Groupe répété", "Repeated group"),
}


def test_type_label__every_type_is_named_in_both_languages():
    for key in QUESTION_TYPES:
        assert type_label(key, "fr")
        assert type_label(key, "en")
    for key, (fr, en) in FORMER_TYPE_LABELS.items():
        assert (type_label(key, "fr"), type_label(key, "en")) == (fr, en)


FORMER_FIELD_TYPES = {
    **dict.fromkeys(["text", "long_text", "single_choice", "multiple_choice"], "string"),
    **dict.fromkeys(["commune", "departement", "region_country"], "string"),
    **dict.fromkeys(["decimal", "money", "percentage", "calculate"], "number"),
    "integer": "integer",
    "yes_no": "boolean",
    "date": "date",
}


def test_codebook__table_schema_types_and_withheld_types_are_the_former_tables():
    for key in QUESTION_TYPES:
        assert REGISTRY[key].table_schema == FORMER_FIELD_TYPES.get(key), key
    withheld = {k for k in QUESTION_TYPES if REGISTRY[k].withheld_from_open_data}
    assert withheld == {"commune", "departement", "region_country", "text", "long_text"}
    assert codebook._codes("commune", "en") == "INSEE code"
    assert codebook._codes("integer", "fr") == ""


FORMER_XLS_TYPES = {
    "text": "text",
    "long_text": "text",
    "integer": "integer",
    "decimal": "decimal",
    "money": "decimal",
    "percentage": "decimal",
    "date": "date",
    "note": "note",
    "yes_no": "select_one oui_non",
    "commune": "select_one communes_occitanie",
    "departement": "select_one departements_occitanie",
    "region_country": "select_one regions_pays",
    "single_choice": "select_one q_single_choice",
    "multiple_choice": "select_multiple q_multiple_choice",
}
FORMER_APPEARANCES = {"long_text": "multiline", "commune": "autocomplete"}
FORMER_APPEARANCES |= {"region_country": "autocomplete", "departement": "minimal"}


@pytest.mark.parametrize("kind", sorted(FORMER_XLS_TYPES))
def test_xlsform__each_type_exports_as_before(kind):
    question = make(kind)
    q = Questionnaire.model_validate(
        {"id": "t", "filiere": "cirque", "title": "T", "version": "1.0.0"}
        | {"sections": [{"id": "s", "title": "S", "questions": [question]}]}
    )
    exporter = Exporter(q, ("fr",), 2024)
    exporter.run()
    row = next(r for r in exporter.survey if r.get("name") == question.id)
    assert row["type"] == FORMER_XLS_TYPES[kind]
    assert row.get("appearance") == FORMER_APPEARANCES.get(kind)
    dropdown = make("single_choice", appearance="dropdown")
    assert REGISTRY["single_choice"].xls.appearance(dropdown) == "minimal"


LIMITS = [
    ("integer", {"min": 0, "max": 10}, ". >= 0 and . <= 10"),
    ("money", {}, ". >= 0"),
    ("percentage", {}, ". >= 0 and . <= 100"),
    ("text", {"max_length": 20}, "string-length(.) <= 20"),
    ("text", {"pattern": "[A-Z]{2}"}, "regex(., '^(?:[A-Z]{2})$')"),
    ("long_text", {"min_length": 5}, "string-length(.) >= 5"),
    ("multiple_choice", {"max_selected": 1}, "count-selected(.) <= 1"),
    ("date", {"min_date": "2020-01-01"}, ". >= date('2020-01-01')"),
    ("yes_no", {}, None),
    ("single_choice", {}, None),
]


@pytest.mark.parametrize(("kind", "fields", "constraint"), LIMITS)
def test_xlsform__a_types_limits_become_the_constraint_odk_checks(kind, fields, constraint):
    question = make(kind, **fields)
    q = Questionnaire.model_validate(
        {"id": "t", "filiere": "cirque", "title": "T", "version": "1.0.0"}
        | {"sections": [{"id": "s", "title": "S", "questions": [question]}]}
    )
    exporter = Exporter(q, ("fr",), 2024)
    exporter.run()
    row = next(r for r in exporter.survey if r.get("name") == question.id)
    assert row.get("constraint") == constraint


def test_readme__lists_every_question_type():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    paragraph = readme.split("Question types: ", 1)[1].split(" Each question", 1)[0]
    listed = set(re.findall(r"`([a-z_]+)`", paragraph))
    assert listed == set(QUESTION_TYPES)
