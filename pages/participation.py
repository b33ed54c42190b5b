"""Participation dashboard: submitted responses divided by invited organisations."""

from dataclasses import replace

import streamlit as st

from opp.ui import charts
from opp.ui.dashboard import kpi, panel
from opp.ui.data import frames, indicator
from opp.ui.filters import filter_bar
from opp.ui.state import guarded, lang, require_shell, require_viewer, tr

require_shell()

language = lang()
st.title(tr("participation.title"))
st.caption(tr("participation.intro"))
with guarded():
    current = require_viewer()
    data = frames()
    filters = filter_bar(data)
    if filters.size_class is not None:
        st.info(tr("participation.size_ignored"), icon=":material/info:")
        filters = replace(filters, size_class=None)

    def get(indicator_id: str, breakdown: str | None = None, year: int | None = None):
        chosen = filters if year is None else replace(filters, reference_year=year)
        return indicator(indicator_id, chosen, breakdown, current)

    years = [y for y in data.years() if y <= filters.reference_year][:3]
    cards = st.columns(3)
    for column, year in zip(cards, years, strict=False):
        with column:
            kpi(
                get("taux_participation", year=year),
                language,
                title=tr("participation.kpi_year", year=year),
            )

    st.header(tr("participation.q.filiere"), divider="gray")
    panel(
        get("taux_participation", "filiere"),
        language,
        lambda f, r, lg: charts.bars(f, r, lg, x="group_label", color=None, horizontal=True),
        "participation_filiere",
    )
    st.header(tr("participation.q.territoire"), divider="gray")
    panel(
        get("taux_participation", "departement"),
        language,
        charts.map_departements,
        "participation_departement",
    )
    st.header(tr("participation.q.type"), divider="gray")
    panel(
        get("taux_participation", "structure_type"),
        language,
        lambda f, r, lg: charts.bars(f, r, lg, x="group_label", color=None, horizontal=True),
        "participation_type",
    )
    st.header(tr("participation.q.trend"), divider="gray")
    panel(
        get("taux_participation", "reference_year"),
        language,
        charts.trend,
        "participation_tendance",
    )
