"""Sign-in page: password, single sign-on, invitation and reset links, demo accounts."""

import streamlit as st

from opp.access import auth
from opp.access.viewer import ROLE_LABELS
from opp.demo.accounts import DEMO_PASSWORD
from opp.store import accounts, bulk
from opp.ui import session
from opp.ui.navigation import request_landing
from opp.ui.state import get_store, guarded, lang, require_shell, tr
from opp.ui.text import plain

require_shell()

language = lang()
st.title(tr("login.title"))
store = get_store()
link_kind = (
    "invitation"
    if "invitation" in st.query_params
    else ("reset" if "reinitialisation" in st.query_params else None)
)

with guarded():
    current = session.current_viewer()
    if link_kind:
        token = st.query_params.get("invitation") or st.query_params.get("reinitialisation") or ""
        account = auth.peek(store, token, link_kind)
        st.header(tr("login.choose_password"))
        st.write(plain(tr("login.welcome", name=account.display_name, email=account.email)))
        with st.form("set_password"):
            first = st.text_input(
                tr("login.password"), type="password", help=tr("login.password_help")
            )
            second = st.text_input(tr("login.password_again"), type="password")
            if st.form_submit_button(tr("login.activate"), type="primary"):
                started = auth.set_password_with_token(
                    store, token, link_kind, first, second, language=language
                )
                session.start_session(started)
                st.query_params.clear()
                request_landing()
                st.rerun()
    elif current is not None:
        role = ROLE_LABELS[current.role][language]
        st.info(plain(tr("login.signed_in_as", name=current.name, role=role)))
        if st.button(tr("login.sign_out"), key="sign_out"):
            session.sign_out()
            st.rerun()
    else:
        notice = st.session_state.pop(session.NOTICE_KEY, None)
        if notice:
            st.warning(notice, icon=":material/timer_off:")
        with st.form("sign_in"):
            email = st.text_input(tr("login.email"), key="login_email")
            password = st.text_input(tr("login.password"), type="password", key="login_password")
            if st.form_submit_button(tr("login.submit"), type="primary"):
                session.sign_in(email, password)
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
        if bulk.get_meta(store, "demo") == "true":
            st.header(tr("login.demo_title"))
            st.caption(tr("login.demo_help", password=DEMO_PASSWORD))
            for account in accounts.all_accounts(store):
                if not account.demo:
                    continue
                left, right = st.columns([4, 1])
                left.markdown(
                    f"**{plain(ROLE_LABELS[account.role][language])}** — "
                    f"{plain(account.display_name)}  \n`{plain(account.email)}`"
                )
                if right.button(tr("login.demo_as"), key=f"demo:{account.id}"):
                    session.sign_in(account.email, DEMO_PASSWORD)
                    request_landing()
                    st.rerun()
