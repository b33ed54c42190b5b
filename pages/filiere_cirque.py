"""Filière page — arts du cirque: key figures of the branch and its questionnaire module."""

import streamlit as st

from opp.ui import charts
from opp.ui.dashboard import kpi, panel
from opp.ui.data import indicator
from opp.ui.filiere_page import filiere_filters, overview
from opp.ui.state import guarded, lang, require_shell, require_viewer, tr

require_shell()

FILIERE = "cirque"
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
    cards = st.columns(3)
    with cards[0]:
        kpi(get("cir_chapiteau"), language)
    with cards[1]:
        kpi(get("cir_artistes_plateau"), language)
    with cards[2]:
        kpi(get("cir_semaines_itinerance"), language)
    panel(
        get("cir_chapiteau", "size_class"),
        language,
        lambda f, r, lg: charts.bars(f, r, lg, x="group_label", color=None, horizontal=True),
        "chapiteau",
    )
    panel(
        get("cir_semaines_itinerance", "size_class"),
        language,
        lambda f, r, lg: charts.boxes(f, r, lg, horizontal=True),
        "itinerance",
    )
    panel(
        get("cir_artistes_plateau", "departement"),
        language,
        charts.map_departements,
        "artistes_plateau",
    )
