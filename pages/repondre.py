"""Answer page: pick an open campaign of your filière, then the step-by-step form."""

import streamlit as st

from opp import answering
from opp.access.policy import Action, may
from opp.i18n import format_date
from opp.services import reads
from opp.ui import wizard
from opp.ui.state import get_store, guarded, lang, require_shell, tr, viewer
from opp.ui.text import plain

require_shell()

language = lang()
st.title(tr("answer.title"))
current = viewer()
with guarded():
    if not may(current, Action.ANSWER):
        st.info(tr("answer.not_contributor"), icon=":material/info:")
        st.stop()
    store = get_store()
    campaigns = answering.campaigns_for(store, current)
    if not campaigns:
        st.info(tr("answer.no_campaign"), icon=":material/event_busy:")
        st.stop()
    by_id = {c.id: c for c in campaigns}
    chosen = st.selectbox(
        tr("answer.campaign"),
        list(by_id),
        format_func=lambda cid: by_id[cid].title(language),
        key=f"campaign:{current.organisation_id}",
    )
    campaign = by_id[chosen]
    st.caption(plain(tr("answer.closes", date=format_date(campaign.closes_on, language))))
    # What changed since the previous version (co-design), shown before answering.
    asked = reads.questionnaire(
        store, current, campaign.questionnaire_id, campaign.questionnaire_version
    )
    news = [e for e in asked.changelog if e.version == asked.version]
    if news and len(asked.changelog) > 1:
        with st.expander(tr("wizard.changelog", version=asked.version), icon=":material/update:"):
            for line in news[-1].changes:
                st.markdown(f"- {plain(line.get(language))}")
    rid = wizard.start(store, current, campaign.id)
    wizard.render(store, current, rid, language)
