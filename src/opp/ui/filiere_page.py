"""What every filière page opens with: its scope check, its filters and its overview.

The four filière pages differ only by their questionnaire module's figures.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.indicators.engine import Filters, Result
from opp.indicators.service import scoped_filters
from opp.ui import charts
from opp.ui.dashboard import kpi, panel
from opp.ui.data import frames
from opp.ui.filters import filter_bar
from opp.ui.state import tr


def filiere_filters(filiere: str, viewer: Viewer, lang: str) -> Filters:
    """The filter bar of the filière's page; a viewer scoped to another filière is told
    so and the page stops (contributors and coordinators see their own filière only)."""
    try:
        scoped_filters(viewer, Filters(reference_year=0, filiere=filiere))
    except OppError as refusal:
        st.warning(refusal.message(lang), icon=":material/lock:")
        st.stop()
    return filter_bar(frames(), filiere=filiere)


def overview(get: Callable[..., Result], lang: str, *, places: bool = True) -> None:
    """Key figures shared by every filière, then (unless `places` is False: musiques
    actuelles shows concerts by place in its own module) where performances take place."""
    st.header(tr("filiere.overview"), divider="gray")
    cards = st.columns(4)
    with cards[0]:
        kpi(get("representations_total"), lang)
    with cards[1]:
        kpi(get("effectif_permanent_total"), lang)
    with cards[2]:
        kpi(get("budget_median"), lang, title=tr("filiere.kpi.median_budget"))
    with cards[3]:
        kpi(
            get("part_femmes_par_fonction"),
            lang,
            series="direction",
            title=tr("filiere.kpi.direction"),
        )
    if places:
        panel(get("representations_par_lieu", "size_class"), lang, charts.shares, "lieux")
