"""Chiffres clés: the latest published open-data package, public (no sign-in)."""

import streamlit as st

from opp.ui import keyfigures
from opp.ui.state import guarded, require_shell, tr

require_shell()

st.title(tr("keyfig.title"))
st.caption(tr("keyfig.help"))
with guarded():
    keyfigures.render()
