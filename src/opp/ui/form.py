"""Form renderer: one widget per question type, values kept in the session.

Widgets are keyed by response and question, initialised from the answers dict the
first time they are shown; `read_section` collects their values back. All text from
questionnaires goes through `plain()` so that it can never inject links or HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from opp import geo
from opp.i18n import gettext
from opp.questionnaire import computed, expressions
from opp.questionnaire.model import (
    CalculateQuestion,
    CommuneQuestion,
    DateQuestion,
    DecimalQuestion,
    DepartementQuestion,
    IntegerQuestion,
    LongTextQuestion,
    MoneyQuestion,
    MultipleChoiceQuestion,
    NoteQuestion,
    PercentageQuestion,
    RegionCountryQuestion,
    RepeatQuestion,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
)
from opp.questionnaire.validation import FieldError
from opp.ui.text import plain


def yes_no(value: bool, lang: str) -> str:
    return gettext("form.yes" if value else "form.no", lang)


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


@st.cache_data(show_spinner=False)
def _commune_options() -> tuple[list[str], dict[str, str]]:
    by_name = sorted(geo.communes().values(), key=lambda c: (geo.fold(c.nom), c.departement))
    return [c.code for c in by_name], {c.code: c.label() for c in by_name}


def _seed(key: str, value: Any) -> None:
    """Give a widget its stored value once; afterwards the widget owns it."""
    if key not in st.session_state:
        st.session_state[key] = value


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
    if isinstance(question, CalculateQuestion):
        return None
    if isinstance(question, NoteQuestion):
        st.info(
            plain(computed.live_text(question.label.get(lang), resolve)), icon=":material/info:"
        )
        return None
    key = widget_key(scope, question.id)
    label = question_label(question, lang, carried, resolve)
    help_text = (
        plain(computed.live_text(question.help.get(lang), resolve)) if question.help else None
    )
    common: dict[str, Any] = {"key": key, "help": help_text, "disabled": disabled}
    if isinstance(question, SingleChoiceQuestion | MultipleChoiceQuestion):
        if question.choice_filter and resolve is not None:
            offered = computed.allowed_choices(question.choices, question.choice_filter, resolve)
            question = question.model_copy(update={"choices": offered or question.choices[:0]})
        if not question.choices:
            st.caption(f"{label} — {gettext('form.placeholder.no_choice', lang)}")
            return None
    result = _widget(question, value, label, common, lang)
    for error in errors or []:
        st.error(plain(error.message(lang)), icon=":material/warning:")
    return result


def _widget(question: Any, value: Any, label: str, common: dict[str, Any], lang: str) -> Any:
    key = common["key"]
    if isinstance(question, TextQuestion):
        _seed(key, value or "")
        return st.text_input(label, max_chars=question.max_length, **common) or None
    if isinstance(question, LongTextQuestion):
        _seed(key, value or "")
        return st.text_area(label, max_chars=question.max_length, **common) or None
    if isinstance(question, IntegerQuestion):
        _seed(key, int(value) if value is not None else None)
        return st.number_input(
            label,
            min_value=int(question.min) if question.min is not None else None,
            max_value=int(question.max) if question.max is not None else None,
            step=1,
            format="%d",
            placeholder="—",
            **common,
        )
    if isinstance(question, MoneyQuestion | DecimalQuestion | PercentageQuestion):
        _seed(key, float(value) if value is not None else None)
        step = 100.0 if isinstance(question, MoneyQuestion) else 0.5
        digits = question.decimals if isinstance(question, DecimalQuestion) else 2
        return st.number_input(
            label,
            min_value=float(question.min) if question.min is not None else None,
            max_value=float(question.max) if question.max is not None else None,
            step=step,
            format=f"%.{digits}f",
            placeholder="—",
            **common,
        )
    if isinstance(question, YesNoQuestion):
        _seed(key, value)
        return st.radio(
            label,
            [True, False],
            index=None,
            format_func=lambda v: yes_no(v, lang),
            horizontal=True,
            **common,
        )
    if isinstance(question, SingleChoiceQuestion):
        _seed(key, value if value in question.choice_values else None)
        labels = {c.value: c.label.get(lang) for c in question.choices}
        dropdown = question.appearance == "dropdown" or (
            question.appearance is None and len(labels) > 6
        )
        if dropdown:
            return st.selectbox(
                label,
                list(labels),
                index=None,
                format_func=lambda v: labels.get(v, v),
                placeholder=gettext("form.placeholder.choose", lang),
                **common,
            )
        return st.radio(  # radio options are Markdown: escaped like every label
            label,
            list(labels),
            index=None,
            format_func=lambda v: plain(labels.get(v, v)),
            **common,
        )
    if isinstance(question, MultipleChoiceQuestion):
        _seed(key, [v for v in (value or []) if v in question.choice_values])
        labels = {c.value: c.label.get(lang) for c in question.choices}
        chosen = st.multiselect(
            label,
            list(labels),
            format_func=lambda v: labels.get(v, v),
            placeholder=gettext("form.placeholder.choose", lang),
            **common,
        )
        return chosen or None
    if isinstance(question, DateQuestion):
        _seed(key, value if isinstance(value, dt.date) else None)
        return st.date_input(
            label,
            min_value=question.min_date or dt.date(1900, 1, 1),
            max_value=question.max_date or dt.date(2100, 12, 31),
            format="DD/MM/YYYY",
            **common,
        )
    if isinstance(question, CommuneQuestion):
        codes, labels = _commune_options()
        _seed(key, value if value in labels else None)
        return st.selectbox(
            label,
            codes,
            index=None,
            format_func=lambda c: labels.get(c, c),
            placeholder=gettext("form.placeholder.commune", lang),
            **common,
        )
    if isinstance(question, DepartementQuestion):
        _seed(key, value if value in geo.DEPARTEMENTS else None)
        return st.selectbox(
            label,
            list(geo.DEPARTEMENTS),
            index=None,
            format_func=lambda c: geo.place_label(c, lang),
            placeholder=gettext("form.placeholder.choose", lang),
            **common,
        )
    if isinstance(question, RegionCountryQuestion):
        places = geo.places_outside()
        _seed(key, value if value in places else None)
        return st.selectbox(
            label,
            list(places),
            index=None,
            format_func=lambda c: geo.place_label(c, lang),
            placeholder=gettext("form.placeholder.place", lang),
            **common,
        )
    if isinstance(question, RepeatQuestion):  # pragma: no cover - handled by the repeat editor
        raise TypeError("repeat groups are drawn by opp.ui.repeat")
    st.warning(f"type {question.type}")
    return None


def forget_widgets(scope: str) -> None:
    """Drop the widget values of a response (after reload from the store)."""
    prefix = f"w:{scope}:"
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]
