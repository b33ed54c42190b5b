"""Form renderer: a question's label, help and errors around its type's widget.

Widgets (one function per question type, `opp.ui.widgets.WIDGETS`) are keyed by
response and question and initialised from the answers dict the first time they are
shown. All text from questionnaires goes through `plain()` so that it can never inject
links or HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from opp.i18n import gettext
from opp.questionnaire import computed, expressions
from opp.questionnaire.question_types import has_choices
from opp.questionnaire.validation import FieldError
from opp.ui.text import plain
from opp.ui.widgets import WIDGETS, Field


def widget_key(scope: str, question_id: str) -> str:
    return f"w:{scope}:{question_id}"


def is_required(question: Any, resolve: Callable[[str], Any] | None) -> bool:
    """Required, or required given the answers so far (``required_if``)."""
    if question.required:
        return True
    if question.required_if and resolve is not None:
        value = expressions.evaluate(expressions.parse(question.required_if), resolve)
        return expressions.as_bool(value) is True
    return False


def question_label(
    question: Any, lang: str, carried: bool = False, resolve: Callable[[str], Any] | None = None
) -> str:
    text = plain(computed.live_text(question.label.get(lang), resolve))
    if question.unit is not None:
        text += f" ({plain(question.unit.get(lang))})"
    if is_required(question, resolve):
        text += " \\*"
    if carried:
        text += gettext("form.to_confirm", lang)
    return text


def render_question(
    question: Any,
    value: Any,
    *,
    scope: str,
    lang: str,
    errors: list[FieldError] | None = None,
    carried: bool = False,
    disabled: bool = False,
    resolve: Callable[[str], Any] | None = None,
) -> Any:
    """Draw one (non-repeat) question and return its current widget value.

    `resolve` gives the answers so far (and computed values): it fills ``${x}`` in texts,
    decides a conditional ``required`` and filters cascading choices.
    """
    draw = WIDGETS[question.type]
    key = widget_key(scope, question.id)
    if not question.has_value:  # a note is shown, a calculation never asked
        return draw(question, None, Field(key, "", None, disabled, lang, resolve))
    label = question_label(question, lang, carried, resolve)
    help_text = (
        plain(computed.live_text(question.help.get(lang), resolve)) if question.help else None
    )
    if has_choices(question):
        if question.choice_filter and resolve is not None:
            offered = computed.allowed_choices(question.choices, question.choice_filter, resolve)
            question = question.model_copy(update={"choices": offered or question.choices[:0]})
        if not question.choices:
            st.caption(f"{label} — {gettext('form.placeholder.no_choice', lang)}")
            return None
    result = draw(question, value, Field(key, label, help_text, disabled, lang, resolve))
    for error in errors or []:
        st.error(plain(error.message(lang)), icon=":material/warning:")
    return result


def forget_widgets(scope: str) -> None:
    """Drop the widget values of a response (after reload from the store)."""
    prefix = f"w:{scope}:"
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]
