"""Administration: campaigns, invitations and accounts of a filière (coordinators, agency)."""

import streamlit as st

from opp.access.policy import Action, filieres_in_scope, may
from opp.i18n import format_date
from opp.services import corrections, reads
from opp.ui import (
    admin_accounts,
    admin_campaigns,
    admin_directory,
    admin_invitations,
    admin_mail,
    admin_organisations,
    session,
)
from opp.ui.admin_opendata import opendata_tab
from opp.ui.admin_releases import releases_tab
from opp.ui.audit_view import audit_table, object_names
from opp.ui.state import get_store, guarded, lang, require_shell, tr
from opp.ui.text import plain

require_shell()

language = lang()
st.title(tr("admin.title"))
store = get_store()


with guarded():
    current = session.current_viewer()
    if current is None or not may(current, Action.MANAGE_CAMPAIGNS):
        st.info(tr("admin.denied"))
        st.stop()
    filieres = filieres_in_scope(current, Action.MANAGE_CAMPAIGNS)
    agency = may(current, Action.READ_AUDIT) and may(current, Action.READ_OUTBOX)  # two tabs
    tabs = st.tabs(
        [
            tr("admin.campaigns"),
            tr("admin.organisations"),
            tr("admin.accounts"),
            tr("admin.corrections"),
            tr("admin.opendata"),
            tr("admin.directory"),
        ]
        + ([tr("admin.audit"), tr("mail.tab")] if agency else [])
        + ([tr("releases.tab")] if may(current, Action.PUBLISH_RELEASE) else [])
    )

    with tabs[0]:
        admin_campaigns.render(store, current, filieres, language)

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
                st.markdown(
                    f"**{format_date(request.created_at, language)}** — {plain(request.message)}"
                )
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

    with tabs[4], guarded():
        opendata_tab(store, current)

    with tabs[5]:
        admin_directory.render(store, current, language)
        admin_organisations.render(store, current, language)

    if agency:
        with tabs[6]:
            entries = reads.audit_entries(store, current, limit=300)
            # Labelled columns, dates, actions in words (before: Python dicts, raw codes).
            names = object_names(store, current, language)  # campaigns, questionnaires
            st.dataframe(audit_table(entries, language, names), hide_index=True)
        with tabs[7], guarded():
            admin_mail.render(store, current)

    if may(current, Action.PUBLISH_RELEASE):
        with tabs[-1], guarded():
            releases_tab(store, current)
