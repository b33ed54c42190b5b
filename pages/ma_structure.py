"""Ma structure (contributors): members, colleagues, approvals, reminders."""

import streamlit as st

from opp.access.viewer import Role
from opp.ui import organisation_space
from opp.ui.state import get_store, guarded, require_shell, require_viewer, tr

require_shell()

st.title(tr("org.title"))
st.caption(tr("org.intro"))
with guarded():
    current = require_viewer()
    if current.role is not Role.CONTRIBUTEUR or not current.organisation_id:
        st.info(tr("mydata.only_contributors"))
        st.stop()
    organisation_space.render(get_store(), current)
