"""What the answering form computes from the answers: calculations, cascading choices and
``${x}`` inside texts. Pure functions, shared by validation and the form widgets.

- `filter_expression` reads an XLSForm ``choice_filter``: bare names are the columns of
  the choice being tested (``name`` its value, ``label`` its French label), ``${x}`` the
  answers. They become ``${choice.<column>}`` references, a name no question can have
  (question ids have no dot), so the ordinary parser and evaluator do the rest.
- `allowed_choices` keeps the choices for which the filter holds (an unknown result hides
  the choice, as in ODK), once per value.
- `interpolate` replaces ``${x}`` in a label, help or note by the answer's readable text;
  the caller escapes the result before display.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from opp.questionnaire import expr_syntax as syn
from opp.questionnaire import expressions
from opp.questionnaire.model import Choice

CHOICE_PREFIX = "choice."
TEXT_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")
MAX_INTERPOLATED = 200  # characters of one answer shown inside a text


def filter_expression(source: str) -> expressions.Expression:
    """A choice_filter as an expression; raises OppError (only) when invalid."""
    tokens = syn.tokenize(source)
    pieces: list[str] = []
    last = 0
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        is_call = following is not None and following.text == "("
        if token.kind == "name" and token.text not in syn.KEYWORDS and not is_call:
            start = token.pos - 1
            pieces += [source[last:start], "${", CHOICE_PREFIX, token.text, "}"]
            last = token.end
    return (
        expressions.parse("".join(pieces) + source[last:]) if pieces else expressions.parse(source)
    )


def choice_columns(expr: expressions.Expression) -> set[str]:
    """The choice columns a filter reads."""
    return {r[len(CHOICE_PREFIX) :] for r in expr.references if r.startswith(CHOICE_PREFIX)}


def answer_references(expr: expressions.Expression) -> set[str]:
    return {r for r in expr.references if not r.startswith(CHOICE_PREFIX)}


def allowed_choices(
    choices: list[Choice], choice_filter: str | None, resolve: Callable[[str], Any]
) -> list[Choice]:
    """Choices offered given the answers (all of them without a filter), once per value."""
    kept: list[Choice] = []
    seen: set[str] = set()
    expr = filter_expression(choice_filter) if choice_filter else None
    for choice in choices:
        if choice.value in seen:
            continue
        if expr is not None:

            def lookup(name: str, choice: Choice = choice) -> Any:
                if name.startswith(CHOICE_PREFIX):
                    column = name[len(CHOICE_PREFIX) :]
                    if column == "name":
                        return choice.value
                    if column == "label":
                        return choice.label.fr
                    return choice.columns.get(column)
                return resolve(name)

            if expressions.as_bool(expressions.evaluate(expr, lookup)) is not True:
                continue
        seen.add(choice.value)
        kept.append(choice)
    return kept


def text_references(text: str | None) -> set[str]:
    return set(TEXT_REF.findall(text or ""))


def interpolate(text: str, show: Callable[[str], str | None]) -> str:
    """``${x}`` replaced by `show(x)` (an empty string when unanswered)."""
    if "${" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        shown = show(match.group(1))
        return "" if shown is None else str(shown)[:MAX_INTERPOLATED]

    return TEXT_REF.sub(replace, text)


def shown(value: Any) -> str:
    """An answer or computed value as plain text inside a label (before escaping)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return f"{value:.15g}"
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def live_text(text: str, resolve: Callable[[str], Any] | None) -> str:
    """A label, help or note with its ``${x}`` filled from the answers (unescaped)."""
    if resolve is None:
        return text
    return interpolate(text, lambda name: shown(resolve(name)))
