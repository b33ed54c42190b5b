"""My account: who I am, change my password, sign out."""

import streamlit as st

from opp.access.viewer import ROLE_LABELS
from opp.services import auth
from opp.ui import account_settings, api_tokens_panel, session
from opp.ui.state import get_store, guarded, lang, require_shell, tr
from opp.ui.text import plain

require_shell()

language = lang()
st.title(tr("account.title"))
with guarded():
    current = session.current_viewer()
    if current is None:
        st.info(tr("login.required"))
        st.stop()
    role = ROLE_LABELS[current.role][language]
    st.write(plain(tr("login.signed_in_as", name=current.name, role=role)))
    st.header(tr("account.change"))
    with st.form("change_password", clear_on_submit=True):
        old = st.text_input(tr("account.current"), type="password")
        new = st.text_input(tr("account.new"), type="password", help=tr("login.password_help"))
        again = st.text_input(tr("login.password_again"), type="password")
        if st.form_submit_button(tr("account.change"), type="primary"):
            epoch = auth.change_password(get_store(), current, old, new, again)
            session.keep_after_password_change(epoch)
            st.success(tr("account.changed"))
    account_settings.render(get_store(), current)
    api_tokens_panel.render(get_store(), current)
    if st.button(tr("login.sign_out"), key="sign_out_account"):
        session.sign_out()
        st.rerun()
