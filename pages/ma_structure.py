"""Ma structure (contributors): members, colleagues, approvals, reminders."""

import streamlit as st

from opp.access.policy import Action, may
from opp.ui import organisation_space
from opp.ui.state import get_store, guarded, require_shell, require_viewer, tr

require_shell()

st.title(tr("org.title"))
st.caption(tr("org.intro"))
with guarded():
    current = require_viewer()
    if not may(current, Action.LIST_MEMBERS):
        st.info(tr("mydata.only_contributors"))
        st.stop()
    organisation_space.render(get_store(), current)
