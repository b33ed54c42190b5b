"""Questionnaire files: loading pipeline and error messages that say where and how to fix."""

from __future__ import annotations

import textwrap

import pytest

from opp.errors import OppError, OppErrorGroup
from opp.questionnaire.loader import load_file, load_text

HEADER = """
id: essai
filiere: cirque
title: {fr: Essai, en: Trial}
version: 1.0.0
sections:
  - id: s1
    title: {fr: Section, en: Section}
    questions:
"""


def _load(body: str, header: str = HEADER):
    return load_text(
        textwrap.dedent(header) + textwrap.indent(textwrap.dedent(body), "      "), "essai.yaml"
    )


def _messages(err: OppError, lang: str = "fr") -> str:
    return err.message(lang)


def test_loader__valid_file_gives_model_with_typed_questions():
    q = _load(
        """
        - id: effectif
          type: integer
          label: {fr: Effectif, en: Staff}
          min: 0
        - id: genre
          type: single_choice
          label: Genre
          choices:
            - {value: f, label: Femme}
            - {value: h, label: Homme}
        """
    ).questionnaire
    assert q.questions["effectif"].type == "integer"
    assert q.questions["genre"].choice_values == ["f", "h"]
    assert q.questions["genre"].label.get("en") == "Genre"  # falls back to French
    assert q.sections[0].origin == "essai"


def test_loader__misspelt_type_names_file_line_path_and_suggests():
    with pytest.raises(OppError) as info:
        _load(
            """
            - id: effectif
              type: integer
              label: Effectif
            - id: budget
              type: intger
              label: Budget
            """
        )
    message = info.value.message("fr")
    assert "essai.yaml" in message
    assert "ligne 15" in message
    assert "sections[0].questions[1].type" in message
    assert "« intger »" in message
    assert "Vouliez-vous dire « integer » ?" in message
    english = info.value.message("en")
    assert "line 15" in english
    assert "Did you mean 'integer'?" in english


def test_loader__unknown_field_suggests_the_right_one():
    with pytest.raises(OppError) as info:
        _load(
            """
            - id: effectif
              type: integer
              label: Effectif
              requird: true
            """
        )
    message = info.value.message("fr")
    assert "« requird »" in message
    assert "« required »" in message
    assert "sections[0].questions[0].requird" in message


def test_loader__duplicate_ids_are_refused_with_both_places():
    with pytest.raises(OppError) as info:
        _load(
            """
            - id: effectif
              type: integer
              label: A
            - id: effectif
              type: decimal
              label: B
            """
        )
    assert info.value.code == "Q_ID_DUPLICATE"
    message = info.value.message("fr")
    assert "« effectif » est déjà utilisé (sections[0].questions[0])" in message
    assert message.startswith("essai.yaml, ligne 14, sections[0].questions[1]")


def test_loader__expression_with_unknown_question_is_a_load_error():
    with pytest.raises(OppError) as info:
        _load(
            """
            - id: effectif_permanent
              type: integer
              label: A
            - id: femmes
              type: integer
              label: B
              relevant: ${effectif_permanant} > 0
            """
        )
    err = info.value
    assert err.code == "Q_REF_UNKNOWN"
    message = err.message("fr")
    assert "effectif_permanant" in message
    assert "« effectif_permanent »" in message  # did you mean
    assert "sections[0].questions[1].relevant" in message


def test_loader__invalid_expression_syntax_names_position():
    with pytest.raises(OppError) as info:
        _load(
            """
            - id: a
              type: integer
              label: A
              constraint: ". >= (0"
              constraint_message: Positif
            """
        )
    message = info.value.message("fr")
    assert "sections[0].questions[0].constraint" in message
    assert "position" in message


def test_loader__self_reference_outside_constraint_is_refused():
    with pytest.raises(OppError) as info:
        _load(
            """
            - id: a
              type: integer
              label: A
              relevant: ". > 0"
            """
        )
    assert info.value.code == "Q_REF_SELF_OUTSIDE"


def test_loader__yaml_syntax_error_names_line():
    with pytest.raises(OppError) as info:
        load_text("id: x\nsections: [\n  - a\n", "casse.yaml")
    assert info.value.code == "YAML_SYNTAX"
    assert "casse.yaml" in info.value.message("fr")


def test_loader__duplicate_yaml_keys_are_refused():
    with pytest.raises(OppError) as info:
        load_text("id: x\nid: y\n", "double.yaml")
    assert info.value.code == "YAML_DUPLICATE_KEY"
    assert "ligne 2" in info.value.message("fr")


def test_loader__missing_french_label_is_reported():
    with pytest.raises(OppError) as info:
        _load(
            """
            - id: a
              type: integer
              label: {en: Only English}
            """
        )
    assert "fr" in info.value.message("fr")
    assert "sections[0].questions[0].label" in info.value.message("fr")


def test_loader__min_above_max_is_refused():
    with pytest.raises(OppError) as info:
        _load(
            """
            - id: a
              type: integer
              label: A
              min: 10
              max: 2
            """
        )
    assert info.value.code == "Q_MIN_MAX"


def test_loader__several_problems_are_reported_together():
    with pytest.raises(OppErrorGroup) as info:
        _load(
            """
            - id: a
              type: integer
              label: A
              min: 10
              max: 2
            - id: b
              type: integer
              label: B
              relevant: ${zzz} > 1
            """
        )
    assert len(info.value.errors) == 2
    assert info.value.message("fr").startswith("2 erreurs")


def test_loader__nested_repeat_is_explained():
    with pytest.raises(OppError) as info:
        _load(
            """
            - id: r
              type: repeat
              label: R
              questions:
                - id: inner
                  type: repeat
                  label: I
                  questions:
                    - {id: x, type: integer, label: X}
            """
        )
    assert info.value.code == "Q_REPEAT_NESTED"


def test_loader__unknown_choice_list_suggests_existing():
    text = HEADER.replace(
        "sections:", "choice_lists:\n  genres:\n    - {value: f, label: F}\nsections:"
    )
    with pytest.raises(OppError) as info:
        _load(
            """
            - id: a
              type: single_choice
              label: A
              choices: genre
            """,
            header=text,
        )
    assert info.value.code == "Q_CHOICE_LIST_UNKNOWN"
    assert "« genres »" in info.value.message("fr")


def test_loader__include_of_unknown_module_is_refused():
    text = HEADER.replace("sections:", "include: [socle_comun]\nsections:")
    with pytest.raises(OppError) as info:
        _load("- {id: a, type: integer, label: A}\n", header=text)
    assert info.value.code == "Q_INCLUDE_UNKNOWN"


def test_loader__missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(OppError) as info:
        load_file(tmp_path / "absent.yaml")
    assert info.value.code == "FILE_NOT_FOUND"


def test_loader__alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        bomb += (
            f"{'b' * i}: &{'b' * i} [*{'b' * (i - 1) if i > 1 else 'a'}"
            + (f", *{'b' * (i - 1) if i > 1 else 'a'}" * 9)
            + "]\n"
        )
    with pytest.raises(OppError) as info:
        load_text(bomb, "bomb.yaml")
    assert info.value.code == "YAML_SYNTAX"


def test_loader__python_tags_are_not_executed():
    with pytest.raises(OppError):
        load_text("id: !!python/object/apply:os.system ['echo pwned']\n", "evil.yaml")
