"""Filière page — arts de la rue: key figures of the branch and its questionnaire module."""

import streamlit as st

from opp.ui import charts
from opp.ui.dashboard import kpi, panel
from opp.ui.data import indicator
from opp.ui.filiere_page import filiere_filters, overview
from opp.ui.followed import trend_panel
from opp.ui.state import guarded, lang, require_shell, require_viewer, tr

require_shell()

FILIERE = "arts_de_la_rue"
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
        kpi(get("representations_espace_public"), language)
    with cards[1]:
        kpi(get("adr_gratuite_espace_public"), language)
    with cards[2]:
        kpi(get("adr_public_estime"), language)
    with cards[3]:
        kpi(get("adr_difficultes_autorisations"), language)
    panel(
        get("adr_gratuite_espace_public", "departement"),
        language,
        charts.map_departements,
        "gratuites",
    )
    panel(
        get("adr_festivals", "size_class"),
        language,
        lambda f, r, lg: charts.bars(
            f, r, lg, x="group_label", color="series_label", horizontal=True, stacked=False
        ),
        "festivals",
        details_only=True,
    )
    panel(
        get("adr_difficultes_autorisations", "structure_type"),
        language,
        lambda f, r, lg: charts.bars(f, r, lg, x="group_label", color=None, horizontal=True),
        "autorisations",
    )
    trend_panel(
        get("adr_difficultes_autorisations", "reference_year"),
        language,
        charts.trend,
        "autorisations_tendance",
    )
