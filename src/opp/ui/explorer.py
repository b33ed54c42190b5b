"""The Explorer's controls and drawing (the page stays a few lines).

What may be explored, and every figure, come from `opp.indicators.explore`; this module
reads the widgets and picks a chart for the kind of answer.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from opp import geo
from opp.access.viewer import Viewer
from opp.indicators import breakdowns, explore
from opp.indicators.engine import Filters, Result
from opp.indicators.model import DIMENSIONS
from opp.questionnaire.model import Questionnaire
from opp.ui import charts
from opp.ui.dashboard import breakdown_title, panel, t
from opp.ui.data import catalogues, explored, explored_sample
from opp.ui.followed import sample_span
from opp.ui.state import tr
from opp.ui.text import plain


def _question_label(entry: explore.Explorable, questionnaire: Questionnaire, lang: str) -> str:
    text = f"{entry.section.get(lang)} › {entry.label.get(lang)}"
    if entry.repeat:
        group = questionnaire.questions[entry.repeat].label.get(lang)
        text += f" ({tr('explorer.item_of', group=group)})"
    return text


def choose(viewer: Viewer, lang: str) -> tuple[Questionnaire, explore.Explorable, str, str | None]:
    """Questionnaire, question, measure and breakdown, kept across reruns and pages."""
    surveys, _ = catalogues()
    allowed = explore.questionnaires_for(viewer, surveys)
    if not allowed:
        st.info(tr("explorer.none"))
        st.stop()
    by_id = {q.id: q for q in allowed}
    left, right = st.columns([1, 2])
    questionnaire_id = left.selectbox(
        tr("explorer.questionnaire"),
        list(by_id),
        format_func=lambda q: plain(by_id[q].title.get(lang)),
        key="explorer_questionnaire",
    )
    questionnaire = by_id[questionnaire_id or next(iter(by_id))]
    entries = {e.question_id: e for e in explore.explorable(questionnaire)}
    question_id = right.selectbox(
        tr("explorer.question"),
        list(entries),
        format_func=lambda q: plain(_question_label(entries[q], questionnaire, lang)),
        key=f"explorer_question:{questionnaire.id}",
    )
    entry = entries[question_id or next(iter(entries))]
    left, right = st.columns(2)
    measure = entry.measures[0]
    if len(entry.measures) > 1:
        measure = left.radio(
            tr("explorer.measure"),
            list(entry.measures),
            format_func=lambda m: entry.measure_label(m, lang),
            horizontal=True,
            key=f"explorer_measure:{entry.question_id}",
        )
    choices: list[str | None] = [None, *DIMENSIONS]
    choices += [family.id for family in geo.grouping_families()]  # groupings of départements
    if questionnaire.audience == "structure":
        # Not the question itself: its answers by its own answers are 100 % and 0 %.
        choices += [q for q in breakdowns.known() if q != entry.question_id]
    breakdown = right.selectbox(
        tr("explorer.breakdown"),
        choices,
        format_func=lambda b: (
            tr("explorer.no_breakdown") if b is None else plain(breakdown_title(b, lang))
        ),
        key="explorer_breakdown",
    )
    return questionnaire, entry, measure or entry.measures[0], breakdown


def show(
    viewer: Viewer,
    questionnaire: Questionnaire,
    entry: explore.Explorable,
    measure: str,
    filters: Filters,
    breakdown: str | None,
    lang: str,
) -> None:
    """The distribution: chart, table (hidden cells say why) and downloads."""
    result = explored(questionnaire.id, entry.question_id, measure, filters, breakdown, viewer)
    # The figure of an unchanged result is reused by reruns and sessions of the same
    # scope (`opp.ui.data.figure`, keyed by the result, language and this name): the
    # questionnaire names the question's labels, the span the constant sample.
    drawing = f"explorer:{questionnaire.id}:{measure}"
    if breakdown == "reference_year":  # the same structures every year, if chosen
        span = sample_span(result, lang, f"explorer:{questionnaire.id}:{entry.question_id}")
        if span is not None:
            result = explored_sample(
                questionnaire.id, entry.question_id, measure, span, filters, viewer
            )
            drawing += f"|constant:{','.join(map(str, span))}"

    def draw(frame: pl.DataFrame, result: Result, lang: str) -> go.Figure:
        return charts.by_kind(frame, result, lang)

    panel(
        result,
        lang,
        draw,
        f"explorer:{questionnaire.id}:{entry.question_id}:{measure}",
        relabel=lambda frame: _with_categories(frame, entry, questionnaire, lang),
        category_title=t("answer", lang),
        crossing=False,
        drawing=drawing,
    )


def _with_categories(
    frame: pl.DataFrame, entry: explore.Explorable, questionnaire: Questionnaire, lang: str
) -> pl.DataFrame:
    """Readable item categories (a choice, yes/no, a month, a place)."""
    if "category" not in frame.columns or frame["category"].drop_nulls().is_empty():
        return frame
    labels = [
        explore.category_label(entry, questionnaire, code, lang)
        for code in frame["category"].to_list()
    ]
    return frame.with_columns(pl.Series("category_label", labels, dtype=pl.String))
