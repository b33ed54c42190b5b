"""Administration → Campagnes: the campaigns of one's filières, their life cycle (closing
date, closing now after a confirmation that says how many drafts freeze, reopening by
the agency) and a new campaign on a published questionnaire version, latest first."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from opp import clock
from opp.access.policy import Action, may
from opp.access.viewer import Viewer
from opp.services import campaigns, questionnaires
from opp.services.campaigns import Campaign
from opp.services.storage import Store
from opp.ui.formats import date_text
from opp.ui.state import guarded, tr, trn
from opp.ui.text import plain

_ASK = "camp.close_ask"  # (campaign id, drafts announced) while confirmation is pending
_FLASH = "camp.flash"


def render(store: Store, viewer: Viewer, filieres: list[str], lang: str) -> None:
    """Drawn inside its own guard: a refused action shows its message here and the
    rest of the page still renders."""
    with guarded():
        _render(store, viewer, filieres, lang)


def _render(store: Store, viewer: Viewer, filieres: list[str], lang: str) -> None:
    today = clock.today()
    listed = [c for f in filieres for c in campaigns.list_all(store, viewer, filiere=f)]
    if flash := st.session_state.pop(_FLASH, None):
        st.success(flash)
    st.dataframe(
        pl.DataFrame(
            [
                {
                    tr("admin.campaign"): c.title(lang),
                    tr("admin.year"): c.reference_year,
                    tr("admin.opens"): date_text(c.opens_on, lang),
                    tr("admin.closes"): date_text(c.closes_on, lang),
                    tr("admin.status"): tr(f"admin.state.{c.state(today)}"),
                }
                for c in listed
            ]
        ),
        hide_index=True,
    )
    if listed:
        _manage(store, viewer, listed, today, lang)
    _new_campaign(store, viewer, filieres, today, lang)


def _manage(
    store: Store, viewer: Viewer, listed: list[Campaign], today: dt.date, lang: str
) -> None:
    st.header(tr("camp.manage"))
    by_id = {c.id: c for c in listed}
    chosen = st.selectbox(
        tr("camp.choose"),
        list(by_id),
        format_func=lambda cid: (
            f"{by_id[cid].title(lang)} ({tr(f'admin.state.{by_id[cid].state(today)}')})"
        ),
        key="camp_manage",
    )
    campaign = by_id[chosen]
    if campaign.state(today) == "closed":
        _closed(store, viewer, campaign, today)
        return
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    closing = left.date_input(
        tr("camp.closing_date"),
        value=max(campaign.closes_on, today),
        min_value=today,
        format="DD/MM/YYYY",
        help=tr("camp.closing_help"),
        key=f"camp_closing:{campaign.id}",
    )
    if right.button(tr("camp.schedule"), key="camp_schedule"):
        campaigns.schedule_close(store, viewer, campaign.id, closing)
        st.session_state[_FLASH] = tr("camp.scheduled", date=closing.strftime("%d/%m/%Y"))
        st.rerun()
    asked = st.session_state.get(_ASK)
    if asked is None or asked[0] != campaign.id:
        if st.button(tr("camp.close_ask"), key="camp_close_ask", icon=":material/lock:"):
            drafts = campaigns.drafts_count(store, viewer, campaign.id)
            st.session_state[_ASK] = (campaign.id, drafts)
            st.rerun()
        return
    drafts = asked[1]
    st.warning(
        trn("camp.close_confirm_text", drafts, title=plain(campaign.title(lang)), drafts=drafts),
        icon=":material/warning:",
    )
    yes, no = st.columns(2)
    if yes.button(tr("camp.close_confirm"), key="camp_close_confirm", type="primary"):
        st.session_state.pop(_ASK, None)
        campaigns.close(store, viewer, campaign.id, expected_drafts=drafts)
        st.session_state[_FLASH] = trn("camp.closed_done", drafts, drafts=drafts)
        st.rerun()
    if no.button(tr("camp.cancel"), key="camp_close_cancel"):
        st.session_state.pop(_ASK, None)
        st.rerun()


def _closed(store: Store, viewer: Viewer, campaign: Campaign, today: dt.date) -> None:
    st.info(tr("camp.closed_since", date=campaign.closes_on.strftime("%d/%m/%Y")))
    if not may(viewer, Action.REOPEN_CAMPAIGN):
        st.caption(tr("camp.reopen_agency_only"))
        return
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    until = left.date_input(
        tr("camp.reopen_until"),
        value=today + dt.timedelta(days=14),
        min_value=today,
        format="DD/MM/YYYY",
        key=f"camp_reopen_until:{campaign.id}",
    )
    if right.button(tr("camp.reopen"), key="camp_reopen", icon=":material/lock_open:"):
        campaigns.reopen(store, viewer, campaign.id, until)
        st.session_state[_FLASH] = tr("camp.reopened", date=until.strftime("%d/%m/%Y"))
        st.rerun()


def _new_campaign(
    store: Store, viewer: Viewer, filieres: list[str], today: dt.date, lang: str
) -> None:
    st.header(tr("admin.new_campaign"))
    versions = questionnaires.latest_first(
        [v for v in questionnaires.list_versions(store, viewer) if v["filiere"] in filieres]
    )
    if not versions:
        st.info(tr("camp.none"))
        return
    titles = {
        v["questionnaire_id"]: v.get(f"title_{lang}") or v["title_fr"]
        for v in versions
        if v["latest"]
    }
    questionnaire_id = st.selectbox(
        tr("admin.questionnaire"),
        list(titles),
        format_func=titles.__getitem__,
        key="camp_questionnaire",
    )
    mine = [v for v in versions if v["questionnaire_id"] == questionnaire_id]
    labels = {
        v["version"]: tr(
            "camp.latest" if v["latest"] else "camp.older",
            version=v["version"],
            date=v["published_at"].strftime("%d/%m/%Y"),
        )
        for v in mine
    }
    version = st.selectbox(
        tr("camp.version"), list(labels), format_func=labels.__getitem__, key="camp_version"
    )
    chosen = next(v for v in mine if v["version"] == version)
    with st.form("new_campaign"):
        year = st.number_input(tr("admin.year"), 2000, 2100, today.year, step=1)
        opens = st.date_input(tr("admin.opens"), today, format="DD/MM/YYYY")
        closes = st.date_input(
            tr("admin.closes"), today + dt.timedelta(days=90), format="DD/MM/YYYY"
        )
        title_fr = st.text_input(tr("admin.title_fr"), max_chars=200)
        title_en = st.text_input(tr("admin.title_en"), max_chars=200)
        if st.form_submit_button(tr("admin.create"), type="primary"):
            campaigns.create(
                store,
                viewer,
                filiere=chosen["filiere"],
                questionnaire_id=questionnaire_id,
                questionnaire_version=version,
                reference_year=int(year),
                title_fr=title_fr.strip() or f"{chosen['title_fr']} — {int(year)}",
                title_en=title_en.strip() or None,
                opens_on=opens,
                closes_on=closes,
            )
            st.session_state[_FLASH] = tr("admin.created")
            st.rerun()
