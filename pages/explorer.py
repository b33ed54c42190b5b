"""Explorateur: the distribution of any question, crossed with one breakdown."""

import streamlit as st

from opp.ui import explorer
from opp.ui.data import frames
from opp.ui.filters import filter_bar
from opp.ui.followed import territory_filter
from opp.ui.state import guarded, lang, require_shell, require_viewer, tr

require_shell()

language = lang()
st.title(tr("explorer.title"))
st.caption(tr("explorer.intro"))
with guarded():
    current = require_viewer()
    filters = territory_filter(filter_bar(frames()), language)
    questionnaire, entry, measure, breakdown = explorer.choose(current, language)
    explorer.show(current, questionnaire, entry, measure, filters, breakdown, language)
