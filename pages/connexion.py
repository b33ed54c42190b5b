"""Sign-in page: password, single sign-on, invitation and reset links, demo accounts."""

import streamlit as st

from opp.access.viewer import ROLE_LABELS
from opp.services import auth
from opp.ui import session, signin
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
                st.success(tr("login.done", name=started.viewer.name))
                request_landing()
                st.rerun()
    elif current is not None:
        role = ROLE_LABELS[current.role][language]
        st.info(plain(tr("login.signed_in_as", name=current.name, role=role)))
        if st.button(tr("login.sign_out"), key="sign_out"):
            session.sign_out()
            st.rerun()
    else:
        signin.render(store, land=True)
