"""Mes données: my responses (read, edit, consent, corrections, erasure) and my export."""

import polars as pl
import streamlit as st

from opp import clock, exports, mydata
from opp.access.policy import Action, may
from opp.i18n import format_date, format_datetime
from opp.referentiel import CONSENT_LEVELS, RESPONSE_STATUSES, label
from opp.services import corrections, erasure, reads
from opp.services import responses as response_store
from opp.ui import session
from opp.ui.state import get_store, guarded, lang, require_shell, require_viewer, tr
from opp.ui.text import plain

require_shell()

language = lang()
st.title(tr("mydata.title"))
st.caption(tr("mydata.intro"))
store = get_store()

with guarded():
    current = require_viewer()
    if not may(current, Action.EXPORT_OWN_DATA):
        st.info(tr("mydata.only_contributors"))
        st.stop()
    data = mydata.collect(store, current)
    st.header(plain(data["organisation"]["name"]))
    st.markdown(f"### {tr('mydata.responses')}")
    if not data["responses"]:
        st.info(tr("mydata.none"))
    today = clock.today()
    for item in data["responses"]:
        campaign = reads.campaign(store, current, item["campaign_id"])
        state = campaign.state(today)
        window = item["edit_until"] and today <= item["edit_until"]
        title = (
            f"{plain(campaign.title(language))} — "
            f"{label(RESPONSE_STATUSES, item['status'], language).lower()}"
        )
        with st.expander(title, expanded=False):
            st.caption(
                f"{tr('mydata.updated_at', date=format_datetime(item['updated_at'], language))} · "
                f"{label(CONSENT_LEVELS, item['consent'], language).split(':')[0]}"
            )
            for answer in item["answers"]:
                prefix = f"{answer['group']} {answer['item']} · " if answer["item"] else ""
                name = answer[f"label_{language}"] or answer["label_fr"]
                shown = answer[f"display_{language}"]
                st.markdown(f"**{plain(prefix + (name or ''))}**  \n{plain(shown)}")
            if window:
                st.info(tr("mydata.window", date=format_date(item["edit_until"], language)))
            editable = state == "open" or window
            if editable and st.button(
                tr("mydata.edit"), key=f"edit:{item['id']}", icon=":material/edit:"
            ):
                st.session_state[f"campaign:{current.organisation_id}"] = campaign.id
                st.switch_page("pages/repondre.py")
            levels = list(CONSENT_LEVELS)
            chosen = st.radio(
                tr("mydata.consent"),
                levels,
                index=levels.index(item["consent"]) if item["consent"] in levels else 0,
                format_func=lambda c: CONSENT_LEVELS[c][language],
                key=f"consent:{item['id']}",
            )
            if st.button(tr("mydata.consent_save"), key=f"consent-save:{item['id']}"):
                response_store.set_consent(store, current, item["id"], chosen)
                st.success(tr("mydata.consent_saved"))
            st.caption(tr("mydata.consent_history"))
            st.dataframe(pl.DataFrame(item["consent_history"]), hide_index=True)
            mine = [c for c in data["correction_requests"] if c["response_id"] == item["id"]]
            if mine:
                st.caption(tr("mydata.corrections"))
                st.dataframe(
                    pl.DataFrame(mine).select("created_at", "status", "message", "decision_reason"),
                    hide_index=True,
                )
            if state == "closed" and not window:
                with st.form(f"correction:{item['id']}", clear_on_submit=True):
                    st.caption(tr("mydata.correction_help"))
                    message = st.text_area(tr("mydata.correction"), max_chars=2000)
                    if st.form_submit_button(tr("mydata.correction_send")):
                        corrections.request(store, current, item["id"], message)
                        st.success(tr("mydata.correction_sent"))
            with st.form(f"erase:{item['id']}", clear_on_submit=True):
                st.caption(tr("mydata.erase_help"))
                word = st.text_input(tr("mydata.confirm"), max_chars=20)
                if st.form_submit_button(tr("mydata.erase_response"), type="primary"):
                    erasure.erase_response(store, current, item["id"], word, language)
                    st.success(tr("mydata.erased"))
                    st.rerun()

    st.markdown(f"### {tr('mydata.export')}")
    st.caption(tr("mydata.export_help"))
    tables = mydata.to_tables(data)
    stem = f"opp-mes-donnees-{data['organisation']['name']}"
    cols = st.columns(3)
    cols[0].download_button(
        tr("mydata.json"),
        mydata.to_json(data),
        file_name=exports.export_filename(stem, "json"),
        mime="application/json",
        key="export-json",
        on_click="ignore",
    )
    cols[1].download_button(
        tr("mydata.xlsx"),
        exports.to_xlsx_workbook(tables, title=data["organisation"]["name"]),
        file_name=exports.export_filename(stem, "xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="export-xlsx",
        on_click="ignore",
    )
    cols[2].download_button(
        tr("mydata.csv"),
        exports.to_csv_bytes(tables["reponses"], lang=language),
        file_name=exports.export_filename(stem, "csv"),
        mime="text/csv",
        key="export-csv",
        on_click="ignore",
    )

    st.markdown(f"### {tr('mydata.erase_all')}")
    with st.form("erase-all", clear_on_submit=True):
        st.caption(tr("mydata.erase_all_help"))
        word = st.text_input(tr("mydata.confirm"), max_chars=20, key="erase-all-word")
        if st.form_submit_button(tr("mydata.erase_all"), type="primary"):
            erasure.erase_organisation(store, current, word, language)
            session.sign_out()
            st.rerun()
