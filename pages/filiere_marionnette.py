"""Filière page — marionnette: key figures of the branch and its questionnaire module."""

import streamlit as st

from opp.ui import charts
from opp.ui.dashboard import kpi, panel
from opp.ui.data import indicator
from opp.ui.filiere_page import filiere_filters, overview
from opp.ui.state import guarded, lang, require_shell, require_viewer, tr

require_shell()

FILIERE = "marionnette"
language = lang()
st.title(tr(f"filiere.{FILIERE}.title"))
st.caption(tr(f"filiere.{FILIERE}.intro"))
with guarded():
    current = require_viewer()
    filters = filiere_filters(FILIERE, current, language)

    def get(indicator_id: str, breakdown: str | None = None):
        return indicator(indicator_id, filters, breakdown, current)

    overview(get, language)

    st.header(tr("filiere.module"), divider="gray")
    cards = st.columns(4)
    with cards[0]:
        kpi(get("mar_budget_production"), language)
    with cards[1]:
        kpi(get("mar_apports_non_monetaires"), language)
    with cards[2]:
        kpi(get("mar_fabrication_atelier"), language)
    with cards[3]:
        kpi(get("mar_part_jeune_public"), language)
    panel(
        get("mar_budget_production", "size_class"),
        language,
        lambda f, r, lg: charts.boxes(f, r, lg, horizontal=True),
        "budget_production",
    )
    panel(
        get("mar_apports_non_monetaires", "size_class"),
        language,
        lambda f, r, lg: charts.bars(f, r, lg, x="group_label", color=None, horizontal=True),
        "apports",
        details_only=True,
    )
    panel(
        get("mar_fabrication_atelier", "size_class"),
        language,
        lambda f, r, lg: charts.bars(f, r, lg, x="group_label", color=None, horizontal=True),
        "atelier",
    )
    panel(
        get("mar_part_jeune_public", "departement"),
        language,
        charts.map_departements,
        "jeune_public",
    )
