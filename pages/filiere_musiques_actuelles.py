"""Filière page — musiques actuelles: key figures, the branch module, and the artists'
questionnaire (income by source, share of artistic income, concerts by place)."""

from dataclasses import replace

import streamlit as st

from opp.errors import OppError
from opp.indicators.engine import Filters
from opp.indicators.service import scoped_filters
from opp.ui import charts
from opp.ui.dashboard import kpi, panel
from opp.ui.data import frames, indicator
from opp.ui.filters import filter_bar
from opp.ui.state import guarded, lang, require_shell, require_viewer, tr

require_shell()

FILIERE = "musiques_actuelles"
language = lang()
st.title(tr(f"filiere.{FILIERE}.title"))
st.caption(tr(f"filiere.{FILIERE}.intro"))
with guarded():
    current = require_viewer()
    try:  # contributors and coordinators only see their own filière's figures
        scoped_filters(current, Filters(reference_year=0, filiere=FILIERE))
    except OppError as refusal:
        st.warning(refusal.message(language), icon=":material/lock:")
        st.stop()
    data = frames()
    filters = filter_bar(data.years(), filiere=FILIERE)

    def get(indicator_id: str, breakdown: str | None = None, population: Filters = filters):
        return indicator(indicator_id, population, breakdown, current)

    st.header(tr("filiere.overview"), divider="gray")
    cards = st.columns(4)
    with cards[0]:
        kpi(get("representations_total"), language)
    with cards[1]:
        kpi(get("effectif_permanent_total"), language)
    with cards[2]:
        kpi(get("budget_median"), language, title=tr("filiere.kpi.median_budget"))
    with cards[3]:
        kpi(
            get("part_femmes_par_fonction"),
            language,
            series="direction",
            title=tr("filiere.kpi.direction"),
        )

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
    panel(
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
    panel(
        get("art_nombre_sources", "reference_year", population=artists),
        language,
        charts.boxes,
        "nombre_sources",
    )
    panel(
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
