"""Landing page: what the observation is, the directory, and participation as published."""

import streamlit as st

from opp.errors import OppError
from opp.indicators.engine import Filters
from opp.services import reads
from opp.ui import charts
from opp.ui.dashboard import panel, release_caption
from opp.ui.data import indicator
from opp.ui.state import get_store, guarded, lang, require_shell, tr, viewer

require_shell()

language = lang()
st.title(tr("app.title"))
st.caption(tr("app.tagline"))
st.markdown(tr("home.intro"))

with guarded():
    store = get_store()
    current = viewer()
    directory = reads.overview(store)
    latest = reads.latest_release(store)
    st.header(tr("home.figures"))
    cols = st.columns(4)
    cols[0].metric(
        tr("home.structures"), f"{sum(directory['structures'].values()):,}".replace(",", " ")
    )
    cols[1].metric(tr("home.artists"), directory["artists"])
    cols[2].metric(
        tr("home.submitted"),
        f"{latest.responses:,}".replace(",", " ") if latest else "—",
        help=tr("home.submitted_help"),
    )
    cols[3].metric(tr("home.departements"), f"{directory['departements']} / 13")
    if not sum(directory["structures"].values()) and not directory["artists"]:
        st.info(tr("home.empty"), icon=":material/hourglass_empty:")
    elif latest is None:
        st.info(OppError("RELEASE_NONE").message(language), icon=":material/hourglass_empty:")
    else:
        st.caption(f":material/verified: {release_caption(latest, language)}")
        year = latest.years()[0]
        panel(
            indicator("taux_participation", Filters(reference_year=year), "filiere", current),
            language,
            lambda f, r, lg: charts.bars(f, r, lg, x="group_label", color=None, horizontal=True),
            "accueil_participation",
            drawing="bars:group_label:horizontal",  # built once per release and language
        )
