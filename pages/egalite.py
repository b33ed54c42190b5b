"""Égalité dashboard: women's share by role, pay gap, chairs, commitments."""

import streamlit as st

from opp.ui import charts
from opp.ui.dashboard import breakdown_title, kpi, panel
from opp.ui.data import frames, indicator
from opp.ui.filters import filter_bar
from opp.ui.state import guarded, lang, require_shell, require_viewer, tr

require_shell()

language = lang()
st.title(tr("egalite.title"))
st.caption(tr("egalite.intro"))
with guarded():
    current = require_viewer()
    data = frames()
    filters = filter_bar(data)

    def get(indicator_id: str, breakdown: str | None = None):
        return indicator(indicator_id, filters, breakdown, current)

    cards = st.columns(4)
    with cards[0]:
        kpi(
            get("part_femmes_par_fonction"),
            language,
            series="direction",
            title=tr("egalite.kpi.direction"),
        )
    with cards[1]:
        kpi(
            get("part_femmes_par_fonction"), language, series="scene", title=tr("egalite.kpi.scene")
        )
    with cards[2]:
        kpi(get("ecart_salaire"), language)
    with cards[3]:
        kpi(get("presidence_femmes"), language)

    st.header(tr("egalite.q.roles"), divider="gray")
    panel(get("part_femmes_par_fonction"), language, charts.parity, "parite")

    st.header(tr("egalite.q.compare"), divider="gray")
    compare = st.segmented_control(
        tr("egalite.compare"),
        ["filiere", "structure_type", "size_class"],
        format_func=lambda d: breakdown_title(d, language),
        default="filiere",
        required=True,
        key="egalite_compare",
    )
    panel(
        get("part_femmes_par_fonction", compare),
        language,
        lambda f, r, lg: charts.parity(f, r, lg, color="group_label"),
        "parite_comparaison",
    )
    panel(
        get("ecart_salaire", "filiere"),
        language,
        lambda f, r, lg: charts.bars(f, r, lg, x="group_label", color=None, horizontal=True),
        "ecart_salaire",
    )

    st.header(tr("egalite.q.trend"), divider="gray")
    panel(
        get("part_femmes_par_fonction", "reference_year"),
        language,
        lambda f, r, lg: charts.trend(f, r, lg, benchmarks=True),
        "parite_tendance",
    )

    st.header(tr("egalite.q.actions"), divider="gray")
    panel(
        get("engagements_egalite", "filiere"),
        language,
        lambda f, r, lg: charts.bars(
            f, r, lg, x="series_label", color="group_label", horizontal=True, stacked=False
        ),
        "engagements",
    )
