"""Ma fiche: my figures beside my peers', my history, as HTML and PDF reports."""

import polars as pl
import streamlit as st

from opp import exports, reports, restitution
from opp.access.policy import Action, may
from opp.i18n import gettext
from opp.services import reads
from opp.services import responses as response_store
from opp.ui import data
from opp.ui.dashboard import CHART_CONFIG
from opp.ui.state import get_store, guarded, lang, require_shell, require_viewer, tr
from opp.ui.text import plain

require_shell()

language = lang()
st.title(tr("fiche.title"))
st.caption(tr("fiche.intro"))
store = get_store()

with guarded():
    current = require_viewer()
    if not may(current, Action.READ_FICHE):
        st.info(tr("mydata.only_contributors"))
        st.stop()
    submitted = response_store.list_visible(store, current, status="submitted")
    if not submitted:
        st.info(tr("fiche.none"))
        st.stop()
    by_id = {r.id: reads.campaign(store, current, r.campaign_id) for r in submitted}
    response_id = st.selectbox(
        tr("fiche.campaign"),
        list(by_id),
        format_func=lambda rid: by_id[rid].title(language),
        key="fiche_response",
    )
    fiche = data.fiche(current, response_id, submitted)
    stem = f"opp-fiche-{fiche.organisation.name}-{fiche.campaign.reference_year}"
    left, right = st.columns(2)
    left.download_button(
        tr("fiche.html"),
        # Both reports are built on click only (the PDF alone took a third of a render).
        lambda: reports.to_html(fiche, language).encode("utf-8"),
        file_name=exports.export_filename(stem, "html"),
        mime="text/html",
        key="fiche-html",
        on_click="ignore",
    )
    right.download_button(
        tr("fiche.pdf"),
        lambda: reports.to_pdf(fiche, language),
        file_name=exports.export_filename(stem, "pdf"),
        mime="application/pdf",
        key="fiche-pdf",
        on_click="ignore",
    )
    for index, line in enumerate(fiche.lines):
        unit = line.indicator.unit
        st.header(plain(line.label.get(language)))
        st.metric(
            tr("fiche.you"),
            reports.value_text(line.own, unit, language),
            help=plain(line.indicator.definition.get(language)),
        )
        rows = []
        for comparison in line.comparisons:
            rows.append(
                {
                    gettext("fiche.report.group", language): restitution.group_label(
                        comparison.group, language
                    ),
                    gettext("fiche.report.median", language): restitution.withheld_text(language)
                    if comparison.withheld
                    else reports.value_text(comparison.median, unit, language),
                    gettext("fiche.report.quartiles", language): ""
                    if comparison.withheld
                    else f"{reports.value_text(comparison.q1, unit, language)} – "
                    f"{reports.value_text(comparison.q3, unit, language)}",
                    gettext("fiche.report.n", language): comparison.contributors,
                }
            )
        st.dataframe(pl.DataFrame(rows), hide_index=True)
        if any(not c.withheld for c in line.comparisons):
            st.plotly_chart(
                reports.position_figure(line, language),
                key=f"position:{index}",
                config=CHART_CONFIG,
            )
        trend = reports.history_figure(fiche, line, language)
        if trend is not None:
            st.caption(gettext("fiche.report.history", language))
            st.plotly_chart(trend, key=f"history:{index}", config=CHART_CONFIG)
        for gap in fiche.gaps_of(line):
            st.caption(f":material/history: {plain(gap[language])}")
