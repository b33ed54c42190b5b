"""Each question type is asked with its widget (`opp.ui.widgets.WIDGETS`), initialised
from the stored answer and giving it back unchanged (issue 14, item 3)."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import datetime as dt

    import streamlit as st

    from opp.questionnaire.loader import load_text
    from opp.ui.form import render_question

    text = """
id: w
filiere: cirque
title: W
version: 1.0.0
sections:
  - id: s
    title: S
    questions:
      - {id: q_text, type: text, label: Nom}
      - {id: q_long_text, type: long_text, label: Histoire}
      - {id: q_integer, type: integer, label: Effectif}
      - {id: q_decimal, type: decimal, label: Ratio, decimals: 3}
      - {id: q_money, type: money, label: Budget}
      - {id: q_percentage, type: percentage, label: Part}
      - {id: q_yes_no, type: yes_no, label: "Salariés ?"}
      - {id: q_single_choice, type: single_choice, label: Statut,
         choices: [{value: a, label: Association}, {value: b, label: Société}]}
      - {id: q_multiple_choice, type: multiple_choice, label: Lieux,
         choices: [{value: a, label: Salle}, {value: b, label: Rue}]}
      - {id: q_date, type: date, label: Date}
      - {id: q_commune, type: commune, label: Commune}
      - {id: q_departement, type: departement, label: Département}
      - {id: q_region_country, type: region_country, label: Ailleurs}
      - {id: q_note, type: note, label: "À savoir, ${q_integer} personnes"}
      - {id: q_calculate, type: calculate, calculation: "${q_integer} * 2"}
"""
    stored = {
        "q_text": "Cirque du Sud",
        "q_long_text": "Fondé en 1990",
        "q_integer": 12,
        "q_decimal": 0.125,
        "q_money": 1200.5,
        "q_percentage": 48.6,
        "q_yes_no": True,
        "q_single_choice": "b",
        "q_multiple_choice": ["a", "b"],
        "q_date": dt.date(2024, 3, 1),
        "q_commune": "31555",
        "q_departement": "34",
        "q_region_country": "BE",
    }
    q = load_text(text).questionnaire
    out = {}
    for question in q.sections[0].questions:
        out[question.id] = render_question(
            question, stored.get(question.id), scope="t", lang="fr", resolve=stored.get
        )
    st.session_state["out"] = out


def test_widgets__every_type_gets_its_widget_seeded_with_the_stored_answer():
    at = AppTest.from_function(_script).run(timeout=60)
    assert not at.exception
    assert at.text_input(key="w:t:q_text").value == "Cirque du Sud"
    assert at.text_area(key="w:t:q_long_text").value == "Fondé en 1990"
    assert at.number_input(key="w:t:q_integer").value == 12
    assert at.number_input(key="w:t:q_decimal").value == 0.125
    assert at.number_input(key="w:t:q_money").value == 1200.5
    assert at.number_input(key="w:t:q_money").step == 100.0
    assert at.number_input(key="w:t:q_percentage").value == 48.6
    assert at.radio(key="w:t:q_yes_no").value is True
    assert at.radio(key="w:t:q_single_choice").value == "b"
    assert at.multiselect(key="w:t:q_multiple_choice").value == ["a", "b"]
    assert at.date_input(key="w:t:q_date").value == dt.date(2024, 3, 1)
    assert at.selectbox(key="w:t:q_commune").value == "31555"
    assert at.selectbox(key="w:t:q_departement").value == "34"
    assert at.selectbox(key="w:t:q_region_country").value == "BE"
    assert [info.value for info in at.info] == ["À savoir, 12 personnes"]
    out = at.session_state["out"]
    assert out["q_calculate"] is None  # never asked
    assert out["q_note"] is None
    assert out["q_money"] == 1200.5
    assert out["q_multiple_choice"] == ["a", "b"]


def test_widgets__answers_typed_in_come_back_typed():
    at = AppTest.from_function(_script).run(timeout=60)
    at.text_input(key="w:t:q_text").set_value("Nouveau nom")
    at.number_input(key="w:t:q_integer").set_value(7)
    at.radio(key="w:t:q_yes_no").set_value(False)
    at.run(timeout=60)
    out = at.session_state["out"]
    assert out["q_text"] == "Nouveau nom"
    assert out["q_integer"] == 7
    assert out["q_yes_no"] is False
    assert [info.value for info in at.info] == ["À savoir, 12 personnes"]  # stored answers
