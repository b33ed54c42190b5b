"""The sign-in form (password, single sign-on, forgotten password, demo accounts), shown
by the sign-in page and by any page opened signed out by its address (a bookmark, a
shared link): signing in there reopens that same page."""

from __future__ import annotations

import streamlit as st

from opp.access.viewer import ROLE_LABELS
from opp.demo.accounts import DEMO_PASSWORD
from opp.services import reads
from opp.services.storage import Store
from opp.ui import session
from opp.ui.navigation import request_landing
from opp.ui.state import lang, tr
from opp.ui.text import plain


def render(store: Store, *, land: bool = False) -> None:
    """The form; a successful sign-in reruns the app (which then sets the cookie). `land`
    (the sign-in page): the person then reaches their home page rather than this one."""
    from opp.services import auth

    language = lang()
    notice = st.session_state.pop(session.NOTICE_KEY, None)
    if notice:
        st.warning(notice, icon=":material/timer_off:")
    with st.form("sign_in"):
        email = st.text_input(tr("login.email"), key="login_email")
        password = st.text_input(tr("login.password"), type="password", key="login_password")
        if st.form_submit_button(tr("login.submit"), type="primary"):
            session.sign_in(email, password)
            if land:
                request_landing()
            st.rerun()
    if session.sso_configured() and st.button(tr("login.sso"), key="sso"):
        st.login()
    with st.expander(tr("login.forgot")), st.form("forgot", clear_on_submit=True):
        st.caption(tr("login.forgot_help"))
        forgotten = st.text_input(tr("login.forgot_email"), key="forgot_email", max_chars=320)
        if st.form_submit_button(tr("login.forgot_send")):
            auth.request_reset(store, forgotten)
            st.success(tr("login.forgot_done"))
    demo = reads.demo_accounts(store)
    if demo:
        st.header(tr("login.demo_title"))
        st.caption(tr("login.demo_help", password=DEMO_PASSWORD))
        for account in demo:
            left, right = st.columns([4, 1])
            left.markdown(
                f"**{plain(ROLE_LABELS[account.role][language])}** — "
                f"{plain(account.display_name)}  \n`{plain(account.email)}`"
            )
            if right.button(tr("login.demo_as"), key=f"demo:{account.id}"):
                session.sign_in(account.email, DEMO_PASSWORD)
                if land:
                    request_landing()
                st.rerun()
