"""Administration: campaigns, invitations and accounts of a filière (coordinators, agency)."""

import polars as pl
import streamlit as st

from opp.access import auth
from opp.access.policy import can_publish_releases
from opp.access.viewer import ROLE_LABELS, Role
from opp.errors import OppError
from opp.referentiel import FILIERES, label
from opp.store import audit, campaigns, corrections, invitations, organisations
from opp.ui import admin_campaigns, admin_directory, admin_organisations, session
from opp.ui.admin_opendata import opendata_tab
from opp.ui.admin_releases import releases_tab
from opp.ui.state import get_store, guarded, lang, require_shell, tr
from opp.ui.text import plain

require_shell()

language = lang()
st.title(tr("admin.title"))
store = get_store()


_FLASH = "admin.invitations.flash"


def _link_base() -> str:
    url = st.context.url or "http://localhost:8501"
    return url.rsplit("/", 1)[0] if url.count("/") > 2 else url


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
        + ([tr("admin.audit")] if current.role is Role.ADMIN else [])
        + ([tr("releases.tab")] if can_publish_releases(current) else [])
    )

    with tabs[0]:
        admin_campaigns.render(store, current, filieres, language)

    with tabs[1]:
        # Listed again: a campaign created in the first tab during this run is shown.
        all_campaigns = [c for f in filieres for c in campaigns.list_all(store, current, filiere=f)]
        titles = {c.id: c.title(language) for c in all_campaigns}
        if all_campaigns:
            campaign_id = st.selectbox(
                tr("admin.campaign"),
                list(titles),
                format_func=lambda cid: titles[cid],
                key="invite_campaign",
            )
            campaign = next(c for c in all_campaigns if c.id == campaign_id)
            if flash := st.session_state.pop(_FLASH, None):
                st.success(flash)
            counts = invitations.status_counts(store, current, campaign_id)
            columns = st.columns(3)
            for column, status in zip(columns, ("non_commence", "draft", "submitted"), strict=True):
                column.metric(tr(f"admin.status_{status}"), str(counts.get(status, 0)))
            invited = invitations.for_campaign(store, current, campaign_id)
            st.dataframe(
                pl.DataFrame(invited).drop("id") if invited else pl.DataFrame(), hide_index=True
            )
            searched = st.text_input(tr("admin.search_orgs"), key="invite_search", max_chars=100)
            candidates, matching = organisations.search(
                store, current, searched, filiere=campaign.filiere, not_invited_to=campaign_id
            )
            names = {o.id: f"{o.name} — {o.commune or '?'}" for o in candidates}
            if matching > len(candidates):
                st.caption(tr("admin.search_count", shown=len(candidates), total=matching))
            chosen_orgs = st.multiselect(
                tr("admin.invite_orgs"),
                list(names),
                format_func=lambda oid: names[oid],
                key="invite_orgs",
            )
            if st.button(tr("admin.invite_orgs_button"), key="invite_orgs_button") and chosen_orgs:
                added = invitations.invite(store, current, campaign_id, chosen_orgs)
                st.session_state[_FLASH] = tr("admin.invited", n=added)
                st.rerun()  # the counts and the list above must show the new invitations
            _, remaining = (
                (candidates, matching)
                if not searched.strip()
                else organisations.search(
                    store, current, filiere=campaign.filiere, not_invited_to=campaign_id, limit=1
                )
            )
            if remaining and st.button(
                tr("admin.invite_all", n=remaining), key="invite_all_button"
            ):
                added = invitations.invite_all(store, current, campaign_id)
                st.session_state[_FLASH] = tr("admin.invited", n=added)
                st.rerun()
        st.subheader(tr("admin.new_account"))
        searched_org = st.text_input(tr("admin.search_orgs"), key="account_search", max_chars=100)
        orgs, matching = organisations.search(store, current, searched_org)
        org_names = {o.id: f"{o.name} — {o.commune or '?'}" for o in orgs}
        if matching > len(orgs):
            st.caption(tr("admin.search_count", shown=len(orgs), total=matching))
        with st.form("invite_account", clear_on_submit=True):
            organisation_id = st.selectbox(
                tr("admin.organisation"),
                list(org_names),
                format_func=lambda oid: org_names[oid],
            )
            email = st.text_input(tr("login.email"), max_chars=320)
            name = st.text_input(tr("admin.name"), max_chars=120)
            if st.form_submit_button(tr("admin.send"), type="primary"):
                if organisation_id is None:
                    raise OppError("ADMIN_NO_ORGANISATION")
                link = auth.invite(
                    store, current, email=email, display_name=name, organisation_id=organisation_id
                )
                st.success(tr("admin.link", date=link.expires_at.strftime("%d/%m/%Y")))
                st.code(f"{_link_base()}/connexion?invitation={link.token}", language=None)

    with tabs[2]:
        people = auth.list_accounts(store, current)
        st.dataframe(
            pl.DataFrame(
                [
                    {
                        tr("login.email"): a.email,
                        tr("admin.name"): a.display_name,
                        "Rôle" if language == "fr" else "Role": ROLE_LABELS[a.role][language],
                        tr("admin.status"): a.status,
                        "Filière" if language == "fr" else "Branch": label(
                            FILIERES, a.filiere, language
                        ),
                    }
                    for a in people
                ]
            ),
            hide_index=True,
        )
        resettable = [
            a for a in people if a.role == Role.CONTRIBUTEUR.value or current.role is Role.ADMIN
        ]
        if resettable:
            account_id = st.selectbox(
                tr("admin.reset_for"),
                [a.id for a in resettable],
                format_func=lambda aid: next(a.email for a in resettable if a.id == aid),
                key="reset_account",
            )
            if st.button(tr("admin.reset"), key="reset_button"):
                link = auth.issue_reset(store, current, account_id)
                st.success(tr("admin.link", date=link.expires_at.strftime("%d/%m/%Y")))
                st.code(f"{_link_base()}/connexion?reinitialisation={link.token}", language=None)

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
                            "acteur": e["actor"],
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

    if can_publish_releases(current):
        with tabs[-1]:
            releases_tab(store, current)
