"""Administration › Publications: the releases of the figures, and publishing the next.

Only the agency publishes (`access.policy.can_publish_releases`, checked again by
`store.releases.publish`); the tab says what the next release would change.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from opp import clock
from opp.access.viewer import Viewer
from opp.referentiel import FILIERE_SHORT, label
from opp.services import campaigns, releases
from opp.services.campaigns import Campaign
from opp.services.storage import Store
from opp.ui.formats import datetime_text
from opp.ui.state import lang, tr, trn


def _campaign_names(listed: list[Campaign], language: str) -> dict[str, str]:
    """ "Cirque 2025" for each campaign (its full title when two share filière and year)."""
    short = {
        c.id: f"{label(FILIERE_SHORT, c.filiere, language)} {c.reference_year}" for c in listed
    }
    taken = list(short.values())
    return {
        c.id: short[c.id] if taken.count(short[c.id]) == 1 else c.title(language) for c in listed
    }


def _table(found: list[releases.Release], titles: dict[str, str], language: str) -> pl.DataFrame:
    provisional = tr("releases.provisional")
    return pl.DataFrame(
        [
            {
                tr("releases.col.number"): r.id,
                tr("releases.col.date"): datetime_text(r.published_at, language),
                tr("releases.col.reason"): tr(f"releases.reason.{r.reason}"),
                tr("releases.col.campaigns"): ", ".join(
                    f"{titles.get(c.id, c.id)}{f' ({provisional})' if c.provisional else ''}"
                    for c in r.campaigns
                ),
                tr("releases.col.responses"): r.responses,
            }
            for r in found
        ]
    )


def releases_tab(store: Store, viewer: Viewer) -> None:
    language = lang()
    st.caption(tr("releases.help"))
    pending = releases.pending(store)
    if pending.due:
        st.warning(
            tr(
                "releases.due",
                closed=len(pending.closed_campaigns),
                changed=pending.changed_responses,
                erased=pending.erasures,
            ),
            icon=":material/update:",
        )
    elif releases.latest(store) is not None:
        st.success(tr("releases.up_to_date"), icon=":material/verified:")
    if pending.provisional_changes:
        st.info(
            trn(
                "releases.provisional_changes",
                pending.provisional_changes,
                count=pending.provisional_changes,
            ),
            icon=":material/info:",
        )
    today = clock.today()
    current = releases.latest(store)
    provisional = {c.id for c in current.campaigns if c.provisional} if current else set()
    open_ones = [c for c in campaigns.list_all(store, viewer) if c.state(today) == "open"]
    with st.form("publish_release"):
        chosen = st.multiselect(
            tr("releases.include_open"),
            [c.id for c in open_ones],
            default=[c.id for c in open_ones if c.id in provisional],
            format_func=lambda cid: next(c.title(language) for c in open_ones if c.id == cid),
            placeholder=tr("admin.choose") if open_ones else tr("releases.none_open"),
        )
        note = st.text_input(tr("releases.note"), max_chars=300)
        confirmed = st.checkbox(tr("releases.confirm"))
        if st.form_submit_button(tr("releases.publish"), type="primary"):
            if not confirmed:
                st.error(tr("releases.confirm_first"), icon=":material/error:")
            else:
                made = releases.publish(store, viewer, include_open=chosen, note=note or None)
                st.success(
                    tr("releases.published", number=made.id, responses=made.responses),
                    icon=":material/verified:",
                )
    found = releases.list_all(store)
    if found:
        titles = _campaign_names(campaigns.list_all(store, viewer), language)
        st.dataframe(_table(found, titles, language), hide_index=True)
    else:
        st.info(tr("releases.none"))
