"""Dictionnaire des variables: the codebook of a questionnaire version (public)."""

import json

import streamlit as st

from opp import codebook
from opp.access.viewer import SYSTEM
from opp.services import reads
from opp.ui.state import get_store, guarded, lang, require_shell, tr

require_shell()

language = lang()
st.title(tr("codebook.title"))
st.caption(tr("codebook.help"))
with guarded():
    store = get_store()
    versions = reads.published_versions(store, SYSTEM)
    if not versions:
        st.info(tr("codebook.none"))
        st.stop()
    keys = [f"{v['questionnaire_id']}@{v['version']}" for v in versions]
    titles = {
        f"{v['questionnaire_id']}@{v['version']}": (
            f"{v.get(f'title_{language}') or v['title_fr']} — {v['version']}"
            + (f" ({tr('codebook.latest')})" if v["latest"] else "")
        )
        for v in versions
    }
    chosen = st.selectbox(tr("codebook.version"), keys, format_func=titles.get, key="cb_version")
    questionnaire_id, version = chosen.split("@", 1)
    book = codebook.load(store, questionnaire_id, version)
    st.dataframe(codebook.table(book, language), hide_index=True)
    left, right = st.columns(2)
    left.download_button(
        "XLSX",
        codebook.to_xlsx(book, language),
        file_name=f"codebook-{questionnaire_id}-{version}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/download:",
        key="cb_xlsx",
    )
    right.download_button(
        tr("codebook.schema"),
        json.dumps(codebook.table_schema(book), ensure_ascii=False, indent=2),
        file_name=f"codebook-{questionnaire_id}-{version}.schema.json",
        mime="application/json",
        on_click="ignore",
        icon=":material/data_object:",
        key="cb_schema",
    )
