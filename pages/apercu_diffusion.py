"""Overview chart: performances by place and filière, with statistical confidentiality."""

import plotly.express as px
import polars as pl
import streamlit as st

from opp.indicators.disclosure import reason_text
from opp.indicators.overview import PLACES, performances_by_place
from opp.referentiel import FILIERES, label
from opp.store import campaigns as campaign_store
from opp.ui.state import get_store, guarded, lang, require_shell, tr, viewer

require_shell()

language = lang()
st.title(tr("diffusion.title"))
st.caption(tr("diffusion.intro"))
with guarded():
    store = get_store()
    current = viewer()
    years = sorted(
        {c.reference_year for c in campaign_store.list_all(store, current)}, reverse=True
    )
    if not years:
        st.info(tr("diffusion.none"))
        st.stop()
    year = st.selectbox(tr("diffusion.year"), years, key="diffusion_year")
    table = performances_by_place(store, current, year)
    if table.is_empty():
        st.info(tr("diffusion.none"))
        st.stop()
    shown = table.with_columns(
        pl.col("filiere").replace_strict(
            {k: label(FILIERES, k, language) for k in FILIERES}, default=pl.col("filiere")
        ),
        pl.col("place").replace_strict(
            {k: v[language] for k, v in PLACES.items()}, default=pl.col("place")
        ),
        pl.col("secret")
        .map_elements(lambda r: reason_text(r, language), return_dtype=pl.String)
        .fill_null(""),
    )
    fig = px.bar(
        shown.drop_nulls("performances").to_pandas(),
        x="filiere",
        y="performances",
        color="place",
        category_orders={"place": [v[language] for v in PLACES.values()]},
        labels={
            "filiere": tr("col.filiere"),
            "performances": tr("diffusion.performances"),
            "place": tr("diffusion.place"),
        },
    )
    st.plotly_chart(fig)
    st.dataframe(
        shown.select(
            pl.col("filiere").alias(tr("col.filiere")),
            pl.col("place").alias(tr("diffusion.place")),
            pl.col("performances").alias(tr("diffusion.performances")),
            pl.col("contributors").alias(tr("diffusion.contributors")),
            pl.col("secret").alias(tr("diffusion.secret")),
        ),
        hide_index=True,
    )
