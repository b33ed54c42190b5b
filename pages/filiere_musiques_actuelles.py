"""Filière page — musiques actuelles: key figures, the branch module, and the artists'
questionnaire (income by source, share of artistic income, concerts by place)."""

from dataclasses import replace

import streamlit as st

from opp.indicators.engine import Filters
from opp.ui import charts
from opp.ui.dashboard import kpi, panel
from opp.ui.data import indicator
from opp.ui.filiere_page import filiere_filters, overview
from opp.ui.followed import career_paths_panel, trend_panel
from opp.ui.state import guarded, lang, require_shell, require_viewer, tr

require_shell()

FILIERE = "musiques_actuelles"
language = lang()
st.title(tr(f"filiere.{FILIERE}.title"))
st.caption(tr(f"filiere.{FILIERE}.intro"))
with guarded():
    current = require_viewer()
    filters = filiere_filters(FILIERE, current, language)

    def get(indicator_id: str, breakdown: str | None = None, population: Filters = filters):
        return indicator(indicator_id, population, breakdown, current)

    overview(get, language, places=False)

    st.header(tr("filiere.module"), divider="gray")
    cards = st.columns(3)
    with cards[0]:
        kpi(get("mus_concerts"), language)
    with cards[1]:
        kpi(get("mus_artistes_region"), language)
    with cards[2]:
        kpi(get("mus_direction_femme"), language)
    panel(
        get("mus_frequentation", "structure_type"),
        language,
        lambda f, r, lg: charts.bars(
            f, r, lg, x="group_label", color="series_label", horizontal=True
        ),
        "frequentation",
        details_only=True,
    )
    panel(
        get("mus_artistes_region", "departement"),
        language,
        charts.map_departements,
        "artistes_region",
    )
    trend_panel(
        get("mus_direction_femme", "reference_year"),
        language,
        lambda f, r, lg: charts.trend(f, r, lg, benchmarks=True),
        "direction_femme",
    )

    st.header(tr("filiere.artists"), divider="gray")
    st.caption(tr("filiere.artists.intro"))
    # Artists have no organisation type or size: those filters would refuse every figure.
    artists = replace(filters, structure_type=None, size_class=None)
    if artists != filters:
        st.info(tr("filiere.artists.filters"), icon=":material/info:")
    cards = st.columns(3)
    with cards[0]:
        kpi(get("art_part_revenu_artistique", population=artists), language)
    with cards[1]:
        kpi(get("art_nombre_sources", population=artists), language)
    with cards[2]:
        kpi(
            get("art_concerts", population=artists),
            language,
            series="occitanie",
            title=tr("filiere.kpi.concerts_occitanie"),
        )
    panel(
        get("art_revenus_sources", population=artists), language, charts.shares, "revenus_sources"
    )
    trend_panel(
        get("art_nombre_sources", "reference_year", population=artists),
        language,
        charts.boxes,
        "nombre_sources",
    )
    trend_panel(
        get("art_part_revenu_artistique", "reference_year", population=artists),
        language,
        charts.boxes,
        "revenu_artistique",
    )
    panel(
        get("art_concerts", "departement", population=artists),
        language,
        charts.shares,
        "concerts_artistes",
    )
    career_paths_panel(filters.reference_year, language)
