""" "Mon compte" → personal API tokens: create (shown once), list, revoke."""

from __future__ import annotations

import streamlit as st

from opp.access.viewer import Viewer
from opp.i18n import format_date
from opp.services import api_tokens
from opp.services.storage import Store
from opp.ui.state import lang, tr
from opp.ui.text import plain

NEW_KEY = "_opp_new_api_token"
DAYS = (30, 90, 365)


def render(store: Store, viewer: Viewer) -> None:
    st.subheader(tr("api.title"))
    st.caption(tr("api.help"))
    fresh = st.session_state.pop(NEW_KEY, None)
    if fresh:
        st.success(tr("api.created"), icon=":material/key:")
        st.code(fresh, language=None)
    with st.form("api_token_new", clear_on_submit=True):
        name = st.text_input(tr("api.name"), max_chars=60, placeholder=tr("api.name_hint"))
        days = st.selectbox(
            tr("api.days"), DAYS, index=1, format_func=lambda d: tr("api.days_n", n=d)
        )
        if st.form_submit_button(tr("api.create"), icon=":material/add:"):
            secret, _ = api_tokens.create(store, viewer, name, int(days))
            st.session_state[NEW_KEY] = secret
            st.rerun()
    tokens = api_tokens.mine(store, viewer)
    if not tokens:
        st.caption(tr("api.none"))
        return
    for token in tokens:
        left, right = st.columns([5, 1])
        state = (
            tr("api.revoked", date=format_date(token.revoked_at, lang()))
            if token.revoked_at
            else tr("api.expires", date=format_date(token.expires_at, lang()))
        )
        used = format_date(token.last_used_at, lang()) if token.last_used_at else tr("api.never")
        left.markdown(
            f"**{plain(token.name)}** `{plain(token.prefix)}…` — {plain(state)} — "
            f"{plain(tr('api.used', date=used))}"
        )
        if token.revoked_at is None and right.button(
            tr("api.revoke"), key=f"api_revoke:{token.id}", icon=":material/block:"
        ):
            api_tokens.revoke(store, viewer, token.id)
            st.rerun()
