"""The server process's mail sender: one background thread per process and database,
started by app.py on the first request (`ensure_started`).

`OPP_MAIL_SENDER=off` leaves it off (the test suite does; an operator might, to send
only with `python -m opp send-mail` while the server is stopped).
"""

from __future__ import annotations

import time

import streamlit as st

from opp import settings
from opp.mail.maintenance import run_maintenance
from opp.mail.sender import BackgroundSender
from opp.services.storage import Store
from opp.ui.state import get_store, store_key

PURGE_EVERY = 3600.0  # seconds between purges of old sign-in attempts and sent mail


class _Maintenance:
    def __init__(self) -> None:
        self.last_purge = 0.0

    def __call__(self, store: Store) -> None:
        now = time.monotonic()
        purge = now - self.last_purge >= PURGE_EVERY
        run_maintenance(store, purge=purge)
        if purge:
            self.last_purge = now


@st.cache_resource(show_spinner=False)
def _sender(where: str) -> BackgroundSender | None:
    if (settings.setting("OPP_MAIL_SENDER") or "on").lower() in ("off", "0", "false", "no"):
        return None
    sender = BackgroundSender(get_store(), maintenance=_Maintenance())
    sender.start()
    return sender


def ensure_started() -> BackgroundSender | None:
    """Start this process's sender if it is not running yet (cheap after the first call)."""
    return _sender(store_key())
