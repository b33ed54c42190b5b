"""Emploi dashboard: permanent and intermittent jobs, volunteers, payroll."""

import polars as pl
import streamlit as st

from opp.ui import charts
from opp.ui.dashboard import kpi, panel
from opp.ui.data import frames, indicator
from opp.ui.filters import filter_bar
from opp.ui.state import guarded, lang, require_shell, require_viewer, tr

require_shell()

language = lang()
st.title(tr("emploi.title"))
st.caption(tr("emploi.intro"))
with guarded():
    current = require_viewer()
    data = frames()
    filters = filter_bar(data)

    def get(indicator_id: str, breakdown: str | None = None):
        return indicator(indicator_id, filters, breakdown, current)

    cards = st.columns(4)
    with cards[0]:
        kpi(get("effectif_permanent_total"), language)
    with cards[1]:
        kpi(get("etp_permanents_total"), language)
    with cards[2]:
        kpi(
            get("intermittents_employes"),
            language,
            series="artistes",
            title=tr("emploi.kpi.intermittent_artists"),
        )
    with cards[3]:
        kpi(get("part_masse_salariale_budget"), language)

    st.header(tr("emploi.q.jobs"), divider="gray")
    panel(
        get("permanents_par_contrat", "filiere"),
        language,
        lambda f, r, lg: charts.bars(f, r, lg, x="group_label", color="series_label"),
        "contrats",
        details_only=True,
    )
    panel(
        # The median, not the total: the total follows how many have answered so far.
        get("effectif_permanent_median", "reference_year"),
        language,
        charts.trend,
        "tendance_permanents",
    )
    panel(
        get("intermittents_employes", "departement"),
        language,
        lambda f, r, lg: charts.bars(
            f, r, lg, x="group_label", color="series_label", horizontal=True
        ),
        "intermittents",
        details_only=True,
    )
    panel(
        get("effectif_permanent_median", "structure_type"),
        language,
        lambda f, r, lg: charts.boxes(f.filter(pl.col("value").is_not_null()), r, lg),
        "effectif_taille",
    )
    panel(
        get("masse_salariale", "filiere"),
        language,
        lambda f, r, lg: charts.bars(f, r, lg, x="group_label", color="series_label"),
        "masse_salariale",
        details_only=True,
    )
