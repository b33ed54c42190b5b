"""Ask for an account from a network's public link (e.g. musicians): nothing is created
before the network's coordinator accepts."""

import streamlit as st

from opp import geo
from opp.referentiel import FILIERES
from opp.services import requests
from opp.ui import session
from opp.ui.state import get_store, guarded, lang, require_shell, tr

require_shell()

language = lang()
st.title(tr("request.title"))
store = get_store()
with guarded():
    if session.current_viewer() is not None:
        st.info(tr("request.signed_in"))
        st.stop()
    opened = requests.open_filieres(store)
    asked = st.query_params.get("reseau")
    if not opened:
        st.info(tr("request.none_open"))
        st.stop()
    filiere = st.selectbox(
        tr("request.network"),
        opened,
        index=opened.index(asked) if asked in opened else 0,
        format_func=lambda f: FILIERES[f][language],
        key="request_network",
    )
    st.caption(tr("request.intro"))
    with st.form("account_request", clear_on_submit=True):
        name = st.text_input(tr("request.name"), max_chars=120)
        email = st.text_input(tr("login.email"), max_chars=320)
        commune = st.selectbox(
            tr("request.commune"),
            [None, *sorted(geo.communes(), key=lambda c: geo.communes()[c].nom)],
            format_func=lambda c: "—" if c is None else geo.communes()[c].label(),
        )
        message = st.text_area(tr("request.message"), max_chars=requests.MESSAGE_LIMIT)
        if st.form_submit_button(tr("request.send"), type="primary"):
            requests.submit(
                store,
                filiere=filiere,
                email=email,
                display_name=name,
                commune=commune,
                message=message,
                language=language,
                client=session.client_key(),
            )
            st.success(tr("request.sent"))
