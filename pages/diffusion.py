"""Diffusion dashboard: where, how often and at what fee shows are performed, and for whom."""

import streamlit as st

from opp.ui import charts
from opp.ui.dashboard import kpi, panel
from opp.ui.data import frames, indicator
from opp.ui.filters import filter_bar
from opp.ui.followed import per_inhabitant_panel, territory_filter, trend_panel
from opp.ui.state import guarded, lang, require_shell, require_viewer, tr

require_shell()


language = lang()
st.title(tr("diffusion.title"))
st.caption(tr("diffusion.intro"))
with guarded():
    current = require_viewer()
    data = frames()
    filters = territory_filter(filter_bar(data), language)

    def get(indicator_id: str, breakdown: str | None = None):
        return indicator(indicator_id, filters, breakdown, current)

    cards = st.columns(4)
    with cards[0]:
        kpi(get("representations_total"), language)
    with cards[1]:
        kpi(get("representations_par_spectacle"), language)
    with cards[2]:
        kpi(get("prix_cession"), language, title=tr("diffusion.kpi.median_fee"))
    with cards[3]:
        kpi(get("representations_espace_public"), language)

    st.header(tr("diffusion.q.where"), divider="gray")
    panel(get("representations_par_lieu", "filiere"), language, charts.shares, "lieux")
    trend_panel(
        get("representations_par_spectacle", "reference_year"),
        language,
        charts.trend,
        "tendance_exploitation",
    )

    st.header(tr("diffusion.q.map"), divider="gray")
    panel(
        get("representations_par_departement"),
        language,
        charts.map_departements,
        "carte_departements",
    )
    per_inhabitant_panel(
        get("representations_par_departement"),
        language,
        charts.map_departements,
        "carte_departements_habitants",
    )
    panel(
        get("representations_hors_region"),
        language,
        charts.map_regions,
        "carte_regions",
    )

    st.header(tr("diffusion.q.fees"), divider="gray")
    panel(
        get("prix_cession", "filiere"),
        language,
        lambda f, r, lg: charts.boxes(f, r, lg, horizontal=True),
        "prix_cession",
    )
    panel(
        get("prix_cession_representation", "filiere"),
        language,
        lambda f, r, lg: charts.boxes(f, r, lg, horizontal=True),
        "prix_representation",
    )

    st.header(tr("diffusion.q.audience"), divider="gray")
    panel(
        get("spectateurs", "filiere"),
        language,
        lambda f, r, lg: charts.bars(
            f, r, lg, x="group_label", color="series_label", horizontal=True
        ),
        "spectateurs",
        details_only=True,
    )
