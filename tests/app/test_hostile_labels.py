"""Hostile questionnaire texts through every widget kind of the answering form (issue 15,
item 3): a published label can never load an outside image nor show a link."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from opp.ui.text import WORD_JOINER, plain

HOSTILE = (
    "![x](https://evil.example/p.png) [clic](https://evil.example) www.evil.example "
    "a@evil.example <img src=x>"
)


def test_plain__bare_addresses_and_markdown_stay_text():
    out = plain(HOSTILE)
    assert "![x](" not in out
    assert "[clic](" not in out
    assert "https://" not in out  # the colon is escaped: no autolink
    assert f"www{WORD_JOINER}.evil" in out
    assert f"a{WORD_JOINER}@evil" in out
    assert "\\<img" in out  # an escaped tag shows as typed


def _script() -> None:
    from opp.questionnaire.loader import load_text
    from opp.ui.form import render_question

    hostile = "![x](https://evil.example/p.png) www.evil.example a@evil.example"
    text = """
id: h
filiere: cirque
title: H
version: 1.0.0
sections:
  - id: s
    title: S
    questions:
"""
    kinds = ["text", "long_text", "integer", "decimal", "money", "percentage", "yes_no"]
    kinds += ["date", "commune", "departement", "region_country", "note"]
    for kind in kinds:
        text += f"      - {{id: q_{kind}, type: {kind}, label: '{hostile}', help: '{hostile}'}}\n"
    for kind in ("single_choice", "multiple_choice"):
        text += (
            f"      - {{id: q_{kind}, type: {kind}, label: '{hostile}', help: '{hostile}', "
            f"appearance: radio, choices: [{{value: a, label: '{hostile}'}}, "
            f"{{value: b, label: '{hostile}'}}]}}\n"
        ).replace(", appearance: radio", "" if kind == "multiple_choice" else ", appearance: radio")
    q = load_text(text).questionnaire
    for question in q.sections[0].questions:
        render_question(question, None, scope="t", lang="fr")


def test_form__hostile_labels_are_escaped_in_every_widget():
    at = AppTest.from_function(_script).run(timeout=30)
    assert not at.exception
    widgets = [*at.text_input, *at.text_area, *at.number_input, *at.radio, *at.date_input]
    widgets += [*at.selectbox, *at.multiselect]
    assert len(widgets) >= 12
    for widget in widgets:
        for text in (widget.label, widget.help or ""):
            assert "![x](" not in text
            assert "https://" not in text
            assert "www." not in text
    for radio in at.radio:
        for option in radio.options:
            assert "![x](" not in option
            assert "https://" not in option
    for info in at.info:
        assert "![x](" not in info.value
        assert "www." not in info.value
