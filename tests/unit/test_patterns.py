"""Patterns from questionnaires run on a linear-time engine (issue 15, item 6).

An e-mail-style pattern imported from an XLSForm and a 30-character answer used to hold
the interpreter (Python's backtracking `re`) long enough to freeze the whole server.
"""

from __future__ import annotations

import textwrap
import threading

import pytest

from opp.errors import OppError
from opp.questionnaire import expressions, patterns
from opp.questionnaire.loader import load_text
from opp.questionnaire.validation import validate_answers

# The classic catastrophic e-mail pattern (nested quantifiers): exponential under `re`.
EMAIL = (
    r"^([a-zA-Z0-9])(([\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}"
    r"(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$"
)
ANSWER = "a" * 33 + "!"  # 34 characters: minutes under `re`, instant under RE2

FORM = """
id: essai
filiere: cirque
title: Essai
version: 1.0.0
sections:
  - id: s1
    title: Section
    questions:
"""


def _load(questions: str):
    text = FORM + textwrap.indent(textwrap.dedent(questions), "      ")
    return load_text(text, "essai.yaml").questionnaire


def _finishes(work, limit: float = 60.0) -> bool:
    """Run `work` in a thread; True when it ended (a backtracking engine would not)."""
    done = threading.Event()

    def run() -> None:
        work()
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done.wait(limit)


def test_patterns__email_redos_constraint_answers_at_once():
    q = _load(
        f"""
        - id: courriel
          type: text
          label: Courriel
          constraint: 'regex(., ''{EMAIL}'')'
          constraint_message: Adresse non valide
        """
    )
    outcome: list = []
    assert _finishes(lambda: outcome.append(validate_answers(q, {"courriel": ANSWER})))
    assert [e.message("fr") for e in outcome[0].errors] == ["Adresse non valide"]
    ok = validate_answers(q, {"courriel": "jeanne.dupont@example.fr"})
    assert ok.ok


def test_patterns__email_redos_text_pattern_answers_at_once():
    q = _load(
        f"""
        - id: courriel
          type: text
          label: Courriel
          pattern: '{EMAIL}'
        """
    )
    outcome: list = []
    assert _finishes(lambda: outcome.append(validate_answers(q, {"courriel": ANSWER})))
    assert [e.code for e in outcome[0].errors] == ["A_PATTERN"]


@pytest.mark.parametrize(
    ("pattern", "why"),
    [(r"^(a)\1$", "référence arrière"), (r"^(?=a)a$", "anticipation")],
)
def test_patterns__backtracking_constructs_refused_at_load_with_reason(pattern, why):
    with pytest.raises(OppError) as info:
        _load(
            f"""
            - id: code
              type: text
              label: Code
              pattern: '{pattern}'
            """
        )
    message = info.value.message("fr")
    assert message.startswith("essai.yaml, ligne 14")
    assert pattern in message
    assert why in message
    with pytest.raises(OppError) as info:
        expressions.parse(f"regex(., '{pattern}')")
    assert why in info.value.message("fr")


def test_patterns__engine_matches_like_xlsform_regex():
    assert patterns.search(r"^\d{5}$", "31000")
    assert not patterns.search(r"^\d{5}$", "3100")
    assert patterns.full_match(r"[A-Z].*", "Occitanie")
    assert patterns.search("é+", "clé")
