"""Ma structure (contributors): who may act for the organisation, inviting a colleague,
approving or declining people others asked to add, and the campaign reminders setting."""

from __future__ import annotations

import polars as pl
import streamlit as st

from opp.access.viewer import Role, Viewer
from opp.i18n import language_name
from opp.mail import campaign as campaign_mail
from opp.services import membership
from opp.services.storage import Store
from opp.ui import mail_status
from opp.ui.state import tr
from opp.ui.text import plain

_FLASH = "org_space.flash"


def _flash(text: str, ids: list[int | None] | None = None) -> None:
    st.session_state[_FLASH] = (text, ids or [])
    st.rerun()


def render(store: Store, viewer: Viewer) -> None:
    if flash := st.session_state.pop(_FLASH, None):
        st.success(flash[0])
        mail_status.show(store, flash[1])
    people = membership.organisation_people(store, viewer)
    st.header(tr("org.members"))
    st.dataframe(
        pl.DataFrame(
            [
                {
                    tr("admin.name"): a.display_name,
                    tr("login.email"): a.email,
                    tr("admin.status"): tr(f"account.status.{a.status}"),
                    tr("account.last_login"): a.last_login_at,
                }
                for a in people
            ]
        ),
        hide_index=True,
    )
    _approvals(store, viewer)
    st.header(tr("org.invite_title"))
    st.caption(tr("org.invite_help"))
    with st.form("invite_colleague", clear_on_submit=True):
        email = st.text_input(tr("login.email"), max_chars=320)
        name = st.text_input(tr("admin.name"), max_chars=120)
        language = st.radio(
            tr("account.mail_language"),
            ["fr", "en"],
            format_func=language_name,
            horizontal=True,
        )
        if st.form_submit_button(tr("org.invite_send"), type="primary"):
            made = membership.invite(
                store,
                viewer,
                email=email,
                display_name=name,
                role=Role.CONTRIBUTEUR,
                organisation_id=viewer.organisation_id,
                language=language or "fr",
            )
            _flash(tr("account.invite_sent", email=made.account.email), [made.message_id])
    st.header(tr("org.reminders_title"))
    enabled = campaign_mail.reminders_enabled(store, viewer)
    with st.form("reminders"):
        wanted = st.checkbox(tr("org.reminders_label"), value=enabled)
        if st.form_submit_button(tr("org.reminders_save")):
            campaign_mail.set_reminders(store, viewer, enabled=wanted)
            _flash(tr("org.reminders_on" if wanted else "org.reminders_off"))


def _approvals(store: Store, viewer: Viewer) -> None:
    waiting = membership.pending_approvals(store, viewer)
    if not waiting:
        return
    st.header(tr("org.approvals_title"))
    st.caption(tr("org.approvals_help"))
    for approval in waiting:
        request, account = approval.request, approval.account
        with st.container(border=True):
            st.markdown(
                plain(
                    tr(
                        "org.approval_line",
                        person=account.display_name,
                        email=account.email,
                        by=approval.asked_by,
                        date=f"{request.requested_at:%d/%m/%Y}",
                    )
                )
            )
            left, right = st.columns(2)
            if left.button(tr("account.approve"), key=f"approve:{account.id}", type="primary"):
                membership.decide_membership(store, viewer, account.id, approve=True)
                _flash(tr("account.approved", email=account.email))
            if right.button(tr("account.decline"), key=f"decline_member:{account.id}"):
                membership.decide_membership(store, viewer, account.id, approve=False)
                _flash(tr("account.declined_member", email=account.email))
