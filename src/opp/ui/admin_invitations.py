"""Administration, "Structures et invitations" tab: invite organisations to a campaign by
mail (chosen ones or the whole filière), remind those that have not submitted (now or
on a schedule), and see each organisation's invited / reminded / draft / submitted
state with the reply rate over time."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from opp.access.viewer import Viewer
from opp.i18n import format_date, plotly_separators
from opp.mail import campaign as campaign_mail
from opp.services import campaigns, invitations, organisations
from opp.services.campaigns import Campaign
from opp.services.storage import Store
from opp.ui import mail_status
from opp.ui.formats import date_text, datetime_text
from opp.ui.state import lang, tr, trn

_FLASH = "admin.invitations.flash"
SHOWN = 500  # organisations listed at once (search to find the others)


def _summary(summary: campaign_mail.MailSummary) -> str:
    text = tr("campaign_mail.summary", orgs=summary.organisations, messages=summary.messages)
    if summary.invited:
        text = trn("admin.invited", summary.invited) + " " + text
    if summary.new_accounts:
        text += " " + trn("campaign_mail.new_accounts", summary.new_accounts)
    if summary.unreachable:
        names = ", ".join(summary.unreachable[:10])
        more = "…" if len(summary.unreachable) > 10 else ""
        text += " " + trn("campaign_mail.unreachable", len(summary.unreachable), names=names + more)
    return text


def render(store: Store, viewer: Viewer, filieres: list[str]) -> None:
    language = lang()
    listed = [c for f in filieres for c in campaigns.list_all(store, viewer, filiere=f)]
    if not listed:
        st.info(tr("campaign_mail.no_campaign"))
        return
    titles = {c.id: c.title(language) for c in listed}
    campaign_id = st.selectbox(
        tr("admin.campaign"), list(titles), format_func=titles.__getitem__, key="invite_campaign"
    )
    campaign = next(c for c in listed if c.id == campaign_id)
    mail_status.banner()
    if flash := st.session_state.pop(_FLASH, None):
        st.success(flash)
    counts = invitations.status_counts(store, viewer, campaign_id)
    columns = st.columns(3)
    for column, status in zip(columns, ("non_commence", "draft", "submitted"), strict=True):
        column.metric(tr(f"admin.status_{status}"), str(counts.get(status, 0)))
    _invite(store, viewer, campaign)
    _remind(store, viewer, campaign)
    _table(store, viewer, campaign_id)
    _rate(store, viewer, campaign_id)


def _invite(store: Store, viewer: Viewer, campaign: Campaign) -> None:
    st.header(tr("campaign_mail.invite_title"))
    searched = st.text_input(tr("admin.search_orgs"), key="invite_search", max_chars=100)
    candidates, matching = organisations.search(
        store, viewer, searched, filiere=campaign.filiere, not_invited_to=campaign.id
    )
    names = {o.id: f"{o.name} — {o.commune or '?'}" for o in candidates}
    if matching > len(candidates):
        st.caption(
            trn("admin.search_count", len(candidates), shown=len(candidates), total=matching)
        )
    if names:
        chosen = st.multiselect(
            tr("admin.invite_orgs"),
            list(names),
            format_func=lambda oid: names[oid],
            key="invite_orgs",
            placeholder=tr("admin.choose"),
        )
    else:  # an empty list said "No options to select" (in English) in a faded box
        chosen = []
        st.info(tr("admin.invite_none_left" if not searched else "admin.invite_none_found"))
    if names and st.button(tr("campaign_mail.invite_chosen"), key="invite_orgs_button") and chosen:
        summary = campaign_mail.invite_by_mail(store, viewer, campaign.id, chosen)
        st.session_state[_FLASH] = _summary(summary)
        st.rerun()
    _, remaining = organisations.search(
        store, viewer, filiere=campaign.filiere, not_invited_to=campaign.id, limit=1
    )
    if remaining and st.button(
        tr("campaign_mail.invite_all", n=remaining), key="invite_all_button", type="primary"
    ):
        summary = campaign_mail.invite_by_mail(store, viewer, campaign.id)
        st.session_state[_FLASH] = _summary(summary)
        st.rerun()
    not_mailed = campaign_mail.not_mailed_count(store, viewer, campaign.id)
    if not_mailed and st.button(
        tr("campaign_mail.mail_invited", n=not_mailed), key="mail_invited_button"
    ):
        # Organisations invited before mail existed (or whose mail was not possible).
        summary = campaign_mail.mail_invited(store, viewer, campaign.id)
        st.session_state[_FLASH] = _summary(summary)
        st.rerun()


def _remind(store: Store, viewer: Viewer, campaign: Campaign) -> None:
    st.header(tr("campaign_mail.remind_title"))
    st.caption(tr("campaign_mail.remind_help"))
    if st.button(tr("campaign_mail.remind_now"), key="remind_button", icon=":material/alarm:"):
        summary = campaign_mail.remind(store, viewer, campaign.id)
        st.session_state[_FLASH] = _summary(summary)
        st.rerun()
    planned = campaign_mail.schedule(store, viewer, campaign.id)
    waiting = [str(p["days_before"]) for p in planned if p["done_at"] is None]
    for item in planned:
        if item["done_at"] is not None:
            st.caption(
                trn(
                    "campaign_mail.schedule_done",
                    item["reminded"] or 0,
                    days=item["days_before"],
                    date=format_date(item["done_at"], lang()),
                )
            )
    with st.form("reminder_schedule"):
        text = st.text_input(
            tr("campaign_mail.schedule_days"),
            value=", ".join(waiting)
            if planned
            else ", ".join(map(str, campaign_mail.DEFAULT_SCHEDULE)),
            max_chars=40,
            help=tr("campaign_mail.schedule_help"),
        )
        if st.form_submit_button(tr("campaign_mail.schedule_save")):
            days = campaign_mail.parse_days(text)
            campaign_mail.set_schedule(store, viewer, campaign.id, days)
            st.session_state[_FLASH] = trn(
                "campaign_mail.schedule_saved",
                days[-1] if days else 0,
                days=", ".join(map(str, days)) or "—",
            )
            st.rerun()


def _status_label(status: str) -> str:
    return tr(f"admin.status_{status}")


def _table(store: Store, viewer: Viewer, campaign_id: str) -> None:
    language = lang()
    st.header(tr("campaign_mail.table_title"))
    rows = campaign_mail.participation(store, viewer, campaign_id)
    statuses = ["non_commence", "draft", "submitted"]
    shown_statuses = st.multiselect(
        tr("admin.status"),
        statuses,
        default=statuses,
        format_func=_status_label,
        key="table_status",
        placeholder=tr("admin.choose"),
    )
    kept = [r for r in rows if r["status"] in shown_statuses]
    if len(kept) > SHOWN:
        st.caption(trn("admin.search_count", SHOWN, shown=SHOWN, total=len(kept)))
    st.dataframe(
        pl.DataFrame(
            [
                {
                    tr("admin.organisation"): r["name"],
                    tr("campaign_mail.col_invited"): datetime_text(r["invited_at"], language),
                    tr("campaign_mail.col_mailed"): datetime_text(r["mailed_at"], language),
                    tr("campaign_mail.col_reminded"): ", ".join(
                        date_text(d, language) for d in (r["reminded_on"] or [])
                    ),
                    tr("admin.status"): _status_label(r["status"]),
                    tr("campaign_mail.col_submitted"): datetime_text(r["submitted_at"], language),
                    tr("campaign_mail.col_reminders"): r["reminders"],
                    tr("campaign_mail.col_reachable"): r["reachable"],
                }
                for r in kept[:SHOWN]
            ]
        ),
        hide_index=True,
    )


def _rate(store: Store, viewer: Viewer, campaign_id: str) -> None:
    series = campaign_mail.reply_rate(store, viewer, campaign_id)
    if not series:
        return
    st.header(tr("campaign_mail.rate_title"))
    figure = go.Figure(
        go.Scatter(
            x=[p["day"] for p in series],
            y=[(p["rate"] or 0) * 100 for p in series],
            mode="lines+markers",
            name=tr("campaign_mail.rate_axis"),
        )
    )
    figure.update_layout(
        yaxis={"title": tr("campaign_mail.rate_axis"), "range": [0, 100]},
        height=320,
        margin={"t": 10, "b": 10},
        separators=plotly_separators(lang()),
    )
    st.plotly_chart(figure, width="stretch")
    last = series[-1]
    st.caption(
        tr("campaign_mail.rate_caption", submitted=last["submitted"], invited=last["invited"])
    )
