"""Say what became of the mails an action queued: sent, waiting, or not sent because
mail is not configured (the message waits in the outbox)."""

from __future__ import annotations

import streamlit as st

from opp.mail import config as mail_config
from opp.mail import queue
from opp.services.storage import Store
from opp.ui.state import lang, tr, trn


def show(store: Store, message_ids: list[int | None]) -> None:
    """One line under an action that queued mail."""
    ids = [i for i in message_ids if i is not None]
    if not ids:
        return
    status = mail_config.status()
    if status.state == "missing":
        st.warning(trn("mail.not_configured", len(ids)), icon=":material/unsubscribe:")
        return
    if status.state == "invalid" and status.error is not None:
        st.warning(
            tr("mail.invalid", n=len(ids), reason=status.error.message(lang())),
            icon=":material/unsubscribe:",
        )
        return
    states = queue.states(store, ids)
    sent = sum(1 for s in states.values() if s == "sent")
    failed = sum(1 for s in states.values() if s == "failed")
    if sent == len(ids):
        st.success(tr("mail.sent", n=sent), icon=":material/mark_email_read:")
    elif failed:
        st.error(trn("mail.failed", failed), icon=":material/error:")
    else:
        st.info(trn("mail.queued", len(ids)), icon=":material/schedule_send:")


def banner() -> None:
    """A notice on pages that send mail when mail cannot leave."""
    status = mail_config.status()
    if status.state == "missing":
        st.caption(tr("mail.banner_missing"))
    elif status.state == "invalid" and status.error is not None:
        st.warning(status.error.message(lang()), icon=":material/unsubscribe:")
