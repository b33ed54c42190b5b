"""Économie dashboard: budgets, origin of resources, public funding by funder."""

import streamlit as st

from opp.ui import charts
from opp.ui.dashboard import kpi, panel
from opp.ui.data import frames, indicator
from opp.ui.filters import filter_bar
from opp.ui.followed import territory_filter, trend_panel
from opp.ui.state import guarded, lang, require_shell, require_viewer, tr

require_shell()

language = lang()
st.title(tr("economie.title"))
st.caption(tr("economie.intro"))
with guarded():
    current = require_viewer()
    data = frames()
    filters = territory_filter(filter_bar(data), language)

    def get(indicator_id: str, breakdown: str | None = None):
        return indicator(indicator_id, filters, breakdown, current)

    cards = st.columns(4)
    with cards[0]:
        kpi(get("budget_total"), language)
    with cards[1]:
        kpi(get("budget_median"), language, title=tr("economie.kpi.median_budget"))
    with cards[2]:
        kpi(get("part_ressources_propres"), language)
    with cards[3]:
        kpi(get("part_masse_salariale_budget"), language)

    st.header(tr("economie.q.resources"), divider="gray")
    panel(get("structure_ressources", "filiere"), language, charts.shares, "ressources")
    panel(get("financements_publics", "filiere"), language, charts.shares, "financeurs")
    panel(
        get("part_ressources_propres", "structure_type"),
        language,
        lambda f, r, lg: charts.bars(f, r, lg, x="group_label", color=None, horizontal=True),
        "ressources_propres_type",
    )

    st.header(tr("economie.q.budgets"), divider="gray")
    panel(
        get("budget_median", "structure_type"),
        language,
        lambda f, r, lg: charts.boxes(f, r, lg, horizontal=True, log=True),
        "budgets_type",
    )
    trend_panel(
        get("budget_median", "reference_year"),
        language,
        lambda f, r, lg: charts.boxes(f, r, lg, log=True),
        "budgets_tendance",
    )
