"""Landing page: what the observation is, and live participation figures."""

import plotly.express as px
import polars as pl
import streamlit as st

from opp.referentiel import FILIERES, label
from opp.store import stats
from opp.ui.state import get_store, guarded, lang, require_shell, tr, viewer

require_shell()

language = lang()
st.title(tr("app.title"))
st.caption(tr("app.tagline"))
st.markdown(tr("home.intro"))

with guarded():
    store = get_store()
    figures = stats.overview(store, viewer())
    st.subheader(tr("home.figures"))
    cols = st.columns(4)
    cols[0].metric(
        tr("home.structures"), f"{sum(figures['structures'].values()):,}".replace(",", " ")
    )
    cols[1].metric(tr("home.artists"), figures["artists"])
    cols[2].metric(tr("home.submitted"), f"{figures['submitted_total']:,}".replace(",", " "))
    cols[3].metric(tr("home.departements"), f"{figures['departements']} / 13")
    rows = [r for r in figures["responses"] if r["submitted"] or r["drafts"]]
    if not rows:
        st.info(tr("home.empty"))
    else:
        table = pl.DataFrame(rows).with_columns(
            pl.col("filiere").replace_strict(
                {code: label(FILIERES, code, language) for code in FILIERES},
                default=pl.col("filiere"),
                return_dtype=pl.String,
            )
        )
        by_year = table.group_by("filiere", "reference_year").agg(pl.col("submitted").sum())
        fig = px.bar(
            by_year.sort("reference_year"),
            x="reference_year",
            y="submitted",
            color="filiere",
            barmode="group",
            labels={
                "reference_year": tr("col.year"),
                "submitted": tr("col.submitted"),
                "filiere": tr("col.filiere"),
            },
            title=tr("home.by_filiere"),
        )
        fig.update_xaxes(type="category")
        st.plotly_chart(fig)
        st.dataframe(
            table.select(
                pl.col("filiere").alias(tr("col.filiere")),
                pl.col("questionnaire_id").alias(tr("col.questionnaire")),
                pl.col("reference_year").alias(tr("col.year")),
                pl.col("submitted").alias(tr("col.submitted")),
                pl.col("drafts").alias(tr("col.drafts")),
            ),
            hide_index=True,
        )
