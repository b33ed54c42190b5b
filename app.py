"""OPP — Streamlit script: language, signed-in viewer, navigation over pages/.

Served by `asgi.py` (Streamlit's ASGI app with OPP's security headers and routes):
`make run`, or `streamlit run asgi.py`.
"""

import streamlit as st

from opp.errors import OppError
from opp.i18n import language_name
from opp.ui import mailer, session
from opp.ui.navigation import draw_menu, land, landing_path, menu
from opp.ui.state import FAVICON, SHELL_READY, get_store, timed_run, tr
from opp.ui.unavailable import stop_with

# The icon is a file of ours: a Material icon name would make every browser fetch it
# from Google's font server (an outside request, broken on an intranet).
st.set_page_config(page_title="OPP", page_icon=str(FAVICON), layout="wide")

if "lang" not in st.session_state:
    st.session_state["lang"] = "fr"
try:
    get_store()  # opened once per process; each page reopens it if it was invalidated
    mailer.ensure_started()
    # Before the language control: a session found from the cookie brings its language.
    current = session.current_viewer() or session.sso_viewer()
except OppError as err:
    stop_with(err)

if current is not None:
    st.sidebar.markdown(session.signed_in_caption(current))
sections = menu(current)
page = st.navigation(sections, position="hidden")
redirecting = session.redirect_pending()
# After a sign-in or sign-out: set or drop the cookie, then open the page (or the
# person's home page after the sign-in page).
landing = landing_path(current) if redirecting else None
session.send_redirect(page.url_path if landing is None else landing)
if not redirecting:  # the browser reloads at once: a menu drawn now could not be used
    land(current)
    draw_menu(sections)
st.sidebar.segmented_control(
    tr("lang.label"),
    ["fr", "en"],
    format_func=language_name,
    key="lang",
    required=True,
    on_change=lambda: session.remember_language(st.session_state["lang"]),
)
# Each tab says which page it shows.
st.set_page_config(page_title=tr("app.page_title", page=page.title))
st.session_state[SHELL_READY] = True
with timed_run(page.url_path):
    page.run()
