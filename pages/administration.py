"""Administration: campaigns, invitations and accounts of a filière (coordinators, agency)."""

import polars as pl
import streamlit as st

from opp.access.policy import can_publish_releases
from opp.access.viewer import Role
from opp.referentiel import FILIERES
from opp.store import audit, corrections
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
            tr("admin.directory"),
        ]
        + ([tr("admin.audit"), tr("mail.tab")] if current.role is Role.ADMIN else [])
        + ([tr("releases.tab")] if can_publish_releases(current) else [])
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

    with tabs[4], guarded():
        opendata_tab(store, current)

    with tabs[5]:
        admin_directory.render(store, current, language)
        admin_organisations.render(store, current, language)

    if current.role is Role.ADMIN:
        with tabs[6]:
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
        with tabs[7], guarded():
            admin_mail.render(store, current)

    if can_publish_releases(current):
        with tabs[-1], guarded():
            releases_tab(store, current)
