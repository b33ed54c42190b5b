"""OPP — Streamlit entry point: language, viewer, navigation over pages/."""

import streamlit as st

from opp.errors import OppError
from opp.ui.state import SHELL_READY, get_store, show_error, tr
from opp.ui.viewers import viewer_selector

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
except OppError as err:
    show_error(err)
    st.stop()

viewer_selector()
st.session_state[SHELL_READY] = True

pages = {
    tr("nav.section.observe"): [
        st.Page(
            "pages/accueil.py",
            title=tr("nav.home"),
            icon=":material/home:",
            url_path="accueil",
            default=True,
        ),
        st.Page(
            "pages/emploi.py", title=tr("nav.emploi"), icon=":material/work:", url_path="emploi"
        ),
        st.Page(
            "pages/egalite.py",
            title=tr("nav.egalite"),
            icon=":material/balance:",
            url_path="egalite",
        ),
        st.Page(
            "pages/diffusion.py",
            title=tr("nav.diffusion"),
            icon=":material/map:",
            url_path="diffusion",
        ),
        st.Page(
            "pages/economie.py",
            title=tr("nav.economie"),
            icon=":material/euro:",
            url_path="economie",
        ),
        st.Page(
            "pages/participation.py",
            title=tr("nav.participation"),
            icon=":material/how_to_reg:",
            url_path="participation",
        ),
    ],
    tr("nav.section.filieres"): [
        st.Page(
            "pages/filiere_arts_de_la_rue.py",
            title=tr("nav.filiere.arts_de_la_rue"),
            icon=":material/festival:",
            url_path="filiere_arts_de_la_rue",
        ),
        st.Page(
            "pages/filiere_marionnette.py",
            title=tr("nav.filiere.marionnette"),
            icon=":material/toys:",
            url_path="filiere_marionnette",
        ),
        st.Page(
            "pages/filiere_cirque.py",
            title=tr("nav.filiere.cirque"),
            icon=":material/attractions:",
            url_path="filiere_cirque",
        ),
        st.Page(
            "pages/filiere_musiques_actuelles.py",
            title=tr("nav.filiere.musiques_actuelles"),
            icon=":material/music_note:",
            url_path="filiere_musiques_actuelles",
        ),
    ],
    tr("nav.section.contribute"): [
        st.Page(
            "pages/repondre.py",
            title=tr("nav.answer"),
            icon=":material/edit_note:",
            url_path="repondre",
        ),
    ],
}
st.navigation(pages).run()
