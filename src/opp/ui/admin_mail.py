"""Administration, "Courriels" tab (agency): whether mail can leave, the outbox by state,
failed messages queued again, and "send now" (the background sender does it anyway)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from opp.access.viewer import Viewer
from opp.mail import admin as mail_admin
from opp.mail import config as mail_config
from opp.mail.templates import kind_label
from opp.services.storage import Store
from opp.ui.formats import NOTHING, datetime_text
from opp.ui.state import lang, tr, trn

_FLASH = "admin.mail.flash"


def render(store: Store, viewer: Viewer) -> None:
    language = lang()
    if flash := st.session_state.pop(_FLASH, None):
        st.success(flash)
    status = mail_config.status()
    if status.state == "configured" and status.config is not None:
        st.success(tr("mail.configured", how=status.config.describe()), icon=":material/mail:")
    elif status.state == "invalid" and status.error is not None:
        st.error(status.error.message(language), icon=":material/unsubscribe:")
    else:
        st.warning(tr("mail.settings_help"), icon=":material/unsubscribe:")
    counts = mail_admin.counts(store, viewer)
    columns = st.columns(len(mail_admin.STATES))
    for column, each in zip(columns, mail_admin.STATES, strict=True):
        column.metric(tr(f"mail.state.{each}"), str(counts.get(each, 0)))
    if (
        status.state == "configured"
        and status.config is not None
        and counts.get("queued")
        and st.button(tr("mail.send_now"), key="mail_send_now", icon=":material/send:")
    ):
        report = mail_admin.send_now(store, viewer, status.config)
        st.session_state[_FLASH] = tr(
            "mail.sent_now", sent=report.sent, retried=report.retried, failed=report.failed
        )
        st.rerun()
    state = st.selectbox(
        tr("admin.status"),
        [None, *mail_admin.STATES],
        format_func=lambda s: tr("mail.all") if s is None else tr(f"mail.state.{s}"),
        key="mail_state",
    )
    messages = mail_admin.messages(store, viewer, state)
    st.dataframe(
        pl.DataFrame(
            [
                {
                    "#": m.id,
                    tr("mail.col_kind"): kind_label(m.kind, language),
                    tr("mail.col_to"): m.recipient,
                    tr("admin.status"): tr(f"mail.state.{m.state}"),
                    tr("mail.col_attempts"): m.attempts,
                    tr("mail.col_created"): datetime_text(m.created_at, language),
                    tr("mail.col_sent"): datetime_text(m.sent_at, language),
                    tr("mail.col_next"): datetime_text(m.next_attempt_at, language)
                    if m.state == "queued"
                    else NOTHING,
                    tr("mail.col_error"): m.last_error or "",
                }
                for m in messages
            ]
        ),
        hide_index=True,
    )
    failed = [m for m in messages if m.state == "failed"]
    if failed:
        st.caption(tr("mail.requeue_help"))
        chosen = st.multiselect(
            tr("mail.requeue"),
            [m.id for m in failed],
            format_func=lambda i: next(
                f"#{m.id} — {m.recipient} — {m.last_error or ''}"[:120] for m in failed if m.id == i
            ),
            key="mail_requeue",
            placeholder=tr("admin.choose"),
        )
        if chosen and st.button(tr("mail.requeue_button"), key="mail_requeue_button"):
            n = mail_admin.requeue(store, viewer, chosen)
            st.session_state[_FLASH] = trn("mail.requeued", n)
            st.rerun()
