"""Who is signed in: the session's account, its timeout, sign-in and sign-out.

The viewer object the pages pass to `opp` comes only from here. A session inactive for
longer than `auth.SESSION_TIMEOUT` is closed and the person asked to sign in again.
"""

from __future__ import annotations

import streamlit as st

from opp.access import auth
from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.ui.state import get_store, lang

SESSION_KEY = "_opp_session"
NOTICE_KEY = "_opp_session_notice"


def client_key() -> str:
    """The client for rate limiting: its IP address as Streamlit sees it."""
    address = st.context.ip_address  # None (or a test double) outside a browser session
    return address if isinstance(address, str) and address else "inconnu"


def current_viewer() -> Viewer | None:
    session: auth.Session | None = st.session_state.get(SESSION_KEY)
    if session is None:
        return None
    if session.expired():
        del st.session_state[SESSION_KEY]
        minutes = int(auth.SESSION_TIMEOUT.total_seconds() // 60)
        st.session_state[NOTICE_KEY] = OppError("SESSION_EXPIRED", minutes=minutes).message(lang())
        return None
    session.touch()
    return session.viewer


def start_session(viewer: Viewer) -> None:
    from opp import clock

    st.session_state[SESSION_KEY] = auth.Session(viewer=viewer, last_seen=clock.now())
    st.session_state.pop(NOTICE_KEY, None)


def sign_in(email: str, password: str) -> Viewer:
    viewer = auth.sign_in(get_store(), email, password, client=client_key())
    start_session(viewer)
    return viewer


def sign_out() -> None:
    session: auth.Session | None = st.session_state.pop(SESSION_KEY, None)
    if session is not None:
        auth.sign_out(get_store(), session.viewer)
    for key in [
        k for k in st.session_state if isinstance(k, str) and k.startswith(("w:", "ans:", "sess:"))
    ]:
        del st.session_state[key]


def sso_configured() -> bool:
    """Single sign-on is offered when an [auth] section exists in secrets.toml."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all
        return False


def sso_viewer() -> Viewer | None:
    """Map the identity from the OIDC provider to an OPP account (once per session)."""
    if not sso_configured():
        return None
    if not st.user.get("is_logged_in"):
        return None
    viewer = auth.sign_in_sso(get_store(), str(st.user.get("email") or ""))
    start_session(viewer)
    return viewer


def signed_in_caption(viewer: Viewer) -> str:
    from opp.access.viewer import ROLE_LABELS
    from opp.ui.text import plain

    return plain(f"{viewer.name} — {ROLE_LABELS[viewer.role][lang()]}")
