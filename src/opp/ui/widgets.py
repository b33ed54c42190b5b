"""One widget function per question type, keyed like the core's type registry.

`opp.questionnaire.question_types` says what a type means; this module says how it is
asked in the form (the core knows no UI). `WIDGETS[type]` draws the question and returns
the widget's current value; adding a question type means adding its descriptor there
and one function here. Widgets are initialised from the stored answer the first time
they are shown (`_seed`), then Streamlit owns their value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from opp import geo
from opp.i18n import gettext
from opp.questionnaire import computed
from opp.ui.text import plain


def yes_no_text(value: bool, lang: str) -> str:
    """ "Oui" / "Non" in the reader's language (the gettext catalogues)."""
    return gettext("form.yes" if value else "form.no", lang)


def placeholder_text(name: str, lang: str) -> str:
    """The hint inside an empty box: `form.placeholder.<name>` (choose, commune, place)."""
    return gettext(f"form.placeholder.{name}", lang)


@dataclass(frozen=True)
class Field:
    """What every widget needs besides its question and stored value."""

    key: str
    label: str  # already escaped (see `form.question_label`)
    help: str | None
    disabled: bool
    lang: str
    resolve: Callable[[str], Any] | None  # answers so far: ${x} in texts, cascading choices

    @property
    def common(self) -> dict[str, Any]:
        return {"key": self.key, "help": self.help, "disabled": self.disabled}


Widget = Callable[[Any, Any, Field], Any]


def _seed(key: str, value: Any) -> None:
    """Give a widget its stored value once; afterwards the widget owns it."""
    if key not in st.session_state:
        st.session_state[key] = value


@st.cache_data(show_spinner=False)
def _commune_options() -> tuple[list[str], dict[str, str]]:
    by_name = sorted(geo.communes().values(), key=lambda c: (geo.fold(c.nom), c.departement))
    return [c.code for c in by_name], {c.code: c.label() for c in by_name}


def calculate(_question: Any, _value: Any, _field: Field) -> Any:
    """Never asked: recomputed from the answers whenever needed."""
    return None


def note(question: Any, _value: Any, field: Field) -> Any:
    text = computed.live_text(question.label.get(field.lang), field.resolve)
    st.info(plain(text), icon=":material/info:")
    return None


def text(question: Any, value: Any, field: Field) -> Any:
    _seed(field.key, value or "")
    return st.text_input(field.label, max_chars=question.max_length, **field.common) or None


def long_text(question: Any, value: Any, field: Field) -> Any:
    _seed(field.key, value or "")
    return st.text_area(field.label, max_chars=question.max_length, **field.common) or None


def integer(question: Any, value: Any, field: Field) -> Any:
    _seed(field.key, int(value) if value is not None else None)
    return st.number_input(
        field.label,
        min_value=int(question.min) if question.min is not None else None,
        max_value=int(question.max) if question.max is not None else None,
        step=1,
        format="%d",
        placeholder="—",
        **field.common,
    )


def _number(step: float, digits: Callable[[Any], int]) -> Widget:
    """A decimal number input: `step` for the +/- buttons, `digits` shown."""

    def widget(question: Any, value: Any, field: Field) -> Any:
        _seed(field.key, float(value) if value is not None else None)
        return st.number_input(
            field.label,
            min_value=float(question.min) if question.min is not None else None,
            max_value=float(question.max) if question.max is not None else None,
            step=step,
            format=f"%.{digits(question)}f",
            placeholder="—",
            **field.common,
        )

    return widget


def yes_no(_question: Any, value: Any, field: Field) -> Any:
    _seed(field.key, value)
    return st.radio(
        field.label,
        [True, False],
        index=None,
        format_func=lambda v: yes_no_text(v, field.lang),
        horizontal=True,
        **field.common,
    )


def single_choice(question: Any, value: Any, field: Field) -> Any:
    _seed(field.key, value if value in question.choice_values else None)
    labels = {c.value: c.label.get(field.lang) for c in question.choices}
    dropdown = question.appearance == "dropdown" or (
        question.appearance is None and len(labels) > 6
    )
    if dropdown:
        return st.selectbox(
            field.label,
            list(labels),
            index=None,
            format_func=lambda v: labels.get(v, v),
            placeholder=placeholder_text("choose", field.lang),
            **field.common,
        )
    return st.radio(  # radio options are Markdown: escaped like every label
        field.label,
        list(labels),
        index=None,
        format_func=lambda v: plain(labels.get(v, v)),
        **field.common,
    )


def multiple_choice(question: Any, value: Any, field: Field) -> Any:
    _seed(field.key, [v for v in (value or []) if v in question.choice_values])
    labels = {c.value: c.label.get(field.lang) for c in question.choices}
    chosen = st.multiselect(
        field.label,
        list(labels),
        format_func=lambda v: labels.get(v, v),
        placeholder=placeholder_text("choose", field.lang),
        **field.common,
    )
    return chosen or None


def date(question: Any, value: Any, field: Field) -> Any:
    _seed(field.key, value if isinstance(value, dt.date) else None)
    return st.date_input(
        field.label,
        min_value=question.min_date or dt.date(1900, 1, 1),
        max_value=question.max_date or dt.date(2100, 12, 31),
        format="DD/MM/YYYY",
        **field.common,
    )


def commune(_question: Any, value: Any, field: Field) -> Any:
    codes, labels = _commune_options()
    _seed(field.key, value if value in labels else None)
    return st.selectbox(
        field.label,
        codes,
        index=None,
        format_func=lambda c: labels.get(c, c),
        placeholder=placeholder_text("commune", field.lang),
        **field.common,
    )


def _place(codes: Callable[[], Any], placeholder: str) -> Widget:
    """A select box over a reference list (départements, regions and countries)."""

    def widget(_question: Any, value: Any, field: Field) -> Any:
        known = codes()
        _seed(field.key, value if value in known else None)
        return st.selectbox(
            field.label,
            list(known),
            index=None,
            format_func=lambda c: geo.place_label(c, field.lang),
            placeholder=placeholder_text(placeholder, field.lang),
            **field.common,
        )

    return widget


def repeat(_question: Any, _value: Any, _field: Field) -> Any:
    """A repeat group is drawn by its own editor (`opp.ui.repeat.render_repeat`)."""
    raise TypeError("repeat groups are drawn by opp.ui.repeat")


WIDGETS: dict[str, Widget] = {
    "text": text,
    "long_text": long_text,
    "integer": integer,
    "decimal": _number(0.5, lambda q: q.decimals),
    "money": _number(100.0, lambda _q: 2),
    "percentage": _number(0.5, lambda _q: 2),
    "yes_no": yes_no,
    "single_choice": single_choice,
    "multiple_choice": multiple_choice,
    "date": date,
    "commune": commune,
    "departement": _place(lambda: geo.DEPARTEMENTS, "choose"),
    "region_country": _place(geo.places_outside, "place"),
    "note": note,
    "calculate": calculate,
    "repeat": repeat,
}
