"""Draw a dashboard page from its declaration (``surveys/dashboards/<page>.yaml``).

Every dashboard page is `render_dashboard("<page>")`: title and introduction, the filter
bar (a filière page's, with its scope check), then each section's heading, KPI cards
and panels as the file declares them. Figures come through `opp.ui.data.indicator`
(the latest release, the disclosure layer, the viewer's scope), charts from
`opp.ui.charts` chosen by the panel's `chart` entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

import polars as pl
import streamlit as st

from opp.access.viewer import Viewer
from opp.indicators.dashboards import Chart, Kpi, Panel, Section
from opp.indicators.engine import Filters, Result
from opp.questionnaire.model import L10n
from opp.ui import charts
from opp.ui.dashboard import breakdown_title, kpi, panel
from opp.ui.data import dashboard_declaration, frames, indicator
from opp.ui.filiere_page import filiere_filters
from opp.ui.filters import filter_bar
from opp.ui.followed import (
    career_paths_panel,
    per_inhabitant_panel,
    territory_filter,
    trend_panel,
)
from opp.ui.state import guarded, lang, require_shell, require_viewer
from opp.ui.text import plain

Draw = Callable[[pl.DataFrame, Result, str], Any]


def render_dashboard(name: str) -> None:
    """The whole page of the declaration `name` (the page file's only line)."""
    require_shell()
    language = lang()
    with guarded():
        page = dashboard_declaration(name)
        st.title(plain(page.title.get(language)))
        st.caption(plain(page.intro.get(language)))
        current = require_viewer()
        if page.filiere is not None:
            filters = filiere_filters(page.filiere, current, language)
        else:
            filters = filter_bar(frames())
        if page.territory_filter:
            filters = territory_filter(filters, language)
        filters = _without(filters, page.ignore_filters, page.ignored_notice, language)
        for section in page.sections:
            _section(name, section, filters, current, language)


def _without(filters: Filters, names: Sequence[str], notice: L10n | None, language: str) -> Filters:
    """The filters minus those that do not apply here, saying so when one was set."""
    dropped = filters
    if "structure_type" in names:
        dropped = replace(dropped, structure_type=None)
    if "size_class" in names:
        dropped = replace(dropped, size_class=None)
    if "departement" in names:  # a grouping of départements goes with it
        dropped = replace(dropped, departement=None, territoire=None)
    if dropped != filters and notice is not None:
        st.info(plain(notice.get(language)), icon=":material/info:")
    return dropped


def _section(name: str, section: Section, filters: Filters, viewer: Viewer, language: str) -> None:
    if section.title is not None:
        st.header(plain(section.title.get(language)), divider="gray")
    if section.intro is not None:
        st.caption(plain(section.intro.get(language)))
    filters = _without(filters, section.ignore_filters, section.ignored_notice, language)
    if section.kpis:
        cards = [card for card in section.kpis if _year(card, filters) is not None]
        for column, card in zip(st.columns(len(section.kpis)), cards, strict=False):
            with column:
                _kpi(card, filters, viewer, language)
    for declared in section.panels:
        _panel(name, declared, filters, viewer, language)
    if section.career_paths:
        career_paths_panel(filters.reference_year, language)


def _year(card: Kpi, filters: Filters) -> int | None:
    """The campaign of a card: the selected one, or the n-th before it that has data."""
    if not card.years_back:
        return filters.reference_year
    years = [y for y in frames().years() if y <= filters.reference_year]
    return years[card.years_back] if card.years_back < len(years) else None


def _kpi(card: Kpi, filters: Filters, viewer: Viewer, language: str) -> None:
    year = _year(card, filters) or filters.reference_year
    result = indicator(card.indicator, replace(filters, reference_year=year), None, viewer)
    title = card.title.get(language).replace("{year}", str(year)) if card.title else None
    kpi(result, language, series=card.series, title=title)


def _panel(name: str, declared: Panel, filters: Filters, viewer: Viewer, language: str) -> None:
    breakdown = declared.breakdown
    if declared.compare is not None:
        options = declared.compare.options
        breakdown = st.segmented_control(
            plain(declared.compare.label.get(language)),
            options,
            format_func=lambda d: breakdown_title(d, language),
            default=options[0],
            required=True,
            key=f"{name}_compare",  # e.g. "egalite_compare"
        )
    result = indicator(declared.indicator, filters, breakdown, viewer)
    drawn = f"{declared.chart.model_dump_json()}|{declared.details_only}"
    if declared.per_inhabitant:
        per_inhabitant_panel(result, language, drawing(declared.chart), declared.key)
    elif breakdown == "reference_year":
        # A figure followed over the years: the "échantillon constant" switch (the same
        # structures every year) above it.
        trend_panel(result, language, drawing(declared.chart), declared.key, drawing=drawn)
    else:
        panel(
            result,
            language,
            drawing(declared.chart),
            declared.key,
            details_only=declared.details_only,
            drawing=drawn,
        )


def drawing(chart: Chart) -> Draw:
    """The chart function of a declared chart, its options bound."""
    kind = chart.kind
    if kind == "bars":
        return partial(
            charts.bars,
            x=chart.x,
            color=chart.color,
            horizontal=chart.horizontal,
            stacked=chart.stacked,
        )
    if kind == "boxes":
        return partial(charts.boxes, x=chart.x, horizontal=chart.horizontal, log=chart.log)
    if kind == "trend":
        return partial(charts.trend, benchmarks=chart.benchmarks)
    if kind == "parity":
        return partial(charts.parity, color=chart.color)
    simple: dict[str, Draw] = {
        "shares": charts.shares,
        "map_departements": charts.map_departements,
        "map_regions": charts.map_regions,
        "auto": charts.by_kind,
    }
    return simple[kind]
