"""What every filière page opens with: its scope check and its filters (the rest of
the page is declared in surveys/dashboards/filiere_<code>.yaml)."""

from __future__ import annotations

import streamlit as st

from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.indicators.engine import Filters
from opp.indicators.service import scoped_filters
from opp.ui.data import frames
from opp.ui.filters import filter_bar


def filiere_filters(filiere: str, viewer: Viewer, lang: str) -> Filters:
    """The filter bar of the filière's page; a viewer scoped to another filière is told
    so and the page stops (contributors and coordinators see their own filière only)."""
    try:
        scoped_filters(viewer, Filters(reference_year=0, filiere=filiere))
    except OppError as refusal:
        st.warning(refusal.message(lang), icon=":material/lock:")
        st.stop()
    return filter_bar(frames(), filiere=filiere)
