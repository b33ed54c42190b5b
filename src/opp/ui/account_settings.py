"""Mon compte: the language of the mails one receives."""

from __future__ import annotations

import streamlit as st

from opp.access.viewer import Viewer
from opp.i18n import language_name
from opp.services import auth, reads
from opp.services.storage import Store
from opp.ui.state import tr


def render(store: Store, viewer: Viewer) -> None:
    account = reads.own_account(store, viewer)
    if account is None:
        return
    st.header(tr("account.mail_title"))
    choices = ["fr", "en"]
    with st.form("mail_language"):
        chosen = st.radio(
            tr("account.mail_language"),
            choices,
            index=choices.index(account.language if account.language in choices else "fr"),
            format_func=language_name,
            horizontal=True,
        )
        if st.form_submit_button(tr("account.mail_save")):
            auth.set_language(store, viewer, chosen or "fr")
            st.success(tr("account.mail_saved"))
