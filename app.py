"""OPP — Streamlit entry point: language, signed-in viewer, navigation over pages/."""

import streamlit as st

from opp.errors import OppError
from opp.ui import mailer, session
from opp.ui.navigation import menu
from opp.ui.state import SHELL_READY, get_store, show_error, tr

st.set_page_config(page_title="OPP", page_icon=":material/theater_comedy:", layout="wide")

if "lang" not in st.session_state:
    st.session_state["lang"] = "fr"
st.sidebar.segmented_control(
    tr("lang.label"),
    ["fr", "en"],
    format_func={"fr": "Français", "en": "English"}.get,
    key="lang",
    required=True,
)

try:
    get_store()
    mailer.ensure_started()
    current = session.current_viewer() or session.sso_viewer()
except OppError as err:
    show_error(err)
    st.stop()

if current is not None:
    st.sidebar.caption(session.signed_in_caption(current))
st.session_state[SHELL_READY] = True
st.navigation(menu(current)).run()
