"""Administration › Données ouvertes: aggregates (the default) and record-level data.

Both come from `opp.opendata` (latest release, disclosure layer); this module only reads
the buttons, shows the report and offers the downloads.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from opp import exports, opendata
from opp.access.viewer import Viewer
from opp.store.db import Store
from opp.ui.data import catalogues, frames
from opp.ui.state import lang, tr


def _download(table: pl.DataFrame, stem: str, key: str) -> None:
    st.download_button(
        "CSV",
        exports.to_csv_bytes(table, lang=lang()),
        file_name=exports.export_filename(stem, "csv"),
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def opendata_tab(store: Store, viewer: Viewer) -> None:
    st.caption(tr("admin.opendata_help"))
    st.header(tr("opendata.aggregates"))
    st.caption(tr("opendata.aggregates_help"))
    if st.button(tr("opendata.prepare"), key="opendata_aggregates", icon=":material/table:"):
        source = frames()
        _, indicators = catalogues()
        year = source.years()[0]
        table = opendata.aggregate_table(source, indicators, viewer, year)
        st.dataframe(table.head(200), hide_index=True)
        _download(table, f"opp-agregats-{year}", "opendata_aggregates_csv")
    st.header(tr("opendata.records"))
    st.caption(tr("opendata.records_help"))
    if st.button(tr("opendata.prepare"), key="opendata_records", icon=":material/public:"):
        records = opendata.open_records(store, viewer)
        st.info(
            tr(
                "opendata.report",
                published=records.published,
                candidates=records.candidates,
                withheld=records.withheld,
                dropped=", ".join(records.dropped_questions) or "—",
            ),
            icon=":material/shield:",
        )
        if records.table.height:
            st.dataframe(records.table.head(200), hide_index=True)
            _download(records.table, "opp-donnees-ouvertes", "opendata_records_csv")
