"""Answer validation: coercion, relevance, required, constraints, rules, repeats."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SMALL
from hypothesis import given, settings
from hypothesis import strategies as st

from opp.questionnaire.answers import from_rows, to_rows
from opp.questionnaire.loader import load_text
from opp.questionnaire.validation import (
    EvalContext,
    section_statuses,
    validate_answers,
    visible_questions,
)


@pytest.fixture
def small(make_questionnaire):
    return make_questionnaire()


def test_validation__clean_answers_are_typed(small):
    result = validate_answers(
        small,
        {
            "effectif": "12",
            "femmes": 5,
            "nom": "  Cie du Vent  ",
            "lieu_type": "rue",
            "dates": [{"jour": "2025-03-01", "commune": "31555", "cachet": "1 200,50"}],
        },
    )
    assert result.ok, result.errors
    assert result.cleaned["effectif"] == 12
    assert result.cleaned["nom"] == "Cie du Vent"
    assert result.cleaned["dates"] == [
        {"jour": dt.date(2025, 3, 1), "commune": "31555", "cachet": 1200.5}
    ]


def test_validation__required_missing_is_an_error_only_when_complete(small):
    assert [e.code for e in validate_answers(small, {}).errors] == ["A_REQUIRED"]
    assert validate_answers(small, {}, complete=False).ok


def test_validation__messages_are_in_french_and_english(small):
    error = validate_answers(small, {"effectif": "douze"}).errors[0]
    assert error.question_id == "effectif"
    assert error.message("fr") == "Saisissez un nombre entier (sans virgule)."
    assert error.message("en") == "Enter a whole number (no decimals)."


def test_validation__hidden_questions_are_dropped_not_stored(small):
    result = validate_answers(small, {"effectif": 0, "femmes": 3})
    assert result.ok
    assert "femmes" not in result.cleaned
    assert "femmes" in result.hidden


def test_validation__rule_violation_is_shown_next_to_field(small):
    result = validate_answers(small, {"effectif": 2, "femmes": 3})
    assert [(e.question_id, e.code, e.rule_id) for e in result.errors] == [
        ("femmes", "A_RULE", "femmes_max")
    ]
    assert result.errors[0].message("fr") == "Plus de femmes que d'effectif"
    assert result.errors[0].message("en") == "More women than staff"


def test_validation__bounds_and_choices(small):
    result = validate_answers(small, {"effectif": -1, "lieu_type": "plage"})
    codes = {e.question_id: e.code for e in result.errors}
    assert codes == {"effectif": "A_BELOW_MIN", "lieu_type": "A_CHOICE_UNKNOWN"}
    assert "au moins 0" in result.errors[0].message("fr")


def test_validation__unknown_question_is_refused(small):
    result = validate_answers(small, {"effectif": 1, "pirate": "x"})
    assert [e.code for e in result.errors] == ["A_QUESTION_UNKNOWN"]


def test_validation__repeat_item_errors_name_the_item(small):
    result = validate_answers(
        small,
        {"effectif": 1, "dates": [{"jour": "2025-01-01"}, {"commune": "99999"}]},
    )
    paths = sorted(e.path for e in result.errors)
    assert paths == ["dates[2].commune", "dates[2].jour"]
    assert {e.code for e in result.errors} == {"A_COMMUNE_UNKNOWN", "A_REQUIRED"}


def test_validation__repeat_must_be_a_list_of_items(small):
    result = validate_answers(small, {"effectif": 1, "dates": "hier"})
    assert [e.code for e in result.errors] == ["A_REPEAT_NOT_LIST"]


def test_validation__constraint_with_custom_message(make_questionnaire):
    q = make_questionnaire(
        """
        id: c
        filiere: cirque
        title: C
        version: 1.0.0
        sections:
          - id: s
            title: S
            questions:
              - id: annee
                type: integer
                label: Année
                constraint: ". <= ${_reference_year}"
                constraint_message:
                  fr: "Pas après l'année de référence"
                  en: "Not after the reference year"
        """
    )
    result = validate_answers(q, {"annee": 2030}, context=EvalContext(reference_year=2025))
    assert result.errors[0].message("fr") == "Pas après l'année de référence"
    assert validate_answers(q, {"annee": 2020}, context=EvalContext(reference_year=2025)).ok


def test_validation__multiple_choice_exclusive_and_order(make_questionnaire):
    q = make_questionnaire(
        """
        id: m
        filiere: cirque
        title: M
        version: 1.0.0
        sections:
          - id: s
            title: S
            questions:
              - id: labels
                type: multiple_choice
                label: Labels
                choices:
                  - {value: a, label: A}
                  - {value: b, label: B}
                  - {value: aucun, label: Aucun, exclusive: true}
        """
    )
    assert validate_answers(q, {"labels": ["b", "a", "b"]}).cleaned["labels"] == ["a", "b"]
    assert validate_answers(q, {"labels": "a b"}).cleaned["labels"] == ["a", "b"]
    errors = validate_answers(q, {"labels": ["a", "aucun"]}).errors
    assert [e.code for e in errors] == ["A_CHOICE_EXCLUSIVE"]
    assert "Aucun" in errors[0].message("fr")


def test_validation__section_statuses(small):
    statuses = section_statuses(small, {"effectif": 3})
    assert statuses == {"s1": "complete", "s2": "empty"}
    assert section_statuses(small, {"effectif": 3, "lieu_type": "rue"})["s2"] == "complete"
    statuses = section_statuses(small, {"effectif": 3, "femmes": 9})
    assert statuses["s1"] == "errors"
    assert section_statuses(small, {})["s1"] == "empty"


def test_validation__visible_questions_follow_relevance(small):
    assert "femmes" not in visible_questions(small, {"effectif": 0})
    assert "femmes" in visible_questions(small, {"effectif": 4})


def test_long_format__round_trip_keeps_every_value(small):
    cleaned = validate_answers(
        small,
        {
            "effectif": 4,
            "femmes": 2,
            "nom": "X",
            "lieu_type": "salle",
            "dates": [
                {"jour": "2025-01-02", "cachet": 800},
                {"jour": "2025-02-03", "commune": "34172"},
            ],
        },
    ).cleaned
    rows = to_rows(small, cleaned)
    assert {(r.question_id, r.item) for r in rows} >= {("effectif", 0), ("jour", 1), ("jour", 2)}
    stored = [
        (r.question_id, r.item, r.value_num, r.value_text, r.value_bool, r.value_date, r.value_list)
        for r in rows
    ]
    assert from_rows(small, stored) == cleaned


# --- property: random invalid answer sets are refused --------------------------------------

_bad_integer = st.one_of(
    st.text(min_size=1).filter(lambda s: not s.strip().lstrip("+-").replace(" ", "").isdigit()),
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
    st.integers(max_value=-1),
    st.integers(min_value=1001),
    st.booleans(),
    st.lists(st.integers(), min_size=1),
)
_bad_choice = st.text().filter(lambda s: s.strip() not in ("salle", "rue", ""))


@settings(max_examples=150, deadline=None)
@given(effectif=_bad_integer, choice=st.one_of(st.none(), _bad_choice))
def test_validation__random_invalid_answers_are_refused(effectif, choice):
    q = load_text(SMALL, "small.yaml").questionnaire
    answers = {"effectif": effectif, "lieu_type": choice}
    result = validate_answers(q, answers)
    assert not result.ok
    assert "effectif" not in result.cleaned
    assert all(e.message("fr") and e.message("en") for e in result.errors)
