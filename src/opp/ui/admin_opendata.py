"""Administration › Données ouvertes: aggregates (the default) and record-level data.

Both come from `opp.opendata` (latest release, disclosure layer); this module only reads
the buttons, shows the report and offers the downloads.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from opp import datapackage, exports, opendata
from opp.access.policy import can_publish_open_data
from opp.access.viewer import Viewer
from opp.services import campaigns, releases
from opp.services.storage import Store
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


def _package(store: Store, viewer: Viewer) -> None:
    """The agency's download of a campaign's Frictionless data package (zip)."""
    st.header(tr("opendata.package"))
    st.caption(tr("opendata.package_help"))
    if releases.latest_id(store) is None:  # an instance before its first release
        st.info(tr("opendata.package_none"))
        return
    source = frames()
    years = set(source.years())
    listed = [c for c in campaigns.list_all(store, viewer) if c.reference_year in years]
    if not listed:
        st.info(tr("opendata.package_none"))
        return
    by_id = {c.id: c for c in listed}
    chosen = st.selectbox(
        tr("opendata.package_campaign"),
        list(by_id),
        format_func=lambda cid: by_id[cid].title(lang()),
        key="opendata_package_campaign",
    )
    left, right = st.columns(2)
    prepare = left.button(
        tr("opendata.prepare"), key="opendata_package", icon=":material/inventory_2:"
    )
    public = right.button(
        tr("opendata.package_publish"), key="opendata_package_publish", icon=":material/public:"
    )
    if prepare or public:
        _, indicators = catalogues()
        package = datapackage.build(source, indicators, viewer, by_id[chosen])
        st.success(tr("opendata.package_ready", n=len(package.files)))
        if public:
            datapackage.publish(store, viewer, package, by_id[chosen])
            st.success(tr("opendata.package_published"), icon=":material/public:")
        st.download_button(
            tr("opendata.package_download"),
            datapackage.zip_bytes(package),
            file_name=exports.export_filename(f"opp-paquet-{chosen}", "zip"),
            mime="application/zip",
            key="opendata_package_zip",
            on_click="ignore",
            icon=":material/download:",
        )


def _question_labels(question_ids: list[str]) -> list[str]:
    """Questions by their label (before: their ids, `annee_creation`…)."""
    surveys, _ = catalogues()
    labels: dict[str, str] = {}
    for questionnaire_id in surveys.questionnaires:
        for question in surveys.get(questionnaire_id).questions.values():
            labels.setdefault(question.id, question.label.get(lang()))
    return [f"« {labels[q]} »" if q in labels else q for q in question_ids]


def opendata_tab(store: Store, viewer: Viewer) -> None:
    st.caption(tr("admin.opendata_help"))
    if can_publish_open_data(viewer):
        _package(store, viewer)
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
                dropped=", ".join(_question_labels(records.dropped_questions)) or "—",
            ),
            icon=":material/shield:",
        )
        if records.table.height:
            st.dataframe(records.table.head(200), hide_index=True)
            _download(records.table, "opp-donnees-ouvertes", "opendata_records_csv")
