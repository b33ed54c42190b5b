"""Administration: campaigns, invitations and accounts of a filière (coordinators, agency)."""

import datetime as dt

import polars as pl
import streamlit as st

from opp import clock, exports, opendata
from opp.access.viewer import Role
from opp.referentiel import FILIERES
from opp.store import audit, campaigns, corrections, questionnaires
from opp.ui import admin_accounts, admin_invitations, admin_mail, session
from opp.ui.state import get_store, guarded, lang, require_shell, tr
from opp.ui.text import plain

require_shell()

language = lang()
st.title(tr("admin.title"))
store = get_store()


with guarded():
    current = session.current_viewer()
    if current is None or current.role not in (Role.COORDINATEUR, Role.ADMIN):
        st.info(tr("admin.denied"))
        st.stop()
    filieres = list(FILIERES) if current.role is Role.ADMIN else [current.filiere]
    tabs = st.tabs(
        [
            tr("admin.campaigns"),
            tr("admin.organisations"),
            tr("admin.accounts"),
            tr("admin.corrections"),
            tr("admin.opendata"),
        ]
        + ([tr("admin.audit"), tr("mail.tab")] if current.role is Role.ADMIN else [])
    )

    with tabs[0]:
        today = clock.today()
        listed = [c for f in filieres for c in campaigns.list_all(store, current, filiere=f)]
        rows = [
            {
                tr("admin.campaign"): c.title(language),
                tr("admin.year"): c.reference_year,
                tr("admin.opens"): c.opens_on,
                tr("admin.closes"): c.closes_on,
                tr("admin.status"): {"open": "ouverte", "closed": "close", "upcoming": "à venir"}[
                    c.state(today)
                ]
                if language == "fr"
                else c.state(today),
            }
            for c in listed
        ]
        st.dataframe(pl.DataFrame(rows), hide_index=True)
        open_ones = [c for c in listed if c.state(today) == "open"]
        if open_ones:
            to_close = st.selectbox(
                tr("admin.close"),
                [c.id for c in open_ones],
                format_func=lambda cid: next(c.title(language) for c in open_ones if c.id == cid),
                key="close_campaign",
            )
            if st.button(tr("admin.close"), key="close_button"):
                campaigns.close(store, current, to_close)
                st.success(tr("admin.closed"))
        st.subheader(tr("admin.new_campaign"))
        versions = [
            v for v in questionnaires.list_versions(store, current) if v["filiere"] in filieres
        ]
        with st.form("new_campaign"):
            chosen = st.selectbox(
                tr("admin.questionnaire"),
                [f"{v['questionnaire_id']}@{v['version']}" for v in versions],
            )
            year = st.number_input(tr("admin.year"), 2000, 2100, today.year, step=1)
            opens = st.date_input(tr("admin.opens"), today, format="DD/MM/YYYY")
            closes = st.date_input(
                tr("admin.closes"), today + dt.timedelta(days=90), format="DD/MM/YYYY"
            )
            title_fr = st.text_input(tr("admin.title_fr"), max_chars=200)
            title_en = st.text_input(tr("admin.title_en"), max_chars=200)
            if st.form_submit_button(tr("admin.create"), type="primary") and chosen:
                questionnaire_id, version = chosen.split("@")
                filiere = next(
                    v["filiere"] for v in versions if v["questionnaire_id"] == questionnaire_id
                )
                campaigns.create(
                    store,
                    current,
                    filiere=filiere,
                    questionnaire_id=questionnaire_id,
                    questionnaire_version=version,
                    reference_year=int(year),
                    title_fr=title_fr.strip() or f"{questionnaire_id} — {int(year)}",
                    title_en=title_en.strip() or None,
                    opens_on=opens,
                    closes_on=closes,
                )
                st.success(tr("admin.created"))

    # Each tab in its own guard: a refused action in one leaves the others drawn.
    with tabs[1], guarded():
        admin_invitations.render(store, current, filieres)

    with tabs[2], guarded():
        admin_accounts.render(store, current)

    with tabs[3]:
        pending = [c for c in corrections.visible(store, current) if c.status == "pending"]
        if not pending:
            st.info(tr("admin.no_corrections"))
        for request in pending:
            with st.container(border=True):
                st.markdown(f"**{request.created_at:%d/%m/%Y}** — {plain(request.message)}")
                reason = st.text_input(
                    tr("admin.reason"), key=f"reason:{request.id}", max_chars=2000
                )
                left, right = st.columns(2)
                if left.button(tr("admin.accept"), key=f"accept:{request.id}", type="primary"):
                    corrections.decide(store, current, request.id, accept=True, reason=reason)
                    st.rerun()
                if right.button(tr("admin.decline"), key=f"decline:{request.id}"):
                    corrections.decide(store, current, request.id, accept=False, reason=reason)
                    st.rerun()

    with tabs[4]:
        st.caption(tr("admin.opendata_help"))
        if st.button(tr("admin.opendata"), key="opendata_prepare", icon=":material/public:"):
            table = opendata.open_answers(store, current)
            st.dataframe(table.head(200), hide_index=True)
            st.download_button(
                "CSV",
                exports.to_csv_bytes(table, lang=language),
                file_name=exports.export_filename("opp-donnees-ouvertes", "csv"),
                mime="text/csv",
                key="opendata_csv",
                on_click="ignore",
            )

    if current.role is Role.ADMIN:
        with tabs[5]:
            entries = audit.list_entries(store, current, limit=300)
            st.dataframe(
                pl.DataFrame(
                    [
                        {
                            "date": e["occurred_at"],
                            "acteur": e["actor_name"] or e["actor"],
                            "rôle": e["role"],
                            "action": e["action"],
                            "objet": f"{e['object_type']}:{e['object_id']}",
                            "détail": str(e["detail"])[:200],
                        }
                        for e in entries
                    ]
                ),
                hide_index=True,
            )
        with tabs[6], guarded():
            admin_mail.render(store, current)
